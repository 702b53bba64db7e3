-- Same upsert as upsert-positions-unnest.sql, reading the rows COPY put in the staging table.
WITH upserted AS (
  INSERT INTO vessel_positions AS p (vessel_id, ts, lat, lon, sog, cog, heading, nav_status, source, score)
  SELECT t.vessel_id, 'epoch'::timestamptz + t.ts_ms * interval '1 millisecond',
         t.lat, t.lon, t.sog, t.cog, t.heading, t.nav_status, t.source, t.score
  FROM aisctl_position_stage t
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
