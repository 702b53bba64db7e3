-- Live vessels of one bucket within a radius, nearest first: GEOSEARCH on every shard's geo set,
-- then only those whose last report is at or after the cut and that are not soft-deleted, then
-- their packed state.
-- KEYS[1] the bucket's set of soft-deleted mmsis; the shard keys are derived from ARGV[1] (same
-- hash tag). ARGV[1] bucket key prefix, ARGV[2] shards per bucket, ARGV[3] lon, ARGV[4] lat,
-- ARGV[5] radius (m), ARGV[6] most results, ARGV[7] cut (ms, or -inf), ARGV[8] 1: include
-- soft-deleted vessels.
-- Returns 6 values per vessel, nearest first: mmsi, distance (m), last report (ms), packed
-- position, packed statics, name and destination (false when absent).
local deleted, prefix = KEYS[1], ARGV[1]
local shards, n = tonumber(ARGV[2]), tonumber(ARGV[6])
local cut = tonumber(ARGV[7]) or -math.huge
local withDeleted = ARGV[8] == '1'
local found = {}
for shard = 0, shards - 1 do
  local gkey, akey = prefix .. 'g:' .. shard, prefix .. 'a:' .. shard
  -- The nearest n that pass the filters: ask for more while the filters drop some.
  local count = n
  while true do
    local rows = redis.call('GEOSEARCH', gkey, 'FROMLONLAT', ARGV[3], ARGV[4], 'BYRADIUS', ARGV[5], 'm', 'ASC', 'COUNT', count, 'WITHDIST')
    local kept = {}
    for _, row in ipairs(rows) do
      local member = row[1]
      local ts = tonumber(redis.call('ZSCORE', akey, member))
      if ts ~= nil and ts >= cut and (withDeleted or redis.call('SISMEMBER', deleted, member) == 0) then
        kept[#kept + 1] = { member, tonumber(row[2]), ts, shard }
        if #kept == n then break end
      end
    end
    if #kept == n or #rows < count then
      for _, k in ipairs(kept) do found[#found + 1] = k end
      break
    end
    count = count * 4
  end
end
table.sort(found, function(a, b)
  if a[2] ~= b[2] then return a[2] < b[2] end
  return tonumber(a[1]) < tonumber(b[1])
end)
local out = {}
for i = 1, math.min(n, #found) do
  local f = found[i]
  local mmsi = tonumber(f[1])
  local v = redis.call('HMGET', prefix .. 'v:' .. f[4], f[1], tostring(-mmsi), string.format('%d', mmsi + 1000000000))
  out[#out + 1] = f[1]
  out[#out + 1] = tostring(f[2])
  out[#out + 1] = string.format('%d', f[3])
  out[#out + 1] = v[1]
  out[#out + 1] = v[2]
  out[#out + 1] = v[3]
end
return out
