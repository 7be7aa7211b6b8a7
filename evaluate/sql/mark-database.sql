-- Marks the database as evaluate's own, so a later run may reset it (and no other is reset).
do $$
begin
    execute format('comment on database %I is %L', current_database(), 'ml-monitoring-lab evaluate');
end
$$
