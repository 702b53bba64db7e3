-- The position write shared by write-batch-unnest.sql and upsert-positions-stage.sql, as CTEs
-- after theirs: it reads `positions` (ts as timestamptz and the stored columns, one row per key).
--
-- Why two inserts: INSERT ... ON CONFLICT inserts every new row speculatively and confirms it
-- with a WAL record of its own (Heap/HEAP_CONFIRM, 48 bytes): pg_waldump --stats of 10,000 msg/s
-- of load showed it as 18 % of the WAL, beside one more index probe per row. Rows whose key the
-- statement's snapshot does not hold (nearly all of a live feed) go through a plain INSERT;
-- only keys already stored go through the ON CONFLICT upsert, and only with a better score. A
-- key a concurrent writer inserts after the snapshot makes the plain INSERT fail with 23505
-- (unique_violation); the writer runs the batch again: the new snapshot holds that key, so it
-- moves to the upsert.
--
-- Lock order: `fresh` runs before `upserted` (the caller's final SELECT reads `counts`, whose
-- scalar subqueries run them in that order), each in (vessel_id, ts) order. `fresh` waits only
-- on another writer's uncommitted insert or update of the same key and locks no stored row (a
-- committed one fails it at once); `upserted` locks only rows stored before the snapshot. So a
-- writer in `fresh` holds nothing another's `upserted` can wait on, and within a phase all wait
-- in one key order: no cycle. Every attempt must keep this shape: a retry with ON CONFLICT for
-- every row in one sorted pass was tried, and it deadlocked against plain writers (it locks a
-- stored key, then waits on a new key a plain writer inserted, which then wants the stored key):
-- the 8-writer test in history-writer.int.test.ts failed in 2 of 12 runs.
probe AS (
  -- One primary-key probe per row (LATERAL ... LIMIT 1 keeps it a probe; a plain join is
  -- planned as a hash join over every partition, the row source having no statistics).
  SELECT t.*, e.score AS stored_score
  FROM positions t
  LEFT JOIN LATERAL (SELECT p.score FROM vessel_positions p WHERE p.vessel_id = t.vessel_id AND p.ts = t.ts LIMIT 1) e ON true
), fresh AS (
  INSERT INTO vessel_positions (ts, vessel_id, lat, lon, score, sog, cog, heading_status, source_id)
  SELECT t.ts, t.vessel_id, t.lat, t.lon, t.score, t.sog, t.cog, t.heading_status, t.source_id
  FROM probe t
  WHERE t.stored_score IS NULL
  ORDER BY t.vessel_id, t.ts
  RETURNING 1
), upserted AS (
  INSERT INTO vessel_positions AS p (ts, vessel_id, lat, lon, score, sog, cog, heading_status, source_id)
  SELECT t.ts, t.vessel_id, t.lat, t.lon, t.score, t.sog, t.cog, t.heading_status, t.source_id
  FROM probe t
  WHERE t.score > t.stored_score
  ORDER BY t.vessel_id, t.ts
  -- Rows are sorted and de-duplicated (the highest score kept), so ON CONFLICT never meets the
  -- same key twice in one command. A stored row is replaced only by a better score.
  ON CONFLICT (vessel_id, ts) DO UPDATE SET
    lat = EXCLUDED.lat, lon = EXCLUDED.lon, sog = EXCLUDED.sog, cog = EXCLUDED.cog,
    heading_status = EXCLUDED.heading_status, source_id = EXCLUDED.source_id, score = EXCLUDED.score
  WHERE EXCLUDED.score > p.score
  -- Inserted and updated rows are told apart in `counts` (`RETURNING xmax = 0` cannot be used:
  -- a row routed to a partition has no xmax to return).
  RETURNING 1
), counts AS (
  -- Keys absent from the snapshot were inserted, stored ones updated.
  SELECT (SELECT count(*) FROM fresh)::integer AS inserted, (SELECT count(*) FROM upserted)::integer AS updated
)
