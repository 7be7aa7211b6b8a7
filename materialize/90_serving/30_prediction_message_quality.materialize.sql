-- materialize/90_serving/30_prediction_message_quality.materialize.sql
--
-- Teaching point: data quality is served like any metric: the counts of rejected prediction
--                 messages are a materialized view the dashboard reads every second.
-- Grain:          as prediction_message_windows: one row per window_end.
-- Reads:          50_metrics/40_prediction_message_windows.sql.
-- Read by:        the dashboard card "Rejected prediction messages".
-- Runs only in:   `--target materialize`. The reference engine gets a plain view
--                 (30_prediction_message_quality.reference.sql).
-- Why not let the card query the portable view? A plain view is recomputed from the raw
--                 messages on every refresh; this one is kept up to date once.

create materialized view if not exists prediction_message_quality
    in cluster :"cluster"
    as select * from prediction_message_windows;
