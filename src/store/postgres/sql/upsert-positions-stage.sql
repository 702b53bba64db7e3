-- The position upsert of write-batch-unnest.sql, reading the rows COPY put in the staging table.
-- `existing`: one primary-key probe per staged row (LATERAL ... LIMIT 1 keeps it a probe; a
-- plain join is planned as a hash join over every partition, the staging table having no
-- statistics).
WITH existing AS (
  SELECT count(*)::integer AS n
  FROM aisctl_stage_positions t
  CROSS JOIN LATERAL (
    SELECT 1 FROM vessel_positions p
    WHERE p.vessel_id = t.vessel_id AND p.ts = 'epoch'::timestamptz + t.ts_ms * interval '1 millisecond'
    LIMIT 1) e
), upserted AS (
  INSERT INTO vessel_positions AS p (ts, vessel_id, lat, lon, score, sog, cog, heading_status, source_id)
  SELECT 'epoch'::timestamptz + t.ts_ms * interval '1 millisecond', t.vessel_id,
         t.lat, t.lon, t.score, t.sog, t.cog, t.heading_status, t.source_id
  FROM aisctl_stage_positions t
  ORDER BY t.vessel_id, t.ts_ms
-- @include position-upsert-conflict.sql
)
-- Keys absent from the snapshot were inserted, unless a concurrent writer inserted one first
-- (then ours updated it or was skipped): hence the least(), so no counter can go negative.
SELECT least(c.fresh, c.stored) AS inserted, c.stored - least(c.fresh, c.stored) AS updated
FROM (SELECT (SELECT count(*) FROM aisctl_stage_positions)::integer - (SELECT n FROM existing) AS fresh,
             (SELECT count(*) FROM upserted)::integer AS stored) c
