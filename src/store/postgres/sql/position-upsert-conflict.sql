-- Included by both position upserts (from unnest arrays and from the COPY staging table), so
-- the two methods cannot drift apart. Rows arrive sorted by (vessel_id, ts) and de-duplicated
-- (the highest score kept), so concurrent writers lock index entries in one global order and
-- ON CONFLICT never meets the same key twice in one command. A duplicate replaces the stored
-- row only with a better score.
ON CONFLICT (vessel_id, ts) DO UPDATE SET
  lat = EXCLUDED.lat, lon = EXCLUDED.lon, sog = EXCLUDED.sog, cog = EXCLUDED.cog,
  heading = EXCLUDED.heading, nav_status = EXCLUDED.nav_status,
  source = EXCLUDED.source, score = EXCLUDED.score
WHERE EXCLUDED.score > p.score
-- xmax is 0 only on a freshly inserted tuple; an updated one carries our transaction id.
RETURNING (p.xmax = 0) AS inserted
