-- aisctl doctor: checkpoints since the statistics were reset, timed (checkpoint_timeout) against
-- requested (WAL reached max_wal_size, or CHECKPOINT by hand), and the time their write and sync
-- phases took (ms). PostgreSQL 15 keeps these in pg_stat_bgwriter.
SELECT checkpoints_timed::bigint AS timed,
       checkpoints_req::bigint AS requested,
       checkpoint_write_time::float8 AS write_ms,
       checkpoint_sync_time::float8 AS sync_ms,
       extract(epoch FROM now() - stats_reset)::float8 AS since_reset_s
FROM pg_stat_bgwriter
