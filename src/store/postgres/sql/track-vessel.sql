-- The vessel a track or export is read for; soft-deleted vessels are hidden as in every read.
SELECT id, mmsi FROM vessels WHERE mmsi = $1 AND deleted_at IS NULL
