-- bridge/sql/10_offsets_table.sql
--
-- Teaching point: exactly-once from Kafka into a database without Kafka transactions: keep the
--                 consumed position in the same database, and move it in the same transaction
--                 as the rows. A crash either keeps both or neither.
-- Grain:          one row per (topic, partition): the offset of the next message to store.
-- Written by:     bridge/store.ts (save-offset.sql), in each batch's transaction.
-- Read by:        bridge/store.ts on start-up (where to seek) and before each batch (what to skip).
-- Runs:           at every bridge start (idempotent), not as a migration: the schema is the
--                 bridge's own, private to it, and absent from Materialize, whose Kafka source
--                 keeps its offsets itself.
-- Why not Kafka's committed offsets? They are written after the rows commit, in another system:
--                 a crash between the two would re-insert a batch (counted twice).

create schema if not exists lab_bridge;

create table if not exists lab_bridge.consumed_offsets (
    topic text not null,
    partition integer not null,
    next_offset bigint not null check (next_offset >= 0),
    primary key (topic, partition)
);
