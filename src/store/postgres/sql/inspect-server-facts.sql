-- aisctl doctor: server facts of the connected database.
SELECT current_setting('server_version') AS server_version,
       current_setting('max_connections')::int AS max_connections,
       (SELECT count(*)::int FROM pg_stat_activity) AS connections,
       current_database() AS database,
       pg_database_size(current_database()) AS database_bytes
