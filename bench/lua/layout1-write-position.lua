-- Applies position reports for many vessels of one bucket atomically, each only if it is newer
-- than the stored state (same time: only with a better score), so out-of-order input never
-- moves a vessel backwards.
-- KEYS[1] geo index, KEYS[2] active index, KEYS[3..] vessel hashes (one per report).
-- ARGV[i - 2] is the report for KEYS[i], packed in one string:
--   mmsi|ts|lat|lon|sog|cog|heading|navStatus|score|source
-- '' for not available (the field is removed so stale values never linger). The source is last
-- and taken whole, so it may contain '|'. One argument per vessel instead of ten: the client
-- encodes and Redis parses a tenth of the bulk strings (see docs/storage.md for the figures).
-- Returns { applied, stale }.
local geo, active = KEYS[1], KEYS[2]
local applied, stale = 0, 0
local match = string.match
local PACKED = '^([^|]*)|([^|]*)|([^|]*)|([^|]*)|([^|]*)|([^|]*)|([^|]*)|([^|]*)|([^|]*)|(.*)$'
local optional = { 'sg', 'cg', 'hd', 'ns' }
for i = 3, #KEYS do
  local key = KEYS[i]
  local mmsi, tsText, la, lo, sg, cg, hd, ns, scText, src = match(ARGV[i - 2], PACKED)
  local ts = tonumber(tsText)
  local score = tonumber(scText)
  if ts == nil or score == nil then
    return redis.error_reply('write-position: malformed report for ' .. key)
  end
  local cur = redis.call('HMGET', key, 't', 'sc')
  local curTs = tonumber(cur[1])
  local newer = curTs == nil or ts > curTs or (ts == curTs and score > (tonumber(cur[2]) or -1))
  if newer then
    -- One HSET with every present field: fewer listpack reallocations than field by field.
    local set = { 't', tsText, 'la', la, 'lo', lo, 'src', src, 'sc', scText }
    local gone = {}
    local values = { sg, cg, hd, ns }
    for j = 1, 4 do
      local v = values[j]
      if v == '' then gone[#gone + 1] = optional[j] else set[#set + 1] = optional[j]; set[#set + 1] = v end
    end
    redis.call('HSET', key, unpack(set))
    if #gone > 0 then redis.call('HDEL', key, unpack(gone)) end
    -- Redis geo indexes stop at +-85.05112878 deg latitude (Web Mercator) and GEOADD raises an
    -- error beyond, which would abort the rest of this call for a valid polar fix: such a
    -- vessel keeps its hash state but is left out of the geo index.
    local lat = tonumber(la)
    if lat ~= nil and lat >= -85.05112878 and lat <= 85.05112878 then
      redis.call('GEOADD', geo, lo, la, mmsi)
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
