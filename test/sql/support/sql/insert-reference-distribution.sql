-- Test data: model_reference_distribution rows as column arrays ($1..$4).
insert into public.model_reference_distribution (model_version, feature, value, reference_count)
select model_version, feature, value, reference_count
from unnest($1::text[], $2::text[], $3::text[], $4::bigint[])
    as batch (model_version, feature, value, reference_count)
