-- Which of these MMSIs are soft-deleted: Redis keeps their live state, so readers of it that
-- hide deleted vessels (the read API's near) ask PostgreSQL. Served by the mmsi unique index.
SELECT mmsi FROM vessels WHERE mmsi = ANY ($1::integer[]) AND deleted_at IS NOT NULL
