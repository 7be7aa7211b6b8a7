-- bridge/schema/10_offsets_table.sql
--
-- Teaching point: exactly-once from Kafka into a database without Kafka transactions: keep the
--                 consumed position in the same database, and move it in the same transaction
--                 as the rows. A crash either keeps both or neither.
-- Grain:          one row per (topic, partition): the offset of the next message to store.
-- Written by:     bridge/store.ts (claim-offset.sql, save-offset.sql), in each batch's transaction.
-- Read by:        bridge/store.ts on start-up (where to seek) and before each batch (what to skip).
-- Runs only in:   `npm run migrate -- --target reference` (after the raw table it feeds), never in
--                 Materialize, whose Kafka source keeps its offsets itself. The bridge itself
--                 creates nothing: it logs in as lab_bridge (20_bridge_role.sql), which may not.
-- Why not Kafka's committed offsets? They are written after the rows commit, in another system:
--                 a crash between the two would re-insert a batch (counted twice).

create schema if not exists lab_bridge;

create table if not exists lab_bridge.consumed_offsets (
    topic text not null,
    partition integer not null,
    next_offset bigint not null check (next_offset >= 0),
    primary key (topic, partition)
);
