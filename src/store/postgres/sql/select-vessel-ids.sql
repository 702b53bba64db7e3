SELECT id, mmsi FROM vessels WHERE mmsi = ANY ($1::integer[])
