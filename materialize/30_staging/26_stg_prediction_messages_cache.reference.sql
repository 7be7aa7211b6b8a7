-- materialize/30_staging/26_stg_prediction_messages_cache.reference.sql
--
-- Teaching point: plain Postgres recomputes a view on every read, Materialize parses each
--                 message once, as it arrives. Here the reference engine does the same for the
--                 costliest step: a table, stg_prediction_messages_cache, holds the portable
--                 parse of every raw message, kept in step by statement-level triggers on
--                 conversion_predictions_raw, and stg_prediction_messages is redefined to read
--                 it with the same 16-minute temporal filter. Every view above reads the cache.
--                 The parse is not written here a second time: this file takes the definition
--                 that 25_stg_prediction_messages.sql has just created (pg_get_viewdef), swaps
--                 its source for the rows a statement changed, and mz_now() for -infinity (so
--                 every message passes the filter; the reading view applies it at read time).
-- Grain:          the cache: one row per raw message, every message ever received (the raw
--                 table keeps them all too), with `expires_at` = received_at + 16 minutes,
--                 indexed; the view: one row per message received less than 16 minutes
--                 before mz_now(), exactly the rows of the portable view.
-- Reads:          stg_prediction_messages as 25_stg_prediction_messages.sql defines it (at
--                 migration time only), conversion_predictions_raw (the triggers, and a refill).
-- Read by:        everything that reads stg_prediction_messages (30_stg_predictions.sql,
--                 40_prediction_message_windows.sql, 80_int_pipeline_health_slots.sql).
-- Runs only in:   `npm run migrate -- --target reference`, right after the portable view; in
--                 Materialize stg_prediction_messages stays the portable view (it is maintained).
-- How each change reaches the cache (the invariant: cache = parse(raw), as a multiset):
--                 INSERT parses the new rows (transition table) and appends them; DELETE and
--                 UPDATE delete the cached rows of every received_at the statement touched and
--                 parse again the raw rows that now have those times (the parse is row by row,
--                 so the rows of other times cannot change); TRUNCATE empties the cache. A
--                 migration rebuilds and refills the cache only when the parse changed (or the
--                 cache is missing): a second run finds the same triggers and changes nothing.
-- Whose rights: the trigger functions are `security definer` (the migration's owner), with a
--                 fixed search_path, so a writer of the raw table needs no right on the cache:
--                 the bridge's role lab_bridge may only append raw messages, and the cache
--                 follows.
-- Why not a materialized view? REFRESH parses every message again: the same cost, moved.
-- Why not parse in the bridge? Tests and students write the raw table directly, and the
--                 reference must run the very SQL Materialize runs: the cache holds its output.
-- Why not `mz_now() < received_at + interval '16 minutes'` when reading? Postgres cannot use
--                 an index for arithmetic on a column, and timestamptz + interval is not
--                 immutable, so no expression index either: the sum is stored (expires_at),
--                 and `mz_now() < expires_at` reads only the newest 16 minutes of the index,
--                 however long the lab has run.

do $migration$
declare
    portable_sql constant text := pg_get_viewdef('public.stg_prediction_messages'::regclass);
    source_pattern constant text := '\mFROM (public\.)?conversion_predictions_raw\M';
    mz_now_pattern constant text := '(public\.)?\mmz_now\(\)';
    parse_sql text;
    append_sql text;
    insert_body text;
begin
    if portable_sql ~ 'stg_prediction_messages_cache' then
        raise exception 'stg_prediction_messages already reads the cache: run 25_stg_prediction_messages.sql first (the whole migration does)';
    end if;
    if regexp_count(portable_sql, source_pattern) <> 1 or regexp_count(portable_sql, mz_now_pattern) <> 1 then
        raise exception 'stg_prediction_messages must read conversion_predictions_raw once and call mz_now() once (its temporal filter) for the cache to derive its parse; fix 25_stg_prediction_messages.sql or this file';
    end if;

    -- The portable parse of the rows in `messages_to_parse` (a CTE each statement below
    -- defines), with no temporal filter: the alias keeps the view's qualified column names.
    parse_sql := regexp_replace(
        regexp_replace(portable_sql, source_pattern, 'FROM messages_to_parse conversion_predictions_raw'),
        mz_now_pattern, '''-infinity''::timestamptz'
    );
    append_sql := format(
        'insert into public.stg_prediction_messages_cache select parsed.*, parsed.received_at + interval ''16 minutes'' from (%s) as parsed',
        rtrim(parse_sql, '; ' || chr(10))
    );
    insert_body := format(
        'begin with messages_to_parse as (select text, received_at from new_messages) %s; return null; end',
        append_sql
    );

    -- Unchanged parse, cache and its four triggers in place: nothing to do (a second migration run changes nothing).
    if to_regclass('public.stg_prediction_messages_cache') is not null
        and exists (
            select from pg_proc
            where oid = to_regprocedure('public.stg_prediction_messages_cache_after_insert()')
                and prosrc = insert_body
                and prosecdef
        )
        and (
            select count(*) from pg_trigger
            where tgrelid = 'public.conversion_predictions_raw'::regclass
                and tgname in (
                    'stg_prediction_messages_cache_after_insert', 'stg_prediction_messages_cache_after_delete',
                    'stg_prediction_messages_cache_after_update', 'stg_prediction_messages_cache_after_truncate'
                )
        ) = 4
    then
        return;
    end if;

    -- No message may arrive between the refill and the triggers.
    lock table public.conversion_predictions_raw in share row exclusive mode;

    drop table if exists public.stg_prediction_messages_cache;
    create table public.stg_prediction_messages_cache as
        select messages.*, messages.received_at + interval '16 minutes' as expires_at
        from public.stg_prediction_messages as messages
        with no data;
    create index stg_prediction_messages_cache_expires_at
        on public.stg_prediction_messages_cache (expires_at);
    create index stg_prediction_messages_cache_received_at
        on public.stg_prediction_messages_cache (received_at);

    execute format(
        'create or replace function public.stg_prediction_messages_cache_after_insert() returns trigger language plpgsql security definer set search_path = pg_catalog, public as %L',
        insert_body
    );
    execute format(
        'create or replace function public.stg_prediction_messages_cache_after_delete() returns trigger language plpgsql security definer set search_path = pg_catalog, public as %L',
        format(
            'begin delete from public.stg_prediction_messages_cache where received_at in (select received_at from old_messages); '
            'with messages_to_parse as (select text, received_at from public.conversion_predictions_raw '
            'where received_at in (select received_at from old_messages)) %s; return null; end',
            append_sql
        )
    );
    execute format(
        'create or replace function public.stg_prediction_messages_cache_after_update() returns trigger language plpgsql security definer set search_path = pg_catalog, public as %L',
        format(
            'begin delete from public.stg_prediction_messages_cache where received_at in '
            '(select received_at from old_messages union select received_at from new_messages); '
            'with messages_to_parse as (select text, received_at from public.conversion_predictions_raw where received_at in '
            '(select received_at from old_messages union select received_at from new_messages)) %s; return null; end',
            append_sql
        )
    );
    create or replace function public.stg_prediction_messages_cache_after_truncate()
    returns trigger
    language plpgsql
    security definer
    set search_path = pg_catalog, public
    as $body$ begin truncate public.stg_prediction_messages_cache; return null; end $body$;

    create or replace trigger stg_prediction_messages_cache_after_insert
        after insert on public.conversion_predictions_raw
        referencing new table as new_messages
        for each statement execute function public.stg_prediction_messages_cache_after_insert();
    create or replace trigger stg_prediction_messages_cache_after_delete
        after delete on public.conversion_predictions_raw
        referencing old table as old_messages
        for each statement execute function public.stg_prediction_messages_cache_after_delete();
    create or replace trigger stg_prediction_messages_cache_after_update
        after update on public.conversion_predictions_raw
        referencing old table as old_messages new table as new_messages
        for each statement execute function public.stg_prediction_messages_cache_after_update();
    create or replace trigger stg_prediction_messages_cache_after_truncate
        after truncate on public.conversion_predictions_raw
        for each statement execute function public.stg_prediction_messages_cache_after_truncate();

    -- The messages received before the cache existed (a lab that ran before this migration).
    execute format(
        'with messages_to_parse as (select text, received_at from public.conversion_predictions_raw) %s',
        append_sql
    );
end
$migration$;

-- The same columns as the portable view, from the cache, behind the same temporal filter.
create or replace view stg_prediction_messages as
select
    received_at,
    is_valid,
    rejection_reason,
    lead_id,
    experiment_bucket,
    model_version,
    score,
    threshold,
    label,
    predicted_at
from stg_prediction_messages_cache
where mz_now() < expires_at;
