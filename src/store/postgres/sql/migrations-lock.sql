-- Serializes concurrent migrators (several `aisctl ingest` starting at once); released at COMMIT.
SELECT pg_advisory_xact_lock($1::bigint)
