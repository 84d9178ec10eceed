-- "Where do cases wait?" (the admin's reports) counted every open case by
-- state and age on each view: an index-only scan over all of them, 32 ms at
-- 100,000 cases and 310-360 ms at a million. The counts are kept here instead,
-- per state and the hour the cases entered it, by the trigger below; the report
-- sums a few hundred rows. Ages are read to the hour the case entered its
-- state (at most an hour more than the exact age, in bands of 2, 7, 14 days).
create table cases_waiting_hours (
    status case_status not null,
    entered_hour timestamptz not null,
    cases integer not null,
    constraint cases_waiting_hours_pkey primary key (status, entered_hour),
    constraint cases_waiting_hours_positive check (cases > 0)
);

-- When an open case entered its current state (null for other states).
create or replace function case_entered_state(c cases) returns timestamptz
language sql immutable as $$
    select case c.status
        when 'submitted' then c.submitted_at
        when 'collecting_records' then c.collecting_records_at
        when 'ready_for_review' then c.ready_for_review_at
        when 'in_review' then c.in_review_at
        when 'opinion_delivered' then c.opinion_delivered_at
    end
$$;

create or replace function cases_waiting_track() returns trigger
language plpgsql as $$
declare
    was timestamptz := case when tg_op in ('UPDATE', 'DELETE') then date_trunc('hour', case_entered_state(old), 'UTC') end;
    now_in timestamptz := case when tg_op in ('INSERT', 'UPDATE') then date_trunc('hour', case_entered_state(new), 'UTC') end;
begin
    if tg_op = 'UPDATE' and old.status = new.status and was is not distinct from now_in then
        return null;
    end if;
    if was is not null then
        -- The last case of its hour takes the row with it.
        delete from cases_waiting_hours where status = old.status and entered_hour = was and cases = 1;
        if not found then
            update cases_waiting_hours set cases = cases - 1 where status = old.status and entered_hour = was;
        end if;
    end if;
    if now_in is not null then
        insert into cases_waiting_hours (status, entered_hour, cases) values (new.status, now_in, 1)
        on conflict (status, entered_hour) do update set cases = cases_waiting_hours.cases + 1;
    end if;
    return null;
end;
$$;
create trigger cases_waiting_track
    after insert or delete or update of status, submitted_at, collecting_records_at, ready_for_review_at,
        in_review_at, opinion_delivered_at on cases
    for each row execute function cases_waiting_track();

-- The cases already there.
insert into cases_waiting_hours (status, entered_hour, cases)
select status, date_trunc('hour', case_entered_state(c), 'UTC'), count(*)
from cases c where case_entered_state(c) is not null
group by 1, 2;
