-- Test data: prediction messages as Kafka delivers them: $1 the message values (raw text,
-- NULL for a message without a value), $2 the broker timestamps, element by element.
insert into public.conversion_predictions_raw (text, received_at)
select message, received_at
from unnest($1::text[], $2::timestamptz[]) as batch (message, received_at)
