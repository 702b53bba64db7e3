-- Vessels whose id is not mmsi - 219000000 + 1 (must be none for the generator's id arithmetic).
SELECT count(*)::int AS n FROM vessels WHERE id <> mmsi - 219000000 + 1
