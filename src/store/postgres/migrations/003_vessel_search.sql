-- Vessel search (`aisctl search`, GET /v1/search): by MMSI prefix (a range on the mmsi unique
-- index), exact IMO, call-sign prefix, and any part of the name (a name prefix is a part too,
-- so the name needs no prefix index of its own).
--
-- None of these columns is written by the per-batch last_seen update, and an UPDATE that
-- rewrites an indexed column with the same value stays HOT, so the fillfactor reasoning of
-- 001_vessels.sql holds: only a real change of name, call sign or IMO touches these indexes.

CREATE INDEX vessels_imo_idx ON vessels (imo) WHERE imo IS NOT NULL;

-- text_pattern_ops: LIKE 'PREFIX%' can use the index whatever the database's collation.
CREATE INDEX vessels_callsign_prefix_idx ON vessels (upper(callsign) text_pattern_ops) WHERE callsign IS NOT NULL;

-- A match anywhere in the name ('%GIVEN%') needs trigrams. pg_trgm ships with PostgreSQL's
-- contrib and is a trusted extension, but a server without contrib, or a role without CREATE
-- on the database, must still be able to ingest: then the index is skipped and substring
-- matches scan the vessels table (one row per MMSI; see docs/read-api.md for the cost).
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
  CREATE INDEX vessels_name_trgm_idx ON vessels USING gin (upper(name) gin_trgm_ops) WHERE name IS NOT NULL;
EXCEPTION
  WHEN undefined_file OR insufficient_privilege OR feature_not_supported THEN
    RAISE NOTICE 'pg_trgm is not available (%): vessel name search matches anywhere in the name by a scan of vessels', SQLERRM;
END
$$;
