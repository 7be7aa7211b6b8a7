-- Test data: the experiment's designed split as column arrays ($1 buckets, $2 expected shares);
-- a bucket already present gets the new share.
insert into public.experiment_design (experiment_bucket, expected_share)
select experiment_bucket, expected_share
from unnest($1::text[], $2::double precision[]) as design (experiment_bucket, expected_share)
on conflict (experiment_bucket) do update set expected_share = excluded.expected_share
