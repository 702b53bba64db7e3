-- Vessels of the read benchmark: $1 vessels with MMSIs from 219000000 and static data, seen
-- from $2 to $3 (epoch ms). Vessel ids come out as 1..$1 in a fresh database (checked after).
INSERT INTO vessels (mmsi, name, callsign, imo, ship_type, to_bow, to_stern, to_port, to_starboard, draught, destination,
                     first_seen, last_seen, static_updated_at)
SELECT 219000000 + g, 'BENCH VESSEL ' || g, 'OX' || g, 9000000 + g, 70, 100, 20, 10, 10, 7.5, 'AARHUS',
       'epoch'::timestamptz + $2::bigint * interval '1 millisecond',
       'epoch'::timestamptz + $3::bigint * interval '1 millisecond',
       'epoch'::timestamptz + $2::bigint * interval '1 millisecond'
FROM generate_series(0, $1::int - 1) AS g
ORDER BY g
