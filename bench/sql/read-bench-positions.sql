-- Steps [$1, $2) of the read benchmark, in time order as a live feed writes them: step s is at
-- $4 + s * $3 ms and holds one position of vessel 1 (the long track) and $5 positions of the
-- other $6 vessels in turn (ids 2..$6 + 1). The inner series depends on s (LATERAL), so the
-- steps are the outer loop and rows are stored in time order, which is what the BRIN index on
-- ts relies on. Values in the stored units of migration 004 (position-units.ts).
INSERT INTO vessel_positions (ts, vessel_id, lat, lon, score, sog, cog, heading_status, source_id)
SELECT 'epoch'::timestamptz + ($4::bigint + s * $3::bigint + k) * interval '1 millisecond',
       CASE WHEN k = 0 THEN 1 ELSE 2 + ((s * $5::bigint + k - 1) % $6::bigint) END,
       round((50 + 5 * sin((s + k * 7919) / 5000.0)) * 600000),
       round((3 + 5 * cos((s + k * 104729) / 5000.0)) * 600000),
       1,
       (s + k) % 200,
       (s + k) % 3600,
       (s + k) % 360, -- heading; navigational status 0
       (SELECT id FROM sources WHERE name = 'bench')
FROM generate_series($1::bigint, $2::bigint - 1) AS s,
     LATERAL generate_series(0, $5::int + 0 * s::int) AS k
