-- Removes vessels whose last report is older than the cutoff from all three structures at once,
-- re-checking the score so a vessel that reported since the caller's scan is kept.
-- KEYS[1] geo index, KEYS[2] active index, KEYS[3..] vessel hashes. ARGV[1] cutoff (ms),
-- ARGV[2..] the mmsis matching KEYS[3..]. Returns the number removed.
local removed = 0
local cutoff = tonumber(ARGV[1])
for i = 3, #KEYS do
  local mmsi = ARGV[i - 1]
  local score = tonumber(redis.call('ZSCORE', KEYS[2], mmsi))
  if score ~= nil and score < cutoff then
    redis.call('ZREM', KEYS[2], mmsi)
    redis.call('ZREM', KEYS[1], mmsi)
    redis.call('UNLINK', KEYS[i])
    removed = removed + 1
  end
end
return removed
