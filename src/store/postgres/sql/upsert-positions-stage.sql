-- The position write of position-write.ctes.sql, reading the rows COPY put in the staging
-- table; $1 is its `plain` mode.
WITH mode AS (
  SELECT $1::boolean AS plain
), positions AS (
  SELECT 'epoch'::timestamptz + t.ts_ms * interval '1 millisecond' AS ts, t.vessel_id,
         t.lat, t.lon, t.score, t.sog, t.cog, t.heading_status, t.source_id
  FROM aisctl_stage_positions t
),
-- @include position-write.ctes.sql
SELECT c.a + c.late_inserts AS inserted, c.s - c.late_inserts AS updated
FROM counts c
