-- Vessel search. [$1, $2): the MMSI range of a digit prefix (empty, -1..-1, for other text);
-- $3: an IMO number (-1 unless the text is a 7-digit number); $4: the text upper-cased with LIKE
-- wildcards escaped. Every arm of the OR can use an index of its own (mmsi unique,
-- vessels_imo_idx, the call-sign and name prefix indexes, the name trigram index where pg_trgm
-- is installed), so the plan is a BitmapOr; it is planned with the values (unnamed statement),
-- which is what lets LIKE 'TEXT%' use a prefix index. Exact matches rank first, then
-- prefixes, then names that contain the text.
SELECT id, mmsi, name, callsign, imo, ship_type, to_bow, to_stern, to_port, to_starboard, draught,
       destination, first_seen, last_seen, static_updated_at, deleted_at,
       CASE WHEN (v.mmsi = $1 AND $2 = $1 + 1) OR v.imo = $3 OR upper(v.callsign) = $4 OR upper(v.name) = $4 THEN 0
            WHEN (v.mmsi >= $1 AND v.mmsi < $2) OR upper(v.name) LIKE $4 || '%' OR upper(v.callsign) LIKE $4 || '%' THEN 1
            ELSE 2 END AS rank
FROM vessels v
WHERE v.deleted_at IS NULL
  AND ((v.mmsi >= $1 AND v.mmsi < $2)
    OR (v.imo IS NOT NULL AND v.imo = $3)
    OR (v.callsign IS NOT NULL AND upper(v.callsign) LIKE $4 || '%')
    OR (v.name IS NOT NULL AND upper(v.name) LIKE '%' || $4 || '%'))
ORDER BY rank, v.name NULLS LAST, v.mmsi
LIMIT $5
