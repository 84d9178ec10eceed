-- Children, cases and their states. The rules of the spec live here as named
-- constraints and triggers, so no code path (or person with psql) can skip them;
-- the application maps each name to a sentence on the page.

create table children (
    id uuid primary key default gen_random_uuid(),
    family_id uuid not null references users (id),
    first_name text not null,
    last_name text not null,
    preferred_name text,
    date_of_birth date not null,
    sex text not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    -- Lets cases prove with a foreign key that their child is this family's.
    constraint children_id_family_key unique (id, family_id),
    constraint children_first_name_length check (char_length(first_name) between 1 and 100),
    constraint children_last_name_length check (char_length(last_name) between 1 and 100),
    constraint children_preferred_name_length check (preferred_name is null or char_length(preferred_name) between 1 and 100),
    constraint children_sex_known check (sex in ('female', 'male', 'intersex', 'not_stated'))
);
create index children_family on children (family_id);
select trigger_updated_at('children');

create type case_status as enum (
    'draft', 'submitted', 'collecting_records', 'ready_for_review',
    'in_review', 'opinion_delivered', 'closed', 'cancelled'
);

-- Human case numbers: SO-2026-000123.
create sequence case_number_seq;

create table cases (
    id uuid primary key default gen_random_uuid(),
    case_number text not null default ('SO-' || to_char(now() at time zone 'America/Los_Angeles', 'YYYY') || '-' || lpad(nextval('case_number_seq')::text, 6, '0')),
    family_id uuid not null references users (id),
    child_id uuid not null,
    status case_status not null default 'draft',
    contact_email text not null,
    contact_phone text not null default '',
    diagnosis_summary text not null default '',
    treatment_summary text not null default '',
    treating_physician text not null default '',
    treating_clinic text not null default '',
    -- The family may ask for a specialist from the directory, or describe one; not guaranteed.
    requested_specialist_id uuid references specialists (user_id),
    requested_specialist_note text not null default '',
    previous_case_id uuid references cases (id),
    consented_at timestamptz,
    submitted_at timestamptz,
    collecting_records_at timestamptz,
    ready_for_review_at timestamptz,
    in_review_at timestamptz,
    opinion_delivered_at timestamptz,
    closed_at timestamptz,
    cancelled_at timestamptz,
    -- Optimistic locking: every update bumps it; a stale form's version no longer matches.
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint cases_case_number_key unique (case_number),
    constraint cases_child_of_family foreign key (child_id, family_id) references children (id, family_id),
    constraint cases_text_lengths check (
        char_length(contact_phone) <= 40 and char_length(diagnosis_summary) <= 4000
        and char_length(treatment_summary) <= 4000 and char_length(treating_physician) <= 200
        and char_length(treating_clinic) <= 200 and char_length(requested_specialist_note) <= 1000),
    constraint cases_submitted_consented check (status = 'draft' or status = 'cancelled' or consented_at is not null)
);
create index cases_family on cases (family_id, created_at desc);
create index cases_child on cases (child_id);
select trigger_updated_at('cases');

-- Every change of state, with who and why; the family's timeline.
create table case_events (
    id bigint generated always as identity primary key,
    case_id uuid not null references cases (id),
    at timestamptz not null default now(),
    actor_user_id uuid references users (id),
    from_status case_status,
    to_status case_status not null,
    note text,
    -- The transaction that wrote it: the deferred check below matches on it.
    txid bigint not null default txid_current()
);
create index case_events_case on case_events (case_id, id);

-- Only the transitions the spec draws; anything else is refused.
create or replace function case_transition_allowed(from_status case_status, to_status case_status) returns boolean
language sql immutable as $$
    select (from_status, to_status) in (
        ('draft', 'submitted'), ('draft', 'cancelled'),
        ('submitted', 'collecting_records'), ('submitted', 'cancelled'),
        ('collecting_records', 'ready_for_review'), ('collecting_records', 'cancelled'),
        ('ready_for_review', 'in_review'), ('ready_for_review', 'cancelled'),
        ('in_review', 'opinion_delivered'),
        ('opinion_delivered', 'closed'))
$$;

