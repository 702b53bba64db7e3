-- Prototype of a compressed layout (TimescaleDB-style): one row per vessel and day holding that
-- day's positions as arrays, times and coordinates delta-encoded (each element the difference to
-- the previous one: small numbers), compressed by TOAST (lz4) from 128 bytes on (the default
-- threshold, ~2 kB, would leave the short segments of a benchmark fleet uncompressed, and a real
-- day of a vessel reporting every 10 s is far above it). Built from the rows of migration 004;
-- measured by bench/history-bytes.bench.ts, not used by aisctl.
SET default_toast_compression = 'lz4';
CREATE TABLE bench_position_segments (
  vessel_id integer NOT NULL,
  day timestamp NOT NULL,
  ts_delta_ms integer[] NOT NULL,
  lat_delta integer[] NOT NULL,
  lon_delta integer[] NOT NULL,
  sog smallint[] NOT NULL,
  cog smallint[] NOT NULL,
  heading_status smallint[] NOT NULL,
  source_id smallint[] NOT NULL,
  score real[] NOT NULL,
  PRIMARY KEY (vessel_id, day)
) WITH (toast_tuple_target = 128);
INSERT INTO bench_position_segments
SELECT vessel_id, day,
       array_agg(d_ts ORDER BY ts), array_agg(d_lat ORDER BY ts), array_agg(d_lon ORDER BY ts),
       array_agg(sog ORDER BY ts), array_agg(cog ORDER BY ts), array_agg(heading_status ORDER BY ts),
       array_agg(source_id ORDER BY ts), array_agg(score ORDER BY ts)
FROM (
  SELECT vessel_id, ts, date_trunc('day', ts AT TIME ZONE 'UTC') AS day,
         (extract(epoch FROM ts - coalesce(lag(ts) OVER w, date_trunc('day', ts AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')) * 1000)::integer AS d_ts,
         lat - coalesce(lag(lat) OVER w, 0) AS d_lat,
         lon - coalesce(lag(lon) OVER w, 0) AS d_lon,
         sog, cog, heading_status, source_id, score
  FROM vessel_positions
  WINDOW w AS (PARTITION BY vessel_id, date_trunc('day', ts AT TIME ZONE 'UTC') ORDER BY ts)
) x
GROUP BY vessel_id, day;
