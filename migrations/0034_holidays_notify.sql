-- Every instance keeps the hospital calendar in memory for its pages
-- (cases/calendar_cache.rs) and forgets it when told the holidays changed:
-- any insert, update, delete or truncate, by the admin's page or by hand.
create function holidays_notify_change() returns trigger
language plpgsql as $$
begin
    perform pg_notify('holidays_changed', '');
    return null;
end;
$$;
create trigger holidays_changed after insert or update or delete or truncate on holidays
    for each statement execute function holidays_notify_change();
