-- The replay path of a batch (postgres-write.ts): a batch written before, say its commit was
-- acknowledged but the answer was lost with the connection, comes again. COPY into the shop's
-- tables refuses it (a lead id is there already), so its rows go by COPY into these session
-- tables instead, and insert-staged-arrivals.sql moves over whatever is not there yet.
-- Emptied at each commit; created once per connection.
create temporary table if not exists staged_leads (like public.leads) on commit delete rows;
create temporary table if not exists staged_coupons (like public.coupons) on commit delete rows;
create temporary table if not exists staged_conversions (like loadgen.scheduled_conversions) on commit delete rows;
