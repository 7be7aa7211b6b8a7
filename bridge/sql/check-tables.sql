-- What the bridge needs, as the role it logs in as: the raw table (insert) and its offsets
-- (select, insert, update), both made by `npm run migrate -- --target reference`. One row; a
-- privilege column is NULL when its table is missing (has_table_privilege would raise).
select
    to_regclass('public.conversion_predictions_raw') is not null as raw_table_exists,
    to_regclass('lab_bridge.consumed_offsets') is not null as offsets_table_exists,
    case when to_regclass('public.conversion_predictions_raw') is not null
         then has_table_privilege('public.conversion_predictions_raw', 'insert') end as can_insert_raw,
    case when to_regclass('lab_bridge.consumed_offsets') is not null
         then has_table_privilege('lab_bridge.consumed_offsets', 'select')
              and has_table_privilege('lab_bridge.consumed_offsets', 'insert')
              and has_table_privilege('lab_bridge.consumed_offsets', 'update') end as can_keep_offsets,
    current_user as login_role
