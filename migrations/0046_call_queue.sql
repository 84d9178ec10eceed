-- The clinician's call list reads the most urgent calls first, a page at a
-- time. "When is this call due" was worked out per view from the case's last
-- attempt (a lateral read per pending call, then a sort of all of them: 800
-- pending calls cost 35 ms of PostgreSQL per view). The last attempt's "try
-- again at" now sits on the case, kept by the trigger below, so the order is
-- one index: scheduled time, else the next attempt, else the deadline.
alter table cases add column call_retry_at timestamptz;
comment on column cases.call_retry_at is
    'The last logged call attempt''s next_attempt_at (kept by follow_up_calls_retry; null before any attempt or after one that set none).';

create or replace function follow_up_calls_retry() returns trigger
language plpgsql as $$
begin
    -- The attempt just logged is the newest (two logged in the same instant
    -- can't be ordered by their time or their random ids).
    update cases set call_retry_at = new.next_attempt_at where id = new.case_id;
    return null;
end;
$$;
create trigger follow_up_calls_retry after insert on follow_up_calls
    for each row execute function follow_up_calls_retry();

-- The cases already there; updated_at stays as it was.
alter table cases disable trigger set_updated_at;
update cases c set call_retry_at = last.next_attempt_at
from (select distinct on (k.case_id) k.case_id, k.next_attempt_at
      from follow_up_calls k order by k.case_id, k.at desc, k.id desc) last
where last.case_id = c.id and last.next_attempt_at is not null;
alter table cases enable trigger set_updated_at;

-- The calls to make, most urgent first (replaces 0035's cases_clinician_calls).
create index cases_clinician_call_queue on cases
    (clinician_id, (coalesce(call_scheduled_for, call_retry_at, call_due_at)), case_number) where call_pending;
drop index cases_clinician_calls;
