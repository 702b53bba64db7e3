-- Applies position reports for many vessels of one bucket atomically, each only if it is newer
-- than the stored state (same time: only with a better score), so out-of-order input never
-- moves a vessel backwards.
-- KEYS[1] the bucket's newest-event key (`{b}:newest`); every other key is derived from ARGV[1]
-- and shares its hash tag, so the call stays in one slot.
-- ARGV[1] bucket key prefix (`env:ais:{b}:`), ARGV[2] buckets, ARGV[3] shards per bucket,
-- ARGV[4] backstop expiry of the shard keys in ms (0: none), ARGV[5] the shards whose expiry the
-- writer renews with this call (space-separated; expiry-refresh.ts), ARGV[6..] one report per
-- vessel: uint32 mmsi then the packed position stored as is (packed-state.ts: float64 ts,
-- float64 score, int32 lat and lon in 1/600000 degree, ...). One argument per vessel: the client
-- encodes and Redis parses one bulk string instead of ten.
-- A write that adds a member to a shard key (which creates the key when it is the first)
-- renews that shard's expiry too, so no key is ever left without one.
-- Returns { applied, stale }.
local newestKey, prefix = KEYS[1], ARGV[1]
local buckets, shards, expiry = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local applied, stale, newest = 0, 0, nil
local unpack4 = struct.unpack
local floor = math.floor
local renew = {}
for s in string.gmatch(ARGV[5], '%d+') do renew[tonumber(s)] = true end
-- Key names per shard, built once per call: a bucket's few hundred shards, not one concat per report.
local vkeys, gkeys, akeys = {}, {}, {}
for i = 6, #ARGV do
  local a = ARGV[i]
  local mmsi, ts, score, lat, lon = unpack4('<I4ddi4i4', a)
  local shard = floor(mmsi / buckets) % shards
  local vkey = vkeys[shard]
  if vkey == nil then
    vkey = prefix .. 'v:' .. shard
    vkeys[shard] = vkey
    gkeys[shard] = prefix .. 'g:' .. shard
    akeys[shard] = prefix .. 'a:' .. shard
  end
  local field = tostring(mmsi)
  local cur = redis.call('HGET', vkey, field)
  local newer = true
  if cur then
    local curTs, curScore = unpack4('<dd', cur)
    newer = ts > curTs or (ts == curTs and score > curScore)
  end
  if newer then
    local added = redis.call('HSET', vkey, field, string.sub(a, 5))
    -- Redis geo indexes stop at +-85.05112878 deg latitude (Web Mercator) and GEOADD raises an
    -- error beyond, which would abort the rest of this call for a valid polar fix: such a
    -- vessel keeps its state but is left out of the geo index.
    local latDeg = lat / 600000
    if latDeg >= -85.05112878 and latDeg <= 85.05112878 then
      added = added + redis.call('GEOADD', gkeys[shard], lon / 600000, latDeg, field)
    else
      redis.call('ZREM', gkeys[shard], field)
    end
    added = added + redis.call('ZADD', akeys[shard], 'GT', ts, field)
    if added > 0 then renew[shard] = true end
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
  for shard in pairs(renew) do
    redis.call('PEXPIRE', prefix .. 'v:' .. shard, expiry)
    redis.call('PEXPIRE', prefix .. 'g:' .. shard, expiry)
    redis.call('PEXPIRE', prefix .. 'a:' .. shard, expiry)
  end
end
return { applied, stale }
