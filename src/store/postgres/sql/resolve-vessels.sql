-- Resolves the cache misses of one batch in one round trip: existing ids are selected first so
-- that INSERT ... ON CONFLICT runs only for vessels that are really new (every ON CONFLICT
-- attempt consumes a sequence value, even when it ends up doing nothing). Input is sorted by
-- mmsi and de-duplicated by the caller, so concurrent writers take unique-index locks in the
-- same order. A vessel inserted concurrently after this statement's snapshot is neither in
-- `existing` nor returned by `inserted`; the caller re-selects those.
WITH input AS (
  SELECT t.mmsi, t.first_ms, t.last_ms
  FROM unnest($1::integer[], $2::bigint[], $3::bigint[]) AS t(mmsi, first_ms, last_ms)
), existing AS (
  SELECT v.id, v.mmsi FROM vessels v WHERE v.mmsi = ANY ($1::integer[])
), inserted AS (
  INSERT INTO vessels (mmsi, first_seen, last_seen)
  SELECT i.mmsi,
         'epoch'::timestamptz + i.first_ms * interval '1 millisecond',
         'epoch'::timestamptz + i.last_ms * interval '1 millisecond'
  FROM input i
  WHERE NOT EXISTS (SELECT 1 FROM existing e WHERE e.mmsi = i.mmsi)
  ORDER BY i.mmsi
  ON CONFLICT (mmsi) DO NOTHING
  RETURNING id, mmsi
)
SELECT id, mmsi, false AS inserted FROM existing
UNION ALL
SELECT id, mmsi, true AS inserted FROM inserted
