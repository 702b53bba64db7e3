-- Partitions of vessel_positions closed for at least $1 (their time is over, bar late
-- rows) whose primary-key index has not been compacted yet: rebuilt at fillfactor 100, which
-- is also the mark that it was. Oldest first, with the index's size now.
SELECT p.name AS partition, i.relname AS index_name, pg_relation_size(i.oid)::float8 AS index_bytes
FROM aisctl_position_partitions() p
JOIN pg_class t ON t.oid = to_regclass(quote_ident(p.name))
JOIN pg_index x ON x.indrelid = t.oid AND x.indisprimary
JOIN pg_class i ON i.oid = x.indexrelid
WHERE p.upper_bound <= now() - $1::interval
  AND NOT coalesce(i.reloptions @> ARRAY['fillfactor=100'], false)
ORDER BY p.lower_bound
