-- materialize/10_connections/20_kafka_connection.kafka-sasl.sql
--
-- Teaching point: the same connection for a managed Kafka (Confluent Cloud, Redpanda Cloud,
--                 MSK): SASL credentials, with the password kept in a secret.
-- Grain:          one secret and one connection to the Kafka API.
-- Reads:          configuration: MZ_KAFKA_BROKER, MZ_KAFKA_SECURITY_PROTOCOL and
--                 MZ_KAFKA_SASL_MECHANISM / _USERNAME / _PASSWORD.
-- Read by:        20_sources/20_kafka_source.sql.
-- Runs when:      the protocol is SASL_PLAINTEXT or SASL_SSL (tag `kafka-sasl`).
-- Why not one file with empty SASL options? Materialize rejects SASL options that the
--                 protocol does not use; two small files say plainly which one applies.

create secret if not exists kafka_sasl_password as :'kafka_sasl_password';

-- Set again on every run, so that a changed MZ_KAFKA_SASL_PASSWORD reaches Materialize
-- (see 10_postgres_connection.sql).
alter secret kafka_sasl_password as :'kafka_sasl_password';

create connection if not exists kafka_connection to kafka (
    broker :'kafka_broker',
    security protocol = :'kafka_security_protocol',
    sasl mechanisms = :'kafka_sasl_mechanism',
    sasl username = :'kafka_sasl_username',
    sasl password = secret kafka_sasl_password
);
