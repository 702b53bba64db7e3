-- Removes vessels whose last report is older than the cut from the state hash, geo set and active
-- set of a range of shards of one bucket, all in one atomic call, so the three never disagree.
-- Soft-delete marks stay: a deleted vessel that reports again is still hidden.
-- KEYS[1] the bucket's newest-event key (it names the slot); the shard keys are derived from
-- ARGV[1] (same hash tag). ARGV[1] bucket key prefix, ARGV[2] first shard, ARGV[3] shard after
-- the last, ARGV[4] the cut (ms). Returns the number of vessels removed.
local prefix = ARGV[1]
local cut = '(' .. ARGV[4]
local removed = 0
for shard = tonumber(ARGV[2]), tonumber(ARGV[3]) - 1 do
  local akey = prefix .. 'a:' .. shard
  local stale = redis.call('ZRANGEBYSCORE', akey, '-inf', cut)
  if #stale > 0 then
    local fields = {}
    for _, member in ipairs(stale) do
      local mmsi = tonumber(member)
      fields[#fields + 1] = member
      fields[#fields + 1] = tostring(-mmsi)
      fields[#fields + 1] = string.format('%d', mmsi + 1000000000)
    end
    redis.call('ZREMRANGEBYSCORE', akey, '-inf', cut)
    redis.call('ZREM', prefix .. 'g:' .. shard, unpack(stale))
    redis.call('HDEL', prefix .. 'v:' .. shard, unpack(fields))
    removed = removed + #stale
  end
end
return removed
