-- Applies position reports for many vessels of one bucket atomically, each only if it is newer
-- than the stored state (same time: only with a better score), so out-of-order input never
-- moves a vessel backwards.
-- KEYS[1] geo index, KEYS[2] active index, KEYS[3..] vessel hashes (one per report).
-- ARGV: 10 values per report: mmsi, ts, lat, lon, sog, cog, heading, navStatus, source, score;
-- '' for not available (the field is removed so stale values never linger).
-- Returns { applied, stale }.
local geo, active = KEYS[1], KEYS[2]
local applied, stale = 0, 0
local optional = { 'sg', 'cg', 'hd', 'ns' }
for i = 3, #KEYS do
  local key = KEYS[i]
  local b = (i - 3) * 10
  local mmsi = ARGV[b + 1]
  local ts = tonumber(ARGV[b + 2])
  local score = tonumber(ARGV[b + 10])
  local cur = redis.call('HMGET', key, 't', 'sc')
  local curTs = tonumber(cur[1])
  local newer = curTs == nil or ts > curTs or (ts == curTs and score > (tonumber(cur[2]) or -1))
  if newer then
    -- One HSET with every present field: fewer listpack reallocations than field by field.
    local set = { 't', ARGV[b + 2], 'la', ARGV[b + 3], 'lo', ARGV[b + 4], 'src', ARGV[b + 9], 'sc', ARGV[b + 10] }
    local gone = {}
    for j = 1, 4 do
      local v = ARGV[b + 4 + j]
      if v == '' then gone[#gone + 1] = optional[j] else set[#set + 1] = optional[j]; set[#set + 1] = v end
    end
    redis.call('HSET', key, unpack(set))
    if #gone > 0 then redis.call('HDEL', key, unpack(gone)) end
    -- Redis geo indexes stop at +-85.05112878 deg latitude (Web Mercator) and GEOADD raises an
    -- error beyond, which would abort the rest of this call for a valid polar fix: such a
    -- vessel keeps its hash state but is left out of the geo index.
    local lat = tonumber(ARGV[b + 3])
    if lat ~= nil and lat >= -85.05112878 and lat <= 85.05112878 then
      redis.call('GEOADD', geo, ARGV[b + 4], ARGV[b + 3], mmsi)
    else
      redis.call('ZREM', geo, mmsi)
    end
    redis.call('ZADD', active, 'GT', ts, mmsi)
    applied = applied + 1
  else
    stale = stale + 1
  end
end
return { applied, stale }
