-- Served by a backward scan of the (vessel_id, ts) primary key.
SELECT p.ts, p.lat, p.lon, p.sog, p.cog, p.heading, p.nav_status, p.source, p.score
FROM vessels v
JOIN vessel_positions_decoded p ON p.vessel_id = v.id
WHERE v.mmsi = $1 AND (v.deleted_at IS NULL OR $3::boolean)
ORDER BY p.ts DESC
LIMIT $2
