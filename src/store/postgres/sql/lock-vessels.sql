-- Locks, in id order, the vessel rows of a batch that need an update, and returns their ids.
-- Locking in id order matters because UPDATE ... FROM locks rows in whatever order its join plan
-- produces them, which differs between plans and so between concurrent writers. A row needs an
-- update when the batch carries static data, an earlier first_seen, or a last_seen more than
-- $5 ms past the stored one (last_seen is kept to that granularity so that a steady feed does
-- not rewrite every vessel row in every batch; the exact last fix is in vessel_positions).
-- FOR NO KEY UPDATE does not conflict with the FOR KEY SHARE locks of the foreign-key checks
-- of concurrent position inserts. Under READ COMMITTED a row changed by a concurrent writer is
-- re-checked against the WHERE clause once its lock is obtained.
SELECT v.id
FROM vessels v
JOIN unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::boolean[]) AS u(id, first_ms, last_ms, has_static)
  ON v.id = u.id
WHERE u.has_static
   OR v.first_seen > 'epoch'::timestamptz + u.first_ms * interval '1 millisecond'
   OR v.last_seen < 'epoch'::timestamptz + (u.last_ms - $5::bigint) * interval '1 millisecond'
ORDER BY v.id
FOR NO KEY UPDATE OF v
