-- The model's reference distribution, one row per (model_version, feature, value).
-- Idempotent: the baseline sample is seeded, so a rerun computes and leaves the same counts.
insert into public.model_reference_distribution (model_version, feature, value, reference_count)
select model_version, feature, value, reference_count
from unnest($1::text[], $2::text[], $3::text[], $4::bigint[])
    as reference (model_version, feature, value, reference_count)
on conflict (model_version, feature, value) do update
set reference_count = excluded.reference_count
where model_reference_distribution.reference_count is distinct from excluded.reference_count
