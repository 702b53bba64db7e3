-- Applies static reports (name, callsign, ...) for many vessels of one bucket. A report newer
-- than the stored static time overwrites the fields it carries; an older one only fills gaps
-- (type 24 parts A and B each carry some fields). A vessel first seen through a static report
-- enters the active index so that pruning finds it too; positions move its score forward.
-- KEYS[1] the bucket's newest-event key; the shard keys are derived from ARGV[1] (same hash tag).
-- ARGV[1] bucket key prefix, ARGV[2] buckets, ARGV[3] shards per bucket, ARGV[4] backstop expiry
-- (ms, 0: none), ARGV[5] the shards whose expiry the writer renews with this call
-- (space-separated; expiry-refresh.ts; a write that adds a member to a shard key renews that
-- shard too, as in write-position.lua), then 12 values per report: mmsi, ts, name, callsign, imo, shipType, toBow,
-- toStern, toPort, toStarboard, draught (0.1 m), destination; '' for not available.
-- Stored in the shard hash as two fields, each short enough to keep the hash a listpack:
--   -mmsi          float64 static ts, uint32 imo, uint8 shipType, uint16 x4 dimensions,
--                  uint16 draught (0.1 m), then the callsign (0 and '' mean not available)
--   mmsi + 10^9    name, NUL, destination
-- Returns { applied, stale }.
local newestKey, prefix = KEYS[1], ARGV[1]
local buckets, shards, expiry = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local NUMBERS = '<dI4BHHHHH'
local applied, stale, newest = 0, 0, nil
local renew = {}
for s in string.gmatch(ARGV[5], '%d+') do renew[tonumber(s)] = true end
local function present(v)
  if v == nil or v == '' or v == 0 then return nil end
  return v
end
for b = 6, #ARGV, 12 do
  local mmsi = tonumber(ARGV[b])
  local ts = tonumber(ARGV[b + 1])
  local shard = math.floor(mmsi / buckets) % shards
  local vkey = prefix .. 'v:' .. shard
  local numField = tostring(-mmsi)
  local textField = string.format('%d', mmsi + 1000000000)
  local cur = redis.call('HMGET', vkey, numField, textField)
  local added = 0
  -- imo, shipType, toBow, toStern, toPort, toStarboard, draught, callsign, name, destination
  local s = {}
  local curTs = nil
  if cur[1] then
    local t, imo, st, bow, stern, port, stbd, dr, nextPos = struct.unpack(NUMBERS, cur[1])
    curTs = t
    s = { present(imo), present(st), present(bow), present(stern), present(port), present(stbd), present(dr), present(string.sub(cur[1], nextPos)) }
  end
  if cur[2] then
    local name, dest = string.match(cur[2], '^([^%z]*)%z(.*)$')
    s[9], s[10] = present(name), present(dest)
  end
  local incoming = {
    present(tonumber(ARGV[b + 4])), present(tonumber(ARGV[b + 5])), present(tonumber(ARGV[b + 6])), present(tonumber(ARGV[b + 7])),
    present(tonumber(ARGV[b + 8])), present(tonumber(ARGV[b + 9])), present(tonumber(ARGV[b + 10])),
    present(ARGV[b + 3]), present(ARGV[b + 2]), present(ARGV[b + 11]),
  }
  local newer = curTs == nil or ts > curTs
  local changed = false
  for j = 1, 10 do
    local v = incoming[j]
    if v ~= nil and s[j] ~= v and (newer or s[j] == nil) then
      s[j] = v
      changed = true
    end
  end
  if newer or changed then
    local storedTs = curTs
    if newer then storedTs = ts end
    added = redis.call('HSET', vkey, numField,
      struct.pack(NUMBERS, storedTs, s[1] or 0, s[2] or 0, s[3] or 0, s[4] or 0, s[5] or 0, s[6] or 0, s[7] or 0) .. (s[8] or ''))
    if s[9] ~= nil or s[10] ~= nil then added = added + redis.call('HSET', vkey, textField, (s[9] or '') .. '\0' .. (s[10] or '')) end
    applied = applied + 1
  else
    stale = stale + 1
  end
  added = added + redis.call('ZADD', prefix .. 'a:' .. shard, 'NX', ts, tostring(mmsi))
  if added > 0 then renew[shard] = true end
  if newest == nil or ts > newest then newest = ts end
end
if newest ~= nil then
  local stored = tonumber(redis.call('GET', newestKey))
  if stored == nil or newest > stored then redis.call('SET', newestKey, string.format('%d', newest)) end
end
if expiry > 0 then
  for shard in pairs(renew) do
    redis.call('PEXPIRE', prefix .. 'v:' .. shard, expiry)
    redis.call('PEXPIRE', prefix .. 'a:' .. shard, expiry)
  end
end
return { applied, stale }
