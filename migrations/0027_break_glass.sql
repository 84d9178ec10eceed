-- Break-glass (issue 13, HIPAA 164.312(a)(2)(ii) emergency access): a
-- clinician opens a case that is not assigned to them, in an emergency,
-- giving a reason. Each opening is kept here for the program to review; the
-- access it gives lasts twelve hours (cases/break_glass.rs), then a new
-- reason is needed. Each view made with it is audited as break-glass.
create table break_glass_openings (
    id uuid primary key default gen_random_uuid(),
    case_id uuid not null references cases (id),
    user_id uuid not null references users (id),
    reason text not null,
    opened_at timestamptz not null default now(),
    reviewed_at timestamptz,
    reviewed_by uuid references users (id),
    constraint break_glass_openings_reason_length check (char_length(reason) <= 1000),
    constraint break_glass_openings_reason_given check (btrim(reason) <> ''),
    constraint break_glass_openings_review_whole check ((reviewed_at is null) = (reviewed_by is null))
);
-- "Is this person's glass broken for this case?" on every view.
create index break_glass_openings_by_user on break_glass_openings (user_id, case_id, opened_at);
-- The admin's list of what is left to review.
create index break_glass_openings_to_review on break_glass_openings (opened_at) where reviewed_at is null;

-- Like the audit log, an opening can't be taken back: the app may only
-- mark it reviewed, once; what was opened, by whom, when and why stays.
revoke delete, truncate on break_glass_openings from second_opinion_runtime;
create function break_glass_openings_only_reviewed() returns trigger
language plpgsql as $$
begin
    if new.case_id <> old.case_id or new.user_id <> old.user_id or new.reason <> old.reason
       or new.opened_at <> old.opened_at or old.reviewed_at is not null then
        raise exception 'a break-glass opening is only ever marked reviewed, once'
            using errcode = 'insufficient_privilege';
    end if;
    return new;
end;
$$;
create trigger break_glass_openings_only_reviewed before update on break_glass_openings
    for each row execute function break_glass_openings_only_reviewed();
