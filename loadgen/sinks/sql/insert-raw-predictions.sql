-- Prediction messages of this batch into the reference engine's stand-in for the Kafka source,
-- as raw text, each received at its send time (the simulated clock, no broker in between).
insert into public.conversion_predictions_raw (text, received_at)
select text, received_at
from unnest($1::text[], $2::timestamptz[]) as batch (text, received_at)
