-- Steps [$1, $2) of the read benchmark, in time order as a live feed writes them: step s is at
-- $4 + s * $3 ms and holds one position of vessel 1 (the long track) and $5 positions of the
-- other $6 vessels in turn (ids 2..$6 + 1). The inner series depends on s (LATERAL), so the
-- steps are the outer loop and rows are stored in time order, which is what the BRIN index on
-- ts relies on.
INSERT INTO vessel_positions (vessel_id, ts, lat, lon, sog, cog, heading, nav_status, source, score)
SELECT CASE WHEN k = 0 THEN 1 ELSE 2 + ((s * $5::bigint + k - 1) % $6::bigint) END,
       'epoch'::timestamptz + ($4::bigint + s * $3::bigint + k) * interval '1 millisecond',
       50 + 5 * sin((s + k * 7919) / 5000.0),
       3 + 5 * cos((s + k * 104729) / 5000.0),
       ((s + k) % 200) / 10.0,
       ((s + k) % 3600) / 10.0,
       (s + k) % 360,
       0,
       'bench',
       1
FROM generate_series($1::bigint, $2::bigint - 1) AS s,
     LATERAL generate_series(0, $5::int + 0 * s::int) AS k
