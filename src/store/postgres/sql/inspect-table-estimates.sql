-- aisctl doctor: row estimates without scanning, summed over the partitions of a partitioned
-- table (a plain table, for which pg_partition_tree has no rows, stands for itself). reltuples is -1 until the first ANALYZE or
-- autovacuum; the statistics collector's live-tuple count fills in until then.
SELECT c.relname AS table_name,
       sum(CASE WHEN pc.reltuples >= 0 THEN pc.reltuples::bigint ELSE coalesce(s.n_live_tup, 0) END)::bigint AS estimate,
       sum(pg_total_relation_size(pc.oid))::bigint AS total_bytes
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN LATERAL pg_partition_tree(c.oid) t ON true
JOIN pg_class pc ON pc.oid = coalesce(t.relid, c.oid)
LEFT JOIN pg_stat_user_tables s ON s.relid = pc.oid
WHERE n.nspname = current_schema()
  AND c.relkind IN ('r', 'p')
  AND c.relname = ANY ($1::text[])
  AND coalesce(t.isleaf, true)
GROUP BY c.relname
ORDER BY c.relname
