COPY aisctl_position_stage (vessel_id, ts_ms, lat, lon, sog, cog, heading, nav_status, source, score) FROM STDIN (FORMAT binary)
