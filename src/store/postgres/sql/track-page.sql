-- One page of a vessel's track in time order: a range scan of the (vessel_id, ts) primary key
-- that starts after the last row of the previous page (keyset pagination), so every page costs
-- the same however deep into a year of history it is, and no transaction or cursor is held
-- between pages (PgBouncer-safe). Times travel as epoch microseconds, the column's precision,
-- so the next page starts exactly after the last row. $5..$8 are an optional bbox (W, S, E, N;
-- W > E crosses the antimeridian).
SELECT (extract(epoch FROM p.ts) * 1000000)::float8 AS ts_us,
       p.lat, p.lon, p.sog, p.cog, p.heading, p.nav_status, p.source, p.score
FROM vessel_positions_decoded p
WHERE p.vessel_id = $1
  AND p.ts > 'epoch'::timestamptz + $2::bigint * interval '1 microsecond'
  AND p.ts < 'epoch'::timestamptz + $3::bigint * interval '1 microsecond'
  AND ($5::float8 IS NULL OR (
        p.lat BETWEEN $6::float8 AND $8::float8
        AND (CASE WHEN $5::float8 <= $7::float8 THEN p.lon BETWEEN $5::float8 AND $7::float8
                  ELSE p.lon >= $5::float8 OR p.lon <= $7::float8 END)))
ORDER BY p.ts
LIMIT $4
