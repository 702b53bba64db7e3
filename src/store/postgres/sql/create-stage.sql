-- Per-connection staging table for COPY, emptied at each commit (only when the transaction
-- used it). Created once per pooled connection. Values arrive in the stored units of
-- vessel_positions (position-units.ts); time as epoch milliseconds. The name changed with the
-- units (migration 004), so a session holding the old table (behind PgBouncer) cannot meet it.
CREATE TEMP TABLE IF NOT EXISTS aisctl_stage_positions (
  vessel_id integer, ts_ms bigint, lat integer, lon integer, score real,
  sog smallint, cog smallint, heading_status smallint, source_id smallint
) ON COMMIT DELETE ROWS
