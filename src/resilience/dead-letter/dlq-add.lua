-- Adds dead-letter entries idempotently: an id already pending or parked keeps its state, so a
-- spool hand-off repeated after a crash (or an entry written both to Redis and to the spool
-- after a timeout) cannot duplicate an entry or reset its attempts.
-- KEYS[1] pending zset (score nextAttemptAt)  KEYS[2] pending payload hash
-- KEYS[3] pending firstFailedAt zset           KEYS[4] parked payload hash
-- ARGV: repeated (id, nextAttemptAt, firstFailedAt, json)
local added = 0
for i = 1, #ARGV, 4 do
  local id = ARGV[i]
  if redis.call('HEXISTS', KEYS[4], id) == 0 and redis.call('HSETNX', KEYS[2], id, ARGV[i + 3]) == 1 then
    redis.call('ZADD', KEYS[1], ARGV[i + 1], id)
    redis.call('ZADD', KEYS[3], ARGV[i + 2], id)
    added = added + 1
  end
end
return added
