-- Moves the partition's position past the batch, in the batch's transaction. $1 topic,
-- $2 partition, $3 the offset of the next message to store.
update lab_bridge.consumed_offsets
set next_offset = $3
where topic = $1 and partition = $2
