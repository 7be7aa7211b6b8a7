-- Where the bridge continues, per partition of topic $1.
select partition, next_offset
from lab_bridge.consumed_offsets
where topic = $1
order by partition
