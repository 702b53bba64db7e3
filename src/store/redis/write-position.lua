-- Applies position reports for many vessels of one bucket atomically, each only if it is newer
-- than the stored state (same time: only with a better score), so out-of-order input never
-- moves a vessel backwards.
-- KEYS[1] the bucket's newest-event key (`{b}:newest`); every other key is derived from ARGV[1]
-- and shares its hash tag, so the call stays in one slot.
-- ARGV[1] bucket key prefix (`env:ais:{b}:`), ARGV[2] buckets, ARGV[3] shards per bucket,
-- ARGV[4] backstop expiry of the touched shard keys in ms (0: none), ARGV[5..] one report per
-- vessel: uint32 mmsi then the packed position stored as is (packed-state.ts: float64 ts,
-- float64 score, int32 lat and lon in 1/600000 degree, ...). One argument per vessel: the client
-- encodes and Redis parses one bulk string instead of ten.
-- Returns { applied, stale }.
local newestKey, prefix = KEYS[1], ARGV[1]
local buckets, shards, expiry = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local applied, stale, newest = 0, 0, nil
local unpack4 = struct.unpack
local floor = math.floor
local touched = {}
for i = 5, #ARGV do
  local a = ARGV[i]
  local mmsi, ts, score, lat, lon = unpack4('<I4ddi4i4', a)
  local shard = floor(mmsi / buckets) % shards
  local vkey = prefix .. 'v:' .. shard
  local field = tostring(mmsi)
  local cur = redis.call('HGET', vkey, field)
  local newer = true
  if cur then
    local curTs, curScore = unpack4('<dd', cur)
    newer = ts > curTs or (ts == curTs and score > curScore)
  end
  if newer then
    redis.call('HSET', vkey, field, string.sub(a, 5))
    local gkey = prefix .. 'g:' .. shard
    -- Redis geo indexes stop at +-85.05112878 deg latitude (Web Mercator) and GEOADD raises an
    -- error beyond, which would abort the rest of this call for a valid polar fix: such a
    -- vessel keeps its state but is left out of the geo index.
    local latDeg = lat / 600000
    if latDeg >= -85.05112878 and latDeg <= 85.05112878 then
      redis.call('GEOADD', gkey, lon / 600000, latDeg, field)
    else
      redis.call('ZREM', gkey, field)
    end
    redis.call('ZADD', prefix .. 'a:' .. shard, 'GT', ts, field)
    touched[shard] = true
    applied = applied + 1
    if newest == nil or ts > newest then newest = ts end
  else
    stale = stale + 1
  end
end
if newest ~= nil then
  local stored = tonumber(redis.call('GET', newestKey))
  if stored == nil or newest > stored then redis.call('SET', newestKey, string.format('%d', newest)) end
end
if expiry > 0 then
  for shard in pairs(touched) do
    redis.call('PEXPIRE', prefix .. 'v:' .. shard, expiry)
    redis.call('PEXPIRE', prefix .. 'g:' .. shard, expiry)
    redis.call('PEXPIRE', prefix .. 'a:' .. shard, expiry)
  end
end
return { applied, stale }
