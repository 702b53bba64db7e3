-- Reads the live state of many vessels of one bucket in one call.
-- KEYS[1] the bucket's set of soft-deleted mmsis; the shard keys are derived from ARGV[1] (same
-- hash tag). ARGV[1] bucket key prefix, ARGV[2] buckets, ARGV[3] shards per bucket,
-- ARGV[4..] mmsis.
-- Returns 5 values per mmsi: packed position, packed statics, name and destination (each false
-- when absent), the time of the last report (the active score, false when not in the index),
-- and 1 when the vessel is soft-deleted, else 0.
local deleted, prefix = KEYS[1], ARGV[1]
local buckets, shards = tonumber(ARGV[2]), tonumber(ARGV[3])
local out = {}
for i = 4, #ARGV do
  local mmsi = tonumber(ARGV[i])
  local shard = math.floor(mmsi / buckets) % shards
  local v = redis.call('HMGET', prefix .. 'v:' .. shard, ARGV[i], tostring(-mmsi), string.format('%d', mmsi + 1000000000))
  out[#out + 1] = v[1]
  out[#out + 1] = v[2]
  out[#out + 1] = v[3]
  out[#out + 1] = redis.call('ZSCORE', prefix .. 'a:' .. shard, ARGV[i])
  out[#out + 1] = redis.call('SISMEMBER', deleted, ARGV[i])
end
return out
