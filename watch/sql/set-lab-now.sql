-- The reference engine's stand-in for mz_now(), for this session's next queries: $1 (a time the
-- bench replays), else the wall clock.
select set_config('lab.now', coalesce($1::text, now()::text), false)
