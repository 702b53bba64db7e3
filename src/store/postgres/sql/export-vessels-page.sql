-- Vessels with at least one position in [$1, $2) ms, in MMSI order after $3, $4 at a time: the
-- GeoJSON export writes one vessel's track after another. first_seen/last_seen narrow the
-- candidates cheaply (last_seen may lag the last fix by the writer's granularity, 60 s by
-- default, hence the margin); the EXISTS probe on the primary key makes the answer exact.
-- $5: MMSIs or NULL for all.
SELECT v.id, v.mmsi, v.name
FROM vessels v
WHERE v.mmsi > $3
  AND v.deleted_at IS NULL
  AND ($5::integer[] IS NULL OR v.mmsi = ANY ($5::integer[]))
  AND v.first_seen < 'epoch'::timestamptz + $2::bigint * interval '1 millisecond'
  AND v.last_seen >= 'epoch'::timestamptz + $1::bigint * interval '1 millisecond' - interval '1 hour'
  AND EXISTS (
    SELECT 1 FROM vessel_positions p
    WHERE p.vessel_id = v.id
      AND p.ts >= 'epoch'::timestamptz + $1::bigint * interval '1 millisecond'
      AND p.ts < 'epoch'::timestamptz + $2::bigint * interval '1 millisecond')
ORDER BY v.mmsi
LIMIT $4
