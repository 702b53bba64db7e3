-- Cancels the statements running in this database under one application_name (a run's own
-- sessions); idle sessions have nothing to cancel. Returns how many cancel requests were sent.
SELECT count(*) FILTER (WHERE pg_cancel_backend(pid))::int AS cancelled
FROM pg_stat_activity
WHERE datname = current_database()
  AND application_name = $1
  AND state = 'active'
  AND pid <> pg_backend_pid()
