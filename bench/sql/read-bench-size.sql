SELECT pg_size_pretty(pg_total_relation_size('vessel_positions')) AS size, pg_total_relation_size('vessel_positions') AS bytes
