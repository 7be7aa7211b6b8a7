-- metabase/testing/prediction-message-quality-stand-in.sql
--
-- Teaching point: none; a test fixture, like classifier-metrics-stand-in.sql, for the card
--                 "Rejected prediction messages" when the lab's migrations have not been applied.
-- Grain:          one row per window_end, as the real prediction_message_quality.
-- Reads:          nothing (constant rows).
-- Read by:        test/materialize/metabase-provision.test.ts, which creates it only when no
--                 prediction_message_quality exists and drops it afterwards.
-- Why a separate file? Materialize runs one DDL statement per transaction: each stand-in is
--                 created by its own query.

create view prediction_message_quality as
select * from (
    values
        (timestamptz '2100-01-01 00:00:30+00', 50::bigint, 48::bigint, 2::bigint,
         'lead_id: expected a positive whole number')
) as stand_in (window_end, num_messages, num_valid, num_rejected, most_common_rejection_reason);
