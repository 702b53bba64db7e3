-- The partition interval recorded by migration 004, in seconds.
SELECT extract(epoch FROM partition_interval)::bigint AS seconds FROM history_settings
