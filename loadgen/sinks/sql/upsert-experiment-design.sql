-- The configured split, one row per bucket ($1 buckets, $2 shares). Idempotent: a rerun
-- with the same configuration leaves the same rows; a new configuration replaces the shares.
insert into public.experiment_design (experiment_bucket, expected_share)
select experiment_bucket, expected_share
from unnest($1::text[], $2::double precision[]) as design (experiment_bucket, expected_share)
on conflict (experiment_bucket) do update
set expected_share = excluded.expected_share
where experiment_design.expected_share is distinct from excluded.expected_share
