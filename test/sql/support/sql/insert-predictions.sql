-- Test data: prediction messages, one JSON text per element of $1, as Kafka delivers them.
insert into public.conversion_predictions_raw (data)
select message::jsonb
from unnest($1::text[]) as batch (message)
