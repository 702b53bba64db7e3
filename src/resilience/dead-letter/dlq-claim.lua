-- Claims due entries under a lease: their due time moves to now + lease, so a concurrent
-- replayer skips them, and if the claimer dies they come due again by themselves.
-- KEYS[1] pending zset  KEYS[2] pending payload hash  KEYS[3] pending firstFailedAt zset
-- ARGV[1] now  ARGV[2] limit  ARGV[3] lease ms
local now = tonumber(ARGV[1])
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))
local out = {}
for _, id in ipairs(ids) do
  local payload = redis.call('HGET', KEYS[2], id)
  if payload then
    redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), id)
    out[#out + 1] = id
    out[#out + 1] = payload
  else
    -- An index entry without payload cannot be replayed; drop it rather than spin on it.
    redis.call('ZREM', KEYS[1], id)
    redis.call('ZREM', KEYS[3], id)
  end
end
return out
