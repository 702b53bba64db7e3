-- Applies position reports for many vessels of one bucket atomically, each only if it is newer
-- than the stored state (same time: only with a better score), so out-of-order input never
-- moves a vessel backwards.
-- KEYS[1] the bucket's newest-event key (`{b}:newest`); every other key is derived from ARGV[1]
-- and shares its hash tag, so the call stays in one slot.
-- ARGV[1] bucket key prefix (`env:ais:{b}:`), ARGV[2] buckets, ARGV[3] shards per bucket,
-- ARGV[4] backstop expiry of the shard keys in ms (0: none), ARGV[5] the shards whose expiry the
-- writer renews with this call (space-separated; expiry-refresh.ts), ARGV[6] the reports, one per
-- vessel (packPositions in packed-state.ts): each its length (uint32), then uint32 mmsi and the
-- packed position stored as is (float64 ts, float64 score, int32 lat and lon in 1/600000 degree,
-- ...). One argument per call: the client packs and Redis parses one bulk string, not one per
-- vessel (nor ten per vessel, as layout 1 did).
-- The writer sends a shard's vessels next to each other (hot-state-writer.ts), and each run of
-- one shard is read with one HMGET and written with one HSET, GEOADD and ZADD: four commands per
-- vessel cost Redis about 11 us a vessel, two thirds of it the script's own call overhead.
-- A write that adds a member to a shard key (which creates the key when it is the first)
-- renews that shard's expiry too, so no key is ever left without one.
-- Returns { applied, stale }.
local newestKey, prefix = KEYS[1], ARGV[1]
local buckets, shards, expiry = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local applied, stale, newest = 0, 0, nil
local unpack4 = struct.unpack
local floor = math.floor
local sub = string.sub
local renew = {}
for s in string.gmatch(ARGV[5], '%d+') do renew[tonumber(s)] = true end

-- Each report (mmsi and packed value) and its mmsi, in call order.
local reports, mmsis = {}, {}

-- Writes reports[from..to], all of shard `shard`.
local function writeRun(shard, from, to)
  local vkey = prefix .. 'v:' .. shard
  local fields = {}
  for i = from, to do fields[#fields + 1] = tostring(mmsis[i]) end
  local stored = redis.call('HMGET', vkey, unpack(fields))
  local hset, geo, far, active = {}, {}, {}, {}
  -- Per field, the report this run takes (a field twice in one run: the newer one wins).
  local taken = {}
  for i = from, to do
    local a = reports[i]
    local _, ts, score, lat, lon = unpack4('<I4ddi4i4', a)
    local field = fields[i - from + 1]
    local curTs, curScore = nil, nil
    local t = taken[field]
    if t then
      curTs, curScore = t[1], t[2]
    else
      local cur = stored[i - from + 1]
      if cur then curTs, curScore = unpack4('<dd', cur) end
    end
    if curTs == nil or ts > curTs or (ts == curTs and score > curScore) then
      if t then applied = applied - 1; stale = stale + 1 end
      taken[field] = { ts, score, sub(a, 5), lat, lon }
      applied = applied + 1
      if newest == nil or ts > newest then newest = ts end
    else
      stale = stale + 1
    end
  end
  local added = 0
  for field, t in pairs(taken) do
    hset[#hset + 1] = field
    hset[#hset + 1] = t[3]
    -- Redis geo indexes stop at +-85.05112878 deg latitude (Web Mercator) and GEOADD raises an
    -- error beyond, which would abort the rest of this call for a valid polar fix: such a
    -- vessel keeps its state but is left out of the geo index.
    local latDeg = t[4] / 600000
    if latDeg >= -85.05112878 and latDeg <= 85.05112878 then
      geo[#geo + 1] = t[5] / 600000
      geo[#geo + 1] = latDeg
      geo[#geo + 1] = field
    else
      far[#far + 1] = field
    end
    active[#active + 1] = t[1]
    active[#active + 1] = field
  end
  if #hset == 0 then return end
  added = added + redis.call('HSET', vkey, unpack(hset))
  if #geo > 0 then added = added + redis.call('GEOADD', prefix .. 'g:' .. shard, unpack(geo)) end
  if #far > 0 then redis.call('ZREM', prefix .. 'g:' .. shard, unpack(far)) end
  added = added + redis.call('ZADD', prefix .. 'a:' .. shard, 'GT', unpack(active))
  if added > 0 then renew[shard] = true end
end

local blob = ARGV[6]
local at, size, n = 1, #blob, 0
while at <= size do
  local len = unpack4('<I4', blob, at)
  local a = sub(blob, at + 4, at + 3 + len)
  at = at + 4 + len
  n = n + 1
  reports[n] = a
  mmsis[n] = unpack4('<I4', a)
end

local runShard, runFrom = nil, 1
for i = 1, n do
  local shard = floor(mmsis[i] / buckets) % shards
  if shard ~= runShard then
    if runShard ~= nil then writeRun(runShard, runFrom, i - 1) end
    runShard, runFrom = shard, i
  end
end
if runShard ~= nil then writeRun(runShard, runFrom, n) end

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
