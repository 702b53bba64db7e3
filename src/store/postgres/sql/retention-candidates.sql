-- Partitions of vessel_positions wholly older than the cut $1 (epoch ms; upper bound at or before the
-- cut: a partition straddling the cut keeps its newer rows, so it stays), oldest first, with a
-- row estimate that needs no scan (reltuples once analyzed, else the statistics collector's
-- live-tuple count) and their size. Also returns the cut, so the caller reports the same one.
SELECT p.name,
       (extract(epoch FROM p.lower_bound) * 1000)::float8 AS from_ms,
       (extract(epoch FROM p.upper_bound) * 1000)::float8 AS to_ms,
       CASE WHEN c.reltuples >= 0 THEN c.reltuples::bigint ELSE coalesce(s.n_live_tup, 0) END AS estimate,
       pg_total_relation_size(c.oid) AS bytes
FROM aisctl_position_partitions() p
JOIN pg_class c ON c.oid = to_regclass(quote_ident(p.name))
LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
WHERE p.upper_bound <= 'epoch'::timestamptz + $1::float8 * interval '1 millisecond'
ORDER BY p.lower_bound
