-- The partitions of the benchmark's year (and a day past it) and its one source, before the
-- rows go in, as the history writer would create them.
WITH source AS (INSERT INTO sources (name) VALUES ('bench') ON CONFLICT (name) DO NOTHING RETURNING id)
SELECT aisctl_ensure_partitions(ARRAY(SELECT generate_series($1::timestamptz, $2::timestamptz, interval '1 hour'))) AS created,
       (SELECT count(*) FROM source) AS sources
