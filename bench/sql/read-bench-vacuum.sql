VACUUM (ANALYZE) vessel_positions, vessels
