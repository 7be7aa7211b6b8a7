-- metabase/testing/classifier-metrics-stand-in.sql
--
-- Teaching point: none; a test fixture. The Metabase provisioning test needs something named
--                 classifier_metrics to point its cards at when the lab's migrations have not
--                 been applied to the Materialize it uses. Same columns and types as the real
--                 view (docs: /work/shared/spec/metrics.md); made-up numbers.
-- Grain:          one row per (window_end, experiment_bucket), as the real view.
-- Reads:          nothing (constant rows).
-- Read by:        test/materialize/metabase-provision.test.ts, which creates it only when no
--                 classifier_metrics exists and drops it afterwards.
-- Why not the real migrations? They need Postgres and Kafka sources too; this test is about
--                 Metabase's API, not the metrics.
-- Why far-future windows? The cards keep only windows with mz_now() <= window_end + 10 minutes;
--                 a window in 2100 always qualifies, so the per-window cards return rows. The
--                 "latest" cards read only settled windows (mz_now() >= window_end + 5 seconds)
--                 and return none here: the test needs every query to complete, not rows.

create view classifier_metrics as
select * from (
    values
        (timestamptz '2100-01-01 00:00:30+00', 'control', 10::bigint, 10::bigint,
         3::bigint, 2::bigint, 4::bigint, 1::bigint,
         0.6::float8, 0.75::float8, 0.6667::float8, 0.7::float8, 0.4::float8,
         120.00::numeric(20, 2), 0.00::numeric(20, 2), 120.00::numeric(20, 2), 12.0::float8),
        (timestamptz '2100-01-01 00:00:30+00', 'experiment', 40::bigint, 40::bigint,
         12::bigint, 8::bigint, 14::bigint, 6::bigint,
         0.6::float8, 0.6667::float8, 0.6316::float8, 0.65::float8, 0.45::float8,
         600.00::numeric(20, 2), 45.00::numeric(20, 2), 555.00::numeric(20, 2), 13.875::float8)
) as stand_in (
    window_end, experiment_bucket, num_leads, num_scored,
    true_positives, false_positives, true_negatives, false_negatives,
    precision, recall, f1_score, accuracy, conversion_rate,
    revenue_dollars, coupon_cost_dollars, net_revenue_dollars, net_revenue_per_lead_dollars
);
