-- One batch of prediction messages as the Kafka source sees them: the value as text (NULL for a
-- message without a value) and the message's timestamp. Nothing is parsed here: malformed
-- messages land too, and the SQL (30_staging) decides what they are worth. $1 texts, $2 times.
insert into public.conversion_predictions_raw ("text", received_at)
select "text", received_at
from unnest($1::text[], $2::timestamptz[]) as batch ("text", received_at)
