-- aisctl doctor: rows in the default partition of vessel_positions (strays written while their
-- partition could not be created), counted up to $1 so a large default costs a bounded scan.
SELECT count(*)::bigint AS n FROM (SELECT 1 FROM vessel_positions_default LIMIT $1) x
