-- materialize/20_sources/20_kafka_source.sql
--
-- Teaching point: predictions are events, not rows someone updates: an append-only Kafka
--                 source. The value arrives as plain text (one column, `text`) with the
--                 broker's timestamp beside it (`received_at`); parsing happens in SQL
--                 (30_staging/25_stg_prediction_messages.sql), behind guards, where a
--                 malformed message becomes a counted rejection instead of an error.
-- Grain:          one row per message on the topic, duplicates and malformed ones included.
-- Reads:          the topic named by KAFKA_TOPIC via kafka_connection.
-- Read by:        30_staging/25_stg_prediction_messages.sql.
-- Why not FORMAT JSON (one `data jsonb` column)? Materialize decodes each message before any
--                 SQL runs, and a message that is not JSON is a decode error in the source:
--                 every view that reads it becomes unreadable, for every card, until the
--                 source is recreated. FORMAT TEXT only requires UTF-8.
-- Why not ENVELOPE UPSERT (VALUE DECODING ERRORS = INLINE)? It keeps the latest value per
--                 Kafka key forever (state grows with every lead ever seen, and no temporal
--                 filter can shrink it), and a re-sent prediction would replace the first one
--                 instead of being removed by the dedupe rule. ENVELOPE NONE keeps every
--                 message; the temporal filter on received_at bounds what is kept.
-- Checked in Materialize's source (it cannot run here):
--   - FORMAT TEXT gives one column named `text`, not nullable:
--     MaterializeInc/materialize src/storage-types/src/sources/encoding.rs (DataEncoding::desc).
--   - bytes that are not UTF-8 are a decode error ("Failed to decode UTF-8"), and a message
--     without a value (NULL) yields no value row:
--     src/storage/src/decode/mod.rs (PreDelimitedFormat::Text, try_decode).
--   - INCLUDE TIMESTAMP is the broker's message timestamp as a `timestamp` (UTC, without time
--     zone): src/storage/src/decode/mod.rs (to_metadata_row); the staging view casts it to
--     timestamptz. Syntax (FORMAT ... INCLUDE ... AS ... ENVELOPE NONE): the Kafka page of
--     the docs, https://materialize.com/docs/sql/create-source/kafka/ ("Partition, offset,
--     timestamp").
--   So a producer can break this source only with bytes that are not UTF-8.

create source if not exists conversion_predictions_raw
    in cluster :"cluster"
    from kafka connection kafka_connection (topic :'kafka_topic')
    format text
    include timestamp as received_at
    envelope none;
