-- The positions of one time window of an export, in time order (then MMSI), declared as a
-- server-side cursor so the client fetches them a page at a time. The window bounds are
-- epoch milliseconds; the BRIN index on ts finds the window's pages on an append-mostly table
-- (no B-tree on ts: every index costs every insert), and the window is sized by the caller so
-- that its sort stays small. The vessel's static columns ride along for the row formats that
-- carry them (MarineCadastre, DMA). $3: MMSIs or NULL for all; $4..$7: bbox W, S, E, N or NULL.
DECLARE aisctl_export NO SCROLL CURSOR FOR
SELECT v.mmsi, (extract(epoch FROM p.ts) * 1000)::float8 AS ts_ms,
       p.lat, p.lon, p.sog, p.cog, p.heading, p.nav_status, p.source,
       v.name, v.callsign, v.imo, v.ship_type, v.to_bow, v.to_stern, v.to_port, v.to_starboard,
       v.draught, v.destination, (extract(epoch FROM v.static_updated_at) * 1000)::float8 AS static_ms
FROM vessel_positions_decoded p
JOIN vessels v ON v.id = p.vessel_id
WHERE p.ts >= 'epoch'::timestamptz + $1::bigint * interval '1 millisecond'
  AND p.ts < 'epoch'::timestamptz + $2::bigint * interval '1 millisecond'
  AND v.deleted_at IS NULL
  AND ($3::integer[] IS NULL OR v.mmsi = ANY ($3::integer[]))
  AND ($4::float8 IS NULL OR (
        p.lat BETWEEN $5::float8 AND $7::float8
        AND (CASE WHEN $4::float8 <= $6::float8 THEN p.lon BETWEEN $4::float8 AND $6::float8
                  ELSE p.lon >= $4::float8 OR p.lon <= $6::float8 END)))
ORDER BY p.ts, v.mmsi
