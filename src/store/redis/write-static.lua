-- Applies static reports (name, callsign, ...) for many vessels of one bucket. A report newer
-- than the stored static time overwrites the fields it carries; an older one only fills gaps
-- (type 24 parts A and B each carry some fields). A vessel first seen through a static report
-- enters the active index so that pruning finds it too; positions move its score forward.
-- KEYS[1] active index, KEYS[2..] vessel hashes.
-- ARGV: 9 values per report: mmsi, ts, name, callsign, imo, shipType, dims, draught, destination.
-- Returns { applied, stale }.
local active = KEYS[1]
local fields = { 'nm', 'cs', 'imo', 'st', 'dim', 'dr', 'dst' }
local applied, stale = 0, 0
for i = 2, #KEYS do
  local key = KEYS[i]
  local b = (i - 2) * 9
  local ts = tonumber(ARGV[b + 2])
  local curTs = tonumber(redis.call('HGET', key, 'sts'))
  local newer = curTs == nil or ts > curTs
  local changed = false
  local set = {}
  for j = 1, 7 do
    local v = ARGV[b + 2 + j]
    if v ~= '' then
      if newer then
        set[#set + 1] = fields[j]
        set[#set + 1] = v
      elseif redis.call('HSETNX', key, fields[j], v) == 1 then
        changed = true
      end
    end
  end
  if newer then
    set[#set + 1] = 'sts'
    set[#set + 1] = ARGV[b + 2]
    redis.call('HSET', key, unpack(set))
  end
  redis.call('ZADD', active, 'NX', ts, ARGV[b + 1])
  if newer or changed then applied = applied + 1 else stale = stale + 1 end
end
return { applied, stale }
