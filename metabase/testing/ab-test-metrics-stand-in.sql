-- metabase/testing/ab-test-metrics-stand-in.sql
--
-- Teaching point: none; a test fixture. Like classifier-metrics-stand-in.sql, something named
--                 ab_test_metrics for the provisioning test's cards when the lab's migrations
--                 have not been applied. Same columns and types as the real view; made-up
--                 numbers.
-- Grain:          one row per window_end, as the real view.
-- Reads:          nothing (constant rows).
-- Read by:        test/materialize/metabase-provision.test.ts, which creates it only when no
--                 ab_test_metrics exists and drops it afterwards.
-- Why not the real migrations? They need Postgres and Kafka sources too.
-- Why far-future windows? The cards keep only windows with mz_now() <= window_end + 10 minutes.

create view ab_test_metrics as
select * from (
    values
        (timestamptz '2100-01-01 00:05:00+00', 480::bigint, 1920::bigint,
         65.0::float8, 70.1::float8, 5.1::float8, 4.1::float8, -2.94::float8, 13.14::float8,
         0.5::float8, 0.58::float8, 0.0::float8, 0.2::float8, 0.2::float8)
) as stand_in (
    window_end, control_leads, experiment_leads,
    control_net_revenue_per_lead_dollars, experiment_net_revenue_per_lead_dollars,
    uplift_dollars_per_lead, uplift_standard_error, uplift_ci_low, uplift_ci_high,
    control_conversion_rate, experiment_conversion_rate, srm_chi_square,
    control_observed_share, control_expected_share
);
