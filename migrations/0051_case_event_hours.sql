-- "How do cases move from state to state?" (the admin's reports) counted the
-- changes of state in the range on each view: an index-only scan of
-- case_events_at (0050) still reads every event, 190 ms for the 127,000 of a
-- busy month at 100,000 cases, and ten times that at a million. The counts are
-- kept here instead, per hour and pair of states, by the trigger below; the
-- report sums a few thousand rows. Pacific days begin on a whole UTC hour, so
-- weeks and ranges cut the hours exactly.
create table case_event_hours (
    hour timestamptz not null,
    -- Null for the event that opened the case.
    from_status case_status,
    to_status case_status not null,
    events integer not null,
    constraint case_event_hours_key unique nulls not distinct (hour, from_status, to_status),
    constraint case_event_hours_positive check (events > 0)
);

create or replace function case_event_hours_track() returns trigger
language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        insert into case_event_hours (hour, from_status, to_status, events)
        values (date_trunc('hour', new.at, 'UTC'), new.from_status, new.to_status, 1)
        on conflict on constraint case_event_hours_key do update set events = case_event_hours.events + 1;
    else
        -- The last event of its hour takes the row with it.
        delete from case_event_hours
        where hour = date_trunc('hour', old.at, 'UTC') and from_status is not distinct from old.from_status
          and to_status = old.to_status and events = 1;
        if not found then
            update case_event_hours set events = events - 1
            where hour = date_trunc('hour', old.at, 'UTC') and from_status is not distinct from old.from_status
              and to_status = old.to_status;
        end if;
    end if;
    return null;
end;
$$;
create trigger case_event_hours_track after insert or delete on case_events
    for each row execute function case_event_hours_track();

-- The events already there.
insert into case_event_hours (hour, from_status, to_status, events)
select date_trunc('hour', at, 'UTC'), from_status, to_status, count(*)
from case_events group by 1, 2, 3;
