-- One partition dropped in its own transaction (see aisctl_drop_position_partition in 004).
SELECT aisctl_drop_position_partition($1::text, 'epoch'::timestamptz + $2::float8 * interval '1 millisecond', $3::interval) AS dropped
