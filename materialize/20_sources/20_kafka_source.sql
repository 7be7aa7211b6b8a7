-- materialize/20_sources/20_kafka_source.sql
--
-- Teaching point: predictions are events, not rows someone updates: an append-only Kafka
--                 source. FORMAT JSON gives one column, `data jsonb`; typing happens in SQL
--                 (30_staging/30_stg_predictions.sql), where it can be read and tested.
-- Grain:          one row per message on the topic, duplicates included (at-least-once).
-- Reads:          the topic named by KAFKA_TOPIC via kafka_connection.
-- Read by:        30_staging/30_stg_predictions.sql.
-- Why not the blog's `FORMAT BYTES` plus `convert_from(data, 'utf8')::jsonb`? FORMAT JSON
--                 does the decoding. (A message that is not JSON would stop the source: the
--                 load generator only ever sends valid JSON.)

create source if not exists conversion_predictions_raw
    in cluster :"cluster"
    from kafka connection kafka_connection (topic :'kafka_topic')
    format json;
