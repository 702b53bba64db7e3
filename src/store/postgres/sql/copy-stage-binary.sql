COPY aisctl_stage_positions (vessel_id, ts_ms, lat, lon, score, sog, cog, heading_status, source_id) FROM STDIN (FORMAT binary)
