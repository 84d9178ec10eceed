-- A child may have two guardians, each with their own account (issue 14).
-- Who may see and act on a child's cases is the guardianship, never a
-- single owner column: every family-scoped query joins `guardianships`.
-- `children.family_id` stays as the guardian who added the child (who may
-- invite and remove the other) and `cases.family_id` as the guardian who
-- opened the case (its contact, whom the clinician calls); neither grants
-- access any more.

create table guardianships (
    id uuid primary key default gen_random_uuid(),
    child_id uuid not null references children (id),
    user_id uuid not null references users (id),
    -- Each guardian says who they are to the child and confirms it.
    relationship release_relationship,
    confirmed_at timestamptz,
    -- Null for the guardian who added the child; else who invited them.
    invited_by uuid references users (id),
    created_at timestamptz not null default now(),
    -- A removed guardian's row stays (what they did stays theirs); access
    -- ends with it, at their next request.
    removed_at timestamptz,
    removed_by uuid references users (id),
    -- Rows made by this migration for the children that existed: their
    -- guardian was never asked, so there is nothing to show as confirmed.
    backfilled boolean not null default false,
    constraint guardianships_parent_or_guardian
        check (relationship is null or relationship in ('parent', 'legal_guardian')),
    constraint guardianships_confirmed
        check (backfilled or (relationship is not null and confirmed_at is not null)),
    constraint guardianships_removed_by check ((removed_at is null) = (removed_by is null)),
    -- The guardian who added the child can't be removed (they would leave it with no one who may invite).
    constraint guardianships_first_stays check (invited_by is not null or removed_at is null)
);
create unique index guardianships_current on guardianships (child_id, user_id) where removed_at is null;
-- The family's queries go from the person to their children.
create index guardianships_user on guardianships (user_id, child_id) where removed_at is null;

-- The one test of "may this person act for this child": every family
-- query asks it (an inlined SQL function, so it plans as the join it is).
create or replace function is_guardian(p_child_id uuid, p_user_id uuid) returns boolean
language sql stable as $$
    select exists (select 1 from guardianships g
                   where g.child_id = p_child_id and g.user_id = p_user_id and g.removed_at is null)
$$;

insert into guardianships (child_id, user_id, created_at, backfilled)
select id, family_id, created_at, true from children;

-- At most two guardians at a time. The child's row is locked first, so two
-- acceptances at once are counted one after the other.
create or replace function guardianships_at_most_two() returns trigger
language plpgsql as $$
begin
    perform 1 from children where id = new.child_id for update;
    if (select count(*) from guardianships g where g.child_id = new.child_id and g.removed_at is null) > 2 then
        raise exception 'child % already has two guardians', new.child_id
            using errcode = 'check_violation', constraint = 'guardianships_at_most_two';
    end if;
    return null;
end;
$$;
create trigger guardianships_at_most_two after insert on guardianships
    for each row execute function guardianships_at_most_two();

-- Every child has a guardian from the moment it exists: checked at commit,
-- so the child and its first guardianship are written in one transaction.
create or replace function children_have_a_guardian() returns trigger
language plpgsql as $$
begin
    if not exists (select 1 from guardianships g where g.child_id = new.id and g.removed_at is null) then
        raise exception 'child % has no guardian', new.id
            using errcode = 'check_violation', constraint = 'children_have_a_guardian';
    end if;
    return null;
end;
$$;
create constraint trigger children_have_a_guardian after insert on children
    deferrable initially deferred
    for each row execute function children_have_a_guardian();

-- Either guardian may open a case for the child: the case no longer proves
-- with a foreign key that its opener added the child; instead its opener
-- must be a guardian of the child when the case is opened.
alter table cases drop constraint cases_child_of_family;
alter table cases add constraint cases_child_fkey foreign key (child_id) references children (id);
create or replace function cases_opened_by_a_guardian() returns trigger
language plpgsql as $$
begin
    if not is_guardian(new.child_id, new.family_id) then
        raise exception 'user % is not a guardian of child %', new.family_id, new.child_id
            using errcode = 'check_violation', constraint = 'cases_opened_by_a_guardian';
    end if;
    return new;
end;
$$;
create trigger cases_opened_by_a_guardian before insert on cases
    for each row execute function cases_opened_by_a_guardian();

-- An invitation to share a child, by email. The link carries only the
-- invitation's id: the gate is that the person who accepts is signed in
-- with that very address, confirmed. It works for a week.
create table guardian_invitations (
    id uuid primary key default gen_random_uuid(),
    child_id uuid not null references children (id),
    invited_by uuid not null references users (id),
    email text not null,
    created_at timestamptz not null,
    expires_at timestamptz not null,
    accepted_at timestamptz,
    accepted_by uuid references users (id),
    withdrawn_at timestamptz,
    constraint guardian_invitations_email_normalized check (email = lower(btrim(email)) and email like '%_@_%'),
    constraint guardian_invitations_one_week check (expires_at = created_at + interval '7 days'),
    constraint guardian_invitations_accepted_by check ((accepted_at is null) = (accepted_by is null)),
    constraint guardian_invitations_settled_once check (accepted_at is null or withdrawn_at is null)
);
-- One open invitation per child: a new one replaces it (the old is withdrawn).
create unique index guardian_invitations_open on guardian_invitations (child_id)
    where accepted_at is null and withdrawn_at is null;
create index guardian_invitations_email on guardian_invitations (email)
    where accepted_at is null and withdrawn_at is null;

-- Who did what, now that two people act on a case: the questions' last
-- writer, who asked each follow-up and each referral, who consented, and
-- who paid each payment (the receipt names them).
alter table case_questions add column written_by uuid references users (id);
alter table follow_up_questions add column asked_by uuid references users (id);
alter table referral_requests add column requested_by uuid references users (id);
alter table cases add column consented_by uuid references users (id);
alter table payments add column paid_by uuid references users (id);
