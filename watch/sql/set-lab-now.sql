-- The reference engine's stand-in for mz_now(), for this session's next queries: $1 (the time
-- another connection of the same refresh was set to, or a time the bench replays), else the wall
-- clock. Returns the time set, so every connection of one refresh reads the same windows.
select set_config('lab.now', coalesce($1::text, now()::text), false) as lab_now
