-- The common table expressions that maintain, once per batch, first_seen/last_seen and the static columns of the vessels
-- the writer could not rule out (see SeenBounds in history-writer.ts). It locks, in id order,
-- the rows that need an update, then updates them: one round trip instead of a SELECT ... FOR
-- UPDATE followed by an UPDATE.
--
-- Lock order: UPDATE ... FROM would lock rows in whatever order its join plan produces them,
-- which differs between plans and so between concurrent writers. The `locked` CTE takes the
-- locks first, sorted by id (LockRows sits above the Sort); the UPDATE joins it, so it can only
-- reach a row after the CTE produced (and locked) it, and every lock is taken in id order.
-- MATERIALIZED keeps the locking query from being folded into the UPDATE's plan.
--
-- A row needs an update when the batch carries static data for it, an earlier first_seen, or a
-- last_seen more than $15 ms past the stored one (last_seen is kept to that granularity so a
-- steady feed does not rewrite every vessel row in every batch; the exact last fix is in
-- vessel_positions). FOR NO KEY UPDATE: the weakest lock an UPDATE of non-key columns needs
-- (it would not conflict with foreign-key checks either; migration 004 dropped the one
-- vessel_positions had). Under READ COMMITTED a row changed by a
-- concurrent writer is re-checked against the WHERE clause once its lock is obtained.
--
-- Static fields: a report newer than static_updated_at overwrites the fields it carries (nulls
-- keep the old value, because type 24 part A and part B each carry half of them); an older
-- report only fills gaps. `touched` returns the ids updated.
--
-- Only CTEs, included after a WITH by touch-vessels.sql (alone) and write-batch-unnest.sql
-- (with the position upsert: a batch whose vessel ids are all cached is one statement).
u AS (
  SELECT t.*,
         'epoch'::timestamptz + t.first_ms * interval '1 millisecond' AS first_at,
         'epoch'::timestamptz + t.last_ms * interval '1 millisecond' AS last_at,
         'epoch'::timestamptz + (t.last_ms - $15::bigint) * interval '1 millisecond' AS stale_before,
         'epoch'::timestamptz + t.static_ms * interval '1 millisecond' AS static_at
  FROM unnest(
    $1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[],
    $5::text[], $6::text[], $7::integer[], $8::smallint[], $9::smallint[], $10::smallint[],
    $11::smallint[], $12::smallint[], $13::real[], $14::text[]
  ) AS t(id, first_ms, last_ms, static_ms,
         name, callsign, imo, ship_type, to_bow, to_stern, to_port, to_starboard, draught, destination)
), locked AS MATERIALIZED (
  SELECT v.id
  FROM vessels v
  JOIN u ON v.id = u.id
  WHERE u.static_ms IS NOT NULL
     OR v.first_seen > u.first_at
     OR v.last_seen < u.stale_before
  ORDER BY v.id
  FOR NO KEY UPDATE OF v
), touched AS (
  UPDATE vessels v SET
    first_seen = LEAST(v.first_seen, u.first_at),
    last_seen = GREATEST(v.last_seen, u.last_at),
    name = CASE WHEN (v.static_updated_at IS NULL OR u.static_at > v.static_updated_at) THEN COALESCE(u.name, v.name) ELSE COALESCE(v.name, u.name) END,
    callsign = CASE WHEN (v.static_updated_at IS NULL OR u.static_at > v.static_updated_at) THEN COALESCE(u.callsign, v.callsign) ELSE COALESCE(v.callsign, u.callsign) END,
    imo = CASE WHEN (v.static_updated_at IS NULL OR u.static_at > v.static_updated_at) THEN COALESCE(u.imo, v.imo) ELSE COALESCE(v.imo, u.imo) END,
    ship_type = CASE WHEN (v.static_updated_at IS NULL OR u.static_at > v.static_updated_at) THEN COALESCE(u.ship_type, v.ship_type) ELSE COALESCE(v.ship_type, u.ship_type) END,
    to_bow = CASE WHEN (v.static_updated_at IS NULL OR u.static_at > v.static_updated_at) THEN COALESCE(u.to_bow, v.to_bow) ELSE COALESCE(v.to_bow, u.to_bow) END,
    to_stern = CASE WHEN (v.static_updated_at IS NULL OR u.static_at > v.static_updated_at) THEN COALESCE(u.to_stern, v.to_stern) ELSE COALESCE(v.to_stern, u.to_stern) END,
    to_port = CASE WHEN (v.static_updated_at IS NULL OR u.static_at > v.static_updated_at) THEN COALESCE(u.to_port, v.to_port) ELSE COALESCE(v.to_port, u.to_port) END,
    to_starboard = CASE WHEN (v.static_updated_at IS NULL OR u.static_at > v.static_updated_at) THEN COALESCE(u.to_starboard, v.to_starboard) ELSE COALESCE(v.to_starboard, u.to_starboard) END,
    draught = CASE WHEN (v.static_updated_at IS NULL OR u.static_at > v.static_updated_at) THEN COALESCE(u.draught, v.draught) ELSE COALESCE(v.draught, u.draught) END,
    destination = CASE WHEN (v.static_updated_at IS NULL OR u.static_at > v.static_updated_at) THEN COALESCE(u.destination, v.destination) ELSE COALESCE(v.destination, u.destination) END,
    static_updated_at = GREATEST(v.static_updated_at, u.static_at)
  FROM u JOIN locked l ON l.id = u.id
  WHERE v.id = u.id
  RETURNING v.id
)
