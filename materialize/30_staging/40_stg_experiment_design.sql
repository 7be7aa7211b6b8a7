-- materialize/30_staging/40_stg_experiment_design.sql
--
-- Teaching point: a sample-ratio check compares the split that happened with the split that
--                 was designed, and the design is data (written by the generator at start),
--                 not a constant in the SQL. A broken split changes who lands where, never
--                 this table: that is what makes the mismatch visible.
-- Grain:          one row per experiment bucket (`control`, `experiment`): its expected share.
-- Reads:          experiment_design (the Postgres subsource; a table in the reference engine).
-- Read by:        50_metrics/62_ab_test_window_metrics.sql.
-- Why not a temporal filter, as every other input has? The design has no time and at most
--                 two rows (its primary key is the bucket, checked to be one of two names):
--                 its state is bounded by its size, not by age. Filtering it by time would
--                 drop the design of a long-running experiment.

create view if not exists stg_experiment_design as

with

source as (

    select * from experiment_design

),

renamed as (

    select
        ----------  dimensions
        experiment_bucket,

        ----------  measures
        expected_share

    from source

),

final as (

    select * from renamed

)

select * from final;
