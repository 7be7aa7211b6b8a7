-- The reference engine's stand-in for mz_now(): the wall clock, for this session's next queries.
select set_config('lab.now', now()::text, false)
