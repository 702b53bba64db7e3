-- vessel_positions over all its partitions, with indexes.
SELECT pg_size_pretty(sum(pg_total_relation_size(relid))) AS size, sum(pg_total_relation_size(relid))::float8 AS bytes
FROM pg_partition_tree('vessel_positions')