create or replace function cases_check_transition() returns trigger
language plpgsql as $$
begin
    if new.status is distinct from old.status and not case_transition_allowed(old.status, new.status) then
        raise exception 'a case cannot move from % to %', old.status, new.status
            using errcode = 'check_violation', constraint = 'cases_status_transition';
    end if;
    return new;
end;
$$;
create trigger cases_status_transition before update of status on cases
    for each row execute function cases_check_transition();

-- A status change commits only with its case_events row from the same transaction.
create or replace function cases_require_event() returns trigger
language plpgsql as $$
begin
    if not exists (select 1 from case_events e
                   where e.case_id = new.id and e.to_status = new.status and e.txid = txid_current()) then
        raise exception 'status change of case % has no case_events row', new.id
            using errcode = 'check_violation', constraint = 'cases_status_event';
    end if;
    return null;
end;
$$;
create constraint trigger cases_status_event after insert or update of status on cases
    deferrable initially deferred
    for each row execute function cases_require_event();

-- Questions and records are frozen once review starts (and on cancelled cases).
-- FOR SHARE makes a concurrent move to in_review wait for this change, or this
-- change wait for it: never both.
create or replace function case_is_frozen(p_case_id uuid) returns boolean
language sql as $$
    select status in ('in_review', 'opinion_delivered', 'closed', 'cancelled')
    from cases where id = p_case_id for share
$$;

create table case_questions (
    id uuid primary key default gen_random_uuid(),
    case_id uuid not null references cases (id),
    position smallint not null,
    body text not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    -- The spec's limit of five, enforced where nothing can go around it.
    constraint case_questions_max_five check (position between 1 and 5),
    constraint case_questions_position_key unique (case_id, position) deferrable initially deferred,
    constraint case_questions_body_length check (char_length(btrim(body)) between 1 and 2000)
);
select trigger_updated_at('case_questions');

create or replace function case_questions_not_frozen() returns trigger
language plpgsql as $$
begin
    if case_is_frozen(coalesce(new.case_id, old.case_id)) then
        raise exception 'questions of case % are frozen', coalesce(new.case_id, old.case_id)
            using errcode = 'check_violation', constraint = 'case_questions_frozen';
    end if;
    return coalesce(new, old);
end;
$$;
create trigger case_questions_frozen before insert or update or delete on case_questions
    for each row execute function case_questions_not_frozen();

create type record_status as enum ('not_requested', 'requested', 'received', 'digitized', 'unavailable');

create table record_sources (
    id uuid primary key default gen_random_uuid(),
    case_id uuid not null references cases (id),
    facility text not null,
    contact_name text not null default '',
    phone text not null default '',
    records_description text not null,
    date_range text not null default '',
    language text not null default 'English',
    -- Records must be in English; anything else needs a qualified medical translation first.
    translation_required boolean generated always as (lower(btrim(language)) not in ('english', 'en')) stored,
    status record_status not null default 'not_requested',
    requested_at timestamptz,
    received_at timestamptz,
    digitized_at timestamptz,
    unavailable_reason text,
    added_by uuid references users (id),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint record_sources_text_lengths check (
        char_length(facility) between 1 and 200 and char_length(contact_name) <= 200 and char_length(phone) <= 40
        and char_length(records_description) between 1 and 2000 and char_length(date_range) <= 200
        and char_length(language) between 1 and 60),
    constraint record_sources_unavailable_reason check (status <> 'unavailable' or unavailable_reason is not null)
);
create index record_sources_case on record_sources (case_id);
-- Not trigger_updated_at(): its WHEN clause can't see the generated column.
create trigger set_updated_at before update on record_sources
    for each row execute function set_updated_at();

create or replace function record_sources_not_frozen() returns trigger
language plpgsql as $$
begin
    if case_is_frozen(coalesce(new.case_id, old.case_id)) then
        raise exception 'records of case % are frozen', coalesce(new.case_id, old.case_id)
            using errcode = 'check_violation', constraint = 'record_sources_frozen';
    end if;
    return coalesce(new, old);
end;
$$;
create trigger record_sources_frozen before insert or update or delete on record_sources
    for each row execute function record_sources_not_frozen();
