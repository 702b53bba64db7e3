-- DELIBERATELY UNSAFE (the seed's bug, kept for the deadlock stress test): rows are upserted in
-- arrival order, so two transactions with overlapping vessels lock them in different orders.
INSERT INTO vessels AS v (mmsi, first_seen, last_seen)
SELECT t.mmsi, 'epoch'::timestamptz + t.ts_ms * interval '1 millisecond',
       'epoch'::timestamptz + t.ts_ms * interval '1 millisecond'
FROM unnest($1::integer[], $2::bigint[]) WITH ORDINALITY AS t(mmsi, ts_ms, n)
ORDER BY t.n
ON CONFLICT (mmsi) DO UPDATE SET last_seen = GREATEST(v.last_seen, EXCLUDED.last_seen)
RETURNING id, mmsi
