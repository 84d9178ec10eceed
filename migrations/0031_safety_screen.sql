-- No case is opened without the safety screen (issue 14). Before the wizard
-- starts, the parent says whether the child has a medical emergency now and
-- whether a treatment decision must be made within a week. Every answer is
-- kept, with its time and the version of the wording shown (the signs are
-- configuration: locales/<lang>/safety-screen.ftl): an emergency answer
-- stops there, with no case; any other opens exactly one case.

create table safety_screens (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null references users (id),
    child_id uuid not null references children (id),
    emergency boolean not null,
    decision_soon boolean not null,
    answered_at timestamptz not null,
    -- A digest of the wording shown, in both languages, and the language it was read in.
    version text not null,
    language language not null,
    constraint safety_screens_version_length check (char_length(version) between 1 and 40)
);
create index safety_screens_child on safety_screens (child_id, answered_at);

alter table cases
    add column safety_screen_id uuid references safety_screens (id),
    -- "Decision needed soon": the queue's flag, copied from the screen by
    -- the trigger below (the screen never changes once answered).
    add column decision_needed_soon boolean not null default false,
    add constraint cases_one_case_per_screen unique (safety_screen_id);

-- A new case needs a screen answered for its child, by a guardian, without
-- an emergency. Cases from before this migration keep having none.
create or replace function cases_safety_screened() returns trigger
language plpgsql as $$
declare
    screen safety_screens%rowtype;
begin
    select * into screen from safety_screens where id = new.safety_screen_id;
    if not found or screen.child_id <> new.child_id or not is_guardian(screen.child_id, screen.user_id) then
        raise exception 'case for child % has no safety screen', new.child_id
            using errcode = 'check_violation', constraint = 'cases_safety_screened';
    end if;
    if screen.emergency then
        raise exception 'safety screen % answered an emergency: no case is opened', screen.id
            using errcode = 'check_violation', constraint = 'cases_safety_screen_emergency';
    end if;
    new.decision_needed_soon := screen.decision_soon;
    return new;
end;
$$;
create trigger cases_safety_screened before insert on cases
    for each row execute function cases_safety_screened();
-- The flag follows the screen, never a hand-made change.
create or replace function cases_decision_flag_fixed() returns trigger
language plpgsql as $$
begin
    if new.decision_needed_soon is distinct from old.decision_needed_soon
       or new.safety_screen_id is distinct from old.safety_screen_id then
        raise exception 'the safety screen of case % is kept as answered', new.id
            using errcode = 'check_violation', constraint = 'cases_safety_screen_kept';
    end if;
    return new;
end;
$$;
create trigger cases_decision_flag_fixed before update of decision_needed_soon, safety_screen_id on cases
    for each row execute function cases_decision_flag_fixed();

-- The queue's "decision needed soon" filter, like the other flags (0015).
create index cases_queue_decision_soon on cases ((coalesce(due_at, 'infinity')), created_at, id) include (due_at, child_search)
    where decision_needed_soon and status in ('submitted', 'collecting_records', 'ready_for_review', 'in_review', 'opinion_delivered');
