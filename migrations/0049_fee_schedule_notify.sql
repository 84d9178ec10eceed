-- Every instance keeps the case fee schedule in memory for the landing page
-- (reference_cache.rs) and forgets it when told the schedule changed: any
-- insert, update, delete or truncate, by the admin's page or by hand.
create function case_fee_schedule_notify_change() returns trigger
language plpgsql as $$
begin
    perform pg_notify('case_fee_schedule_changed', '');
    return null;
end;
$$;
create trigger case_fee_schedule_changed after insert or update or delete or truncate on case_fee_schedule
    for each statement execute function case_fee_schedule_notify_change();
