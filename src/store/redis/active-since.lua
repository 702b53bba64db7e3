-- Vessels of one bucket whose last report is at or after a time, from every shard's active set.
-- KEYS[1] the bucket's set of soft-deleted mmsis; the shard keys are derived from ARGV[1] (same
-- hash tag). ARGV[1] bucket key prefix, ARGV[2] shards per bucket, ARGV[3] since (ms, or -inf),
-- ARGV[4] 1: include soft-deleted vessels, ARGV[5] 1: only count them.
-- Returns mmsi, score pairs (flat), or { count } when counting.
local deleted, prefix = KEYS[1], ARGV[1]
local shards = tonumber(ARGV[2])
local withDeleted, countOnly = ARGV[4] == '1', ARGV[5] == '1'
local out, count = {}, 0
for shard = 0, shards - 1 do
  local akey = prefix .. 'a:' .. shard
  if countOnly and withDeleted then
    count = count + redis.call('ZCOUNT', akey, ARGV[3], '+inf')
  else
    local rows = redis.call('ZRANGEBYSCORE', akey, ARGV[3], '+inf', 'WITHSCORES')
    for i = 1, #rows, 2 do
      if withDeleted or redis.call('SISMEMBER', deleted, rows[i]) == 0 then
        count = count + 1
        if not countOnly then
          out[#out + 1] = rows[i]
          out[#out + 1] = rows[i + 1]
        end
      end
    end
  end
end
if countOnly then return { count } end
return out
