-- Keeps the first deletion time when called twice.
UPDATE vessels SET deleted_at = COALESCE(deleted_at, now()) WHERE mmsi = $1 RETURNING id
