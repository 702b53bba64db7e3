UPDATE vessels SET deleted_at = NULL WHERE mmsi = $1 RETURNING id
