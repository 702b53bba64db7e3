-- Creates the partitions the default partition's rows belong to; aisctl_ensure_partitions
-- moves them there. Run by retention before it looks for partitions to drop, so strays are
-- neither kept forever nor dropped with anything newer.
SELECT aisctl_ensure_partitions(
  ARRAY(SELECT DISTINCT date_bin(h.partition_interval, d.ts, timestamptz '2000-01-03 00:00:00+00')
        FROM vessel_positions_default d, history_settings h),
  $1::interval) AS created
