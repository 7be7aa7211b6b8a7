-- A partition seen for the first time starts at offset 0 (the topic's beginning). $1 topic, $2 partition.
insert into lab_bridge.consumed_offsets (topic, partition, next_offset)
values ($1, $2, 0)
on conflict (topic, partition) do nothing
