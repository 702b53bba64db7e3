-- The track read as one server-side cursor instead of keyset pages: the alternative measured
-- against trackPages. Same columns and order as src/store/postgres/sql/track-page.sql.
DECLARE bench_track NO SCROLL CURSOR FOR
SELECT (extract(epoch FROM p.ts) * 1000000)::float8 AS ts_us,
       p.lat, p.lon, p.sog, p.cog, p.heading, p.nav_status, p.source, p.score
FROM vessel_positions_decoded p
WHERE p.vessel_id = $1
  AND p.ts >= 'epoch'::timestamptz + $2::bigint * interval '1 millisecond'
  AND p.ts < 'epoch'::timestamptz + $3::bigint * interval '1 millisecond'
ORDER BY p.ts
