-- Transaction-local: a window's sort may use more memory than the default 4 MB before it
-- spills, and a dense window may take longer than the pool's statement_timeout.
SELECT set_config('work_mem', $1, true), set_config('statement_timeout', $2, true)
