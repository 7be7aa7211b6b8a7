-- scripts/migrate/sql/drop-stale-replication-slots.sql
--
-- Teaching point: a replication slot makes Postgres keep WAL until its consumer reads it.
--                 The Materialize emulator keeps no state across restarts and creates a new
--                 `materialize_...` slot each time; the old, inactive ones would hold WAL
--                 (and disk) forever. Drop them before creating the source again.
-- Run by:         scripts/migrate/slots.ts, connected to the lab's upstream database, only
--                 when the Postgres source does not exist yet in Materialize.
-- Parameters:     $1 = slot name pattern ('materialize%').
-- Why not drop every such slot on the server? An active slot belongs to a running consumer,
--                 and a slot of another database belongs to somebody else.

select slot_name, pg_drop_replication_slot(slot_name)
from pg_replication_slots
where slot_name like $1
    and database = current_database()
    and not active
