-- Per-connection staging table for COPY, emptied at each commit (only when the transaction
-- used it). Created once per pooled connection.
CREATE TEMP TABLE IF NOT EXISTS aisctl_position_stage (
  vessel_id bigint, ts_ms bigint, lat float8, lon float8, sog real, cog real,
  heading smallint, nav_status smallint, source text, score real
) ON COMMIT DELETE ROWS
