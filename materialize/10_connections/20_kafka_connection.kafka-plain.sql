-- materialize/10_connections/20_kafka_connection.kafka-plain.sql
--
-- Teaching point: a Kafka connection states its security protocol. Materialize defaults to
--                 SSL, so the local Redpanda needs an explicit PLAINTEXT.
-- Grain:          one connection to the Kafka API (Redpanda in compose).
-- Reads:          configuration: MZ_KAFKA_BROKER, MZ_KAFKA_SECURITY_PROTOCOL.
-- Read by:        20_sources/20_kafka_source.sql.
-- Runs when:      the protocol is PLAINTEXT or SSL (tag `kafka-plain`). With SASL_PLAINTEXT or
--                 SASL_SSL the sibling file `...kafka-sasl.sql` runs instead.
-- Why not the blog's `FROM KAFKA BROKER 'redpanda:9092'` inside CREATE SOURCE? Gone: brokers
--                 and credentials now live in a connection that sources share.

create connection if not exists kafka_connection to kafka (
    broker :'kafka_broker',
    security protocol = :'kafka_security_protocol'
);
