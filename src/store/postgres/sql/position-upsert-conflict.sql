-- Included by both position upserts (from unnest arrays and from the COPY staging table), so
-- the two methods cannot drift apart. Rows arrive sorted by (vessel_id, ts) and de-duplicated
-- (the highest score kept), so concurrent writers lock index entries in one global order and
-- ON CONFLICT never meets the same key twice in one command (the key includes ts, the
-- partition key, so the order is one total order over the keys of every partition). A duplicate replaces the stored
-- row only with a better score.
ON CONFLICT (vessel_id, ts) DO UPDATE SET
  lat = EXCLUDED.lat, lon = EXCLUDED.lon, sog = EXCLUDED.sog, cog = EXCLUDED.cog,
  heading_status = EXCLUDED.heading_status, source_id = EXCLUDED.source_id, score = EXCLUDED.score
WHERE EXCLUDED.score > p.score
-- One row per stored change. Inserted and updated rows are told apart by the caller from the
-- keys that existed in the statement's snapshot (`RETURNING xmax = 0` cannot be used: a row
-- routed to a partition has no xmax to return); a key a concurrent writer inserts after that
-- snapshot is then counted as inserted, which only the counters see.
RETURNING p.vessel_id
