-- aisctl doctor: row estimates without scanning. reltuples is -1 until the first ANALYZE or
-- autovacuum; the statistics collector's live-tuple count fills in until then.
SELECT c.relname AS table_name,
       CASE WHEN c.reltuples >= 0 THEN c.reltuples::bigint ELSE coalesce(s.n_live_tup, 0) END AS estimate,
       pg_total_relation_size(c.oid) AS total_bytes
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
WHERE n.nspname = current_schema()
  AND c.relkind IN ('r', 'p')
  AND c.relname = ANY ($1::text[])
ORDER BY c.relname
