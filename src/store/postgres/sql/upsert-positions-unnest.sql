-- Rows arrive sorted by (vessel_id, ts) and de-duplicated (the highest score kept), so
-- concurrent writers lock index entries in one global order and ON CONFLICT never meets the
-- same key twice in one command. A duplicate replaces the stored row only with a better score.
WITH upserted AS (
  INSERT INTO vessel_positions AS p (vessel_id, ts, lat, lon, sog, cog, heading, nav_status, source, score)
  SELECT t.vessel_id, 'epoch'::timestamptz + t.ts_ms * interval '1 millisecond',
         t.lat, t.lon, t.sog, t.cog, t.heading, t.nav_status, t.source, t.score
  FROM unnest($1::bigint[], $2::bigint[], $3::float8[], $4::float8[], $5::real[], $6::real[],
              $7::smallint[], $8::smallint[], $9::text[], $10::real[])
       AS t(vessel_id, ts_ms, lat, lon, sog, cog, heading, nav_status, source, score)
  ORDER BY t.vessel_id, t.ts_ms
  ON CONFLICT (vessel_id, ts) DO UPDATE SET
    lat = EXCLUDED.lat, lon = EXCLUDED.lon, sog = EXCLUDED.sog, cog = EXCLUDED.cog,
    heading = EXCLUDED.heading, nav_status = EXCLUDED.nav_status,
    source = EXCLUDED.source, score = EXCLUDED.score
  WHERE EXCLUDED.score > p.score
  -- xmax is 0 only on a freshly inserted tuple; an updated one carries our transaction id.
  RETURNING (p.xmax = 0) AS inserted
)
SELECT count(*) FILTER (WHERE inserted)::integer AS inserted,
       count(*) FILTER (WHERE NOT inserted)::integer AS updated
FROM upserted
