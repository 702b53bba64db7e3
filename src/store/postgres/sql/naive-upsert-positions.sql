-- DELIBERATELY UNSAFE: positions in arrival order (see naive-upsert-vessels.sql). Values in the
-- stored units of position-units.ts.
INSERT INTO vessel_positions AS p (ts, vessel_id, lat, lon, score, sog, cog, heading_status, source_id)
SELECT 'epoch'::timestamptz + t.ts_ms * interval '1 millisecond', t.vessel_id,
       t.lat, t.lon, t.score, t.sog, t.cog, t.heading_status, t.source_id
FROM unnest($1::integer[], $2::bigint[], $3::integer[], $4::integer[], $5::real[],
            $6::smallint[], $7::smallint[], $8::smallint[], $9::smallint[]) WITH ORDINALITY
     AS t(vessel_id, ts_ms, lat, lon, score, sog, cog, heading_status, source_id, n)
ORDER BY t.n
ON CONFLICT (vessel_id, ts) DO UPDATE SET score = EXCLUDED.score, source_id = EXCLUDED.source_id
WHERE EXCLUDED.score > p.score
