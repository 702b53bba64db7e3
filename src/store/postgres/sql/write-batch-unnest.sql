-- A whole batch in one statement: the position upsert from unnest arrays ($16-$24, in the
-- stored units of position-units.ts) and the vessel-row maintenance of touch-vessels.ctes.sql ($1-$15), so a batch whose vessel ids are all
-- cached costs one round trip and, outside an explicit transaction, commits on its own (no
-- BEGIN/COMMIT round trips). Empty touch arrays make it a plain position upsert.
--
-- Phase order: the final SELECT computes its FROM (the counts, which run the position upsert)
-- before its select list, so the positions are written (index entries in (vessel_id, ts)
-- order) before `touched` locks vessel rows in id order, as in the multi-statement
-- transaction; every writer takes its locks in the same order. `existing` reads the
-- statement's snapshot, which the insert does not change.
WITH
-- @include touch-vessels.ctes.sql
, positions AS (
  SELECT 'epoch'::timestamptz + t.ts_ms * interval '1 millisecond' AS ts, t.vessel_id,
         t.lat, t.lon, t.score, t.sog, t.cog, t.heading_status, t.source_id
  FROM unnest($16::integer[], $17::bigint[], $18::integer[], $19::integer[], $20::real[],
              $21::smallint[], $22::smallint[], $23::smallint[], $24::smallint[])
       AS t(vessel_id, ts_ms, lat, lon, score, sog, cog, heading_status, source_id)
), existing AS (
  -- One primary-key probe per row, as in upsert-positions-stage.sql.
  SELECT count(*)::integer AS n
  FROM positions t
  CROSS JOIN LATERAL (SELECT 1 FROM vessel_positions p WHERE p.vessel_id = t.vessel_id AND p.ts = t.ts LIMIT 1) e
), upserted AS (
  INSERT INTO vessel_positions AS p (ts, vessel_id, lat, lon, score, sog, cog, heading_status, source_id)
  SELECT t.ts, t.vessel_id, t.lat, t.lon, t.score, t.sog, t.cog, t.heading_status, t.source_id
  FROM positions t
  ORDER BY t.vessel_id, t.ts
-- @include position-upsert-conflict.sql
)
-- Inserted and updated as in upsert-positions-stage.sql. The counts (FROM) are computed before
-- the select list's `touched`, so the positions are still written before vessel rows are locked.
SELECT least(c.fresh, c.stored) AS inserted, c.stored - least(c.fresh, c.stored) AS updated,
       ARRAY(SELECT id FROM touched) AS touched
FROM (SELECT (SELECT count(*) FROM positions)::integer - (SELECT n FROM existing) AS fresh,
             (SELECT count(*) FROM upserted)::integer AS stored) c
