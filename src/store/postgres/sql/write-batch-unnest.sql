-- A whole batch in one statement: the position write of position-write.ctes.sql from unnest
-- arrays ($16-$24, in the stored units of position-units.ts) and the
-- vessel-row maintenance of touch-vessels.ctes.sql ($1-$15), so a batch whose vessel ids are
-- all cached costs one round trip and, outside an explicit transaction, commits on its own (no
-- BEGIN/COMMIT round trips). Empty touch arrays make it a position write alone.
--
-- Phase order: the final SELECT computes its FROM (`counts`, which runs the position inserts)
-- before its select list, so the positions are written (index entries in (vessel_id, ts)
-- order) before `touched` locks vessel rows in id order, as in the multi-statement
-- transaction; every writer takes its locks in the same order.
WITH
-- @include touch-vessels.ctes.sql
, positions AS (
  SELECT 'epoch'::timestamptz + t.ts_ms * interval '1 millisecond' AS ts, t.vessel_id,
         t.lat, t.lon, t.score, t.sog, t.cog, t.heading_status, t.source_id
  FROM unnest($16::integer[], $17::bigint[], $18::integer[], $19::integer[], $20::real[],
              $21::smallint[], $22::smallint[], $23::smallint[], $24::smallint[])
       AS t(vessel_id, ts_ms, lat, lon, score, sog, cog, heading_status, source_id)
),
-- @include position-write.ctes.sql
SELECT c.inserted, c.updated,
       ARRAY(SELECT id FROM touched) AS touched
FROM counts c
