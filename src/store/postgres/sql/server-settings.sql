-- aisctl doctor: the server settings that decide commit latency and checkpoint spikes for
-- aisctl's write pattern (group-committed batches, acknowledged only once durable). $1: names.
SELECT name, setting, unit, source
FROM pg_settings
WHERE name = ANY($1::text[])
