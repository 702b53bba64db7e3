-- Hands `aisctl db migrate --partition-interval` (seconds) to migration 004, for this
-- transaction only; 004 records it in history_settings when it creates the partitioned table.
SELECT set_config('aisctl.partition_interval', $1::text, true)
