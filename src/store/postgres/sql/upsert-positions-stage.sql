-- The position upsert of write-batch-unnest.sql, reading the rows COPY put in the staging table.
WITH upserted AS (
  INSERT INTO vessel_positions AS p (vessel_id, ts, lat, lon, sog, cog, heading, nav_status, source, score)
  SELECT t.vessel_id, 'epoch'::timestamptz + t.ts_ms * interval '1 millisecond',
         t.lat, t.lon, t.sog, t.cog, t.heading, t.nav_status, t.source, t.score
  FROM aisctl_position_stage t
  ORDER BY t.vessel_id, t.ts_ms
-- @include position-upsert-conflict.sql
)
SELECT count(*) FILTER (WHERE inserted)::integer AS inserted,
       count(*) FILTER (WHERE NOT inserted)::integer AS updated
FROM upserted
