-- metabase/testing/feature-drift-stand-in.sql
--
-- Teaching point: none; a test fixture, like classifier-metrics-stand-in.sql, for the card on
--                 feature_drift when the lab's migrations have not been applied to the
--                 Materialize the test uses. Same columns and types as the real view.
-- Grain:          one row per (window_end, model_version, feature), as the real view.
-- Reads:          nothing (constant rows).
-- Read by:        test/materialize/metabase-provision.test.ts, which creates it only when no
--                 feature_drift exists, and drops it afterwards.
-- Why far-future windows? The cards keep only windows with mz_now() <= window_end + 10 minutes.

create view feature_drift as
select * from (
    values
        (timestamptz '2100-01-01 00:00:30+00', 'stand-in-1', 'score_decile', 2400::bigint, 0.004::float8, 0::bigint),
        (timestamptz '2100-01-01 00:00:30+00', 'stand-in-1', 'utm_source', 2400::bigint, 0.002::float8, 3::bigint)
) as stand_in (window_end, model_version, feature, num_leads, psi, num_other_leads);
