-- Bytes of the stored history over every partition (a plain table stands for itself): heap
-- (main fork), all indexes, and the total with the free-space and visibility maps, and the
-- rows they hold. Works on the schema before and after migration 004.
WITH leaves AS (
  SELECT coalesce(t.relid, c.oid) AS oid
  FROM pg_class c
  LEFT JOIN LATERAL pg_partition_tree(c.oid) t ON true
  WHERE c.oid = 'vessel_positions'::regclass AND coalesce(t.isleaf, true)
)
SELECT sum(pg_relation_size(oid))::float8 AS heap,
       sum(pg_indexes_size(oid))::float8 AS indexes,
       sum(pg_total_relation_size(oid))::float8 AS total,
       (SELECT count(*) FROM vessel_positions)::float8 AS rows
FROM leaves
