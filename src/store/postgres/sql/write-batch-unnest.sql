-- A whole batch in one statement: the position upsert from unnest arrays ($16-$25) and the
-- vessel-row maintenance of touch-vessels.ctes.sql ($1-$15), so a batch whose vessel ids are all
-- cached costs one round trip and, outside an explicit transaction, commits on its own (no
-- BEGIN/COMMIT round trips). Empty touch arrays make it a plain position upsert.
--
-- Phase order: the scalar subqueries of the final SELECT run left to right, so the positions
-- are written (index entries in (vessel_id, ts) order) before `touched` locks vessel rows in id
-- order, as in the multi-statement transaction; every writer takes its locks in the same order.
WITH
-- @include touch-vessels.ctes.sql
, upserted AS (
  INSERT INTO vessel_positions AS p (vessel_id, ts, lat, lon, sog, cog, heading, nav_status, source, score)
  SELECT t.vessel_id, 'epoch'::timestamptz + t.ts_ms * interval '1 millisecond',
         t.lat, t.lon, t.sog, t.cog, t.heading, t.nav_status, t.source, t.score
  FROM unnest($16::bigint[], $17::bigint[], $18::float8[], $19::float8[], $20::real[], $21::real[],
              $22::smallint[], $23::smallint[], $24::text[], $25::real[])
       AS t(vessel_id, ts_ms, lat, lon, sog, cog, heading, nav_status, source, score)
  ORDER BY t.vessel_id, t.ts_ms
-- @include position-upsert-conflict.sql
)
SELECT (SELECT count(*) FILTER (WHERE inserted) FROM upserted)::integer AS inserted,
       (SELECT count(*) FILTER (WHERE NOT inserted) FROM upserted)::integer AS updated,
       ARRAY(SELECT id FROM touched) AS touched
