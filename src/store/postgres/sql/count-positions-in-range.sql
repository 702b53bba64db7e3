-- Rows of an MMSI range within [from, to): verification for the stress harness and benchmarks.
SELECT count(*)::bigint AS n
FROM vessel_positions p JOIN vessels v ON v.id = p.vessel_id
WHERE v.mmsi >= $1 AND v.mmsi < $2
  AND p.ts >= 'epoch'::timestamptz + $3::bigint * interval '1 millisecond'
  AND p.ts < 'epoch'::timestamptz + $4::bigint * interval '1 millisecond'
