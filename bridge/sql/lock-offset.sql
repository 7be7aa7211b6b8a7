-- The partition's stored position, locked until the batch's transaction ends (a second bridge
-- on the same database waits here instead of storing the same messages again). $1 topic,
-- $2 partition. Run after claim-offset.sql, so the row exists.
select next_offset
from lab_bridge.consumed_offsets
where topic = $1 and partition = $2
for update
