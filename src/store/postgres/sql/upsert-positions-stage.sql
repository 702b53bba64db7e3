-- The position write of position-write.ctes.sql, reading the rows COPY put in the staging
-- table.
WITH positions AS (
  SELECT 'epoch'::timestamptz + t.ts_ms * interval '1 millisecond' AS ts, t.vessel_id,
         t.lat, t.lon, t.score, t.sog, t.cog, t.heading_status, t.source_id
  FROM aisctl_stage_positions t
),
-- @include position-write.ctes.sql
SELECT c.inserted, c.updated
FROM counts c
