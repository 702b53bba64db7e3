-- DELIBERATELY UNSAFE: positions in arrival order (see naive-upsert-vessels.sql).
INSERT INTO vessel_positions AS p (vessel_id, ts, lat, lon, sog, cog, heading, nav_status, source, score)
SELECT t.vessel_id, 'epoch'::timestamptz + t.ts_ms * interval '1 millisecond',
       t.lat, t.lon, t.sog, t.cog, t.heading, t.nav_status, t.source, t.score
FROM unnest($1::bigint[], $2::bigint[], $3::float8[], $4::float8[], $5::real[], $6::real[],
            $7::smallint[], $8::smallint[], $9::text[], $10::real[]) WITH ORDINALITY
     AS t(vessel_id, ts_ms, lat, lon, sog, cog, heading, nav_status, source, score, n)
ORDER BY t.n
ON CONFLICT (vessel_id, ts) DO UPDATE SET score = EXCLUDED.score, source = EXCLUDED.source
WHERE EXCLUDED.score > p.score
