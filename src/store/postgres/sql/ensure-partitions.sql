-- Creates the missing partitions of vessel_positions that hold the given times (epoch ms), in
-- this statement's own transaction: the writer runs it before a batch's transaction, so it
-- never holds row locks while it waits for the parent's lock. $2: the lock wait after which it
-- gives up (SQLSTATE 55P03) rather than stall ingest behind a long reader.
SELECT aisctl_ensure_partitions(ARRAY(SELECT 'epoch'::timestamptz + t * interval '1 millisecond' FROM unnest($1::bigint[]) AS t), $2::interval) AS created
