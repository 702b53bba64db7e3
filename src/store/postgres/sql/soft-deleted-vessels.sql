-- Every soft-deleted vessel, for copying the marks into a Redis that lost them. The partial
-- index vessels_deleted_at_idx lists exactly these rows.
SELECT mmsi FROM vessels WHERE deleted_at IS NOT NULL ORDER BY mmsi
