-- Soft-deleted vessels are hidden unless $2 asks for them.
SELECT id, mmsi, name, callsign, imo, ship_type, to_bow, to_stern, to_port, to_starboard, draught,
       destination, first_seen, last_seen, static_updated_at, deleted_at
FROM vessels
WHERE mmsi = $1 AND (deleted_at IS NULL OR $2::boolean)
