-- The family is never left guessing: who their care team is, what happened
-- at each step (and whether we emailed them about it), and a two-way
-- message thread with the care team.

-- Specialist profiles ---------------------------------------------------------

-- What a family reads about the specialist once the case is sent to them,
-- kept in the directory (edited by the admin and by the specialist).
alter table specialists
    add column credentials text not null default '',
    add column clinical_focus text not null default '',
    add constraint specialists_credentials_length check (char_length(credentials) <= 120),
    add constraint specialists_clinical_focus_length check (char_length(clinical_focus) <= 1000);

-- How often a family is emailed ------------------------------------------------

-- `essential`: only when they need to act or something is ready for them
-- (a fee to decide on, the opinion, an answer, a call, a message, a release
-- to sign). `every_step` adds each step of the case's progress.
create type email_updates as enum ('every_step', 'essential');
alter table users add column email_updates email_updates not null default 'every_step';

-- What the family was told ------------------------------------------------------

-- One row per thing the family is told about their case: the family's
-- timeline shows them beside the changes of state (case_events), and each
-- row says whether an email went out (the family's preference decides).
create type case_update_kind as enum (
    'case_taken', 'record_received', 'records_complete', 'sent_to_specialist',
    'fee_requested', 'fee_paid', 'fee_declined', 'fee_waived',
    'opinion_ready', 'follow_up_asked', 'follow_up_answered',
    'call_scheduled', 'call_done', 'referral_requested', 'referral_updated',
    'release_needed', 'payment_declined', 'case_closed', 'case_cancelled'
);

create table case_updates (
    id bigint generated always as identity primary key,
    case_id uuid not null references cases (id),
    kind case_update_kind not null,
    at timestamptz not null,
    actor_user_id uuid references users (id),
    -- What the update is about; which one is set depends on the kind (below).
    -- A removed record location takes its updates with it.
    record_source_id uuid references record_sources (id) on delete cascade,
    fee_request_id uuid references fee_requests (id),
    follow_up_id uuid references follow_up_questions (id),
    referral_id uuid references referral_requests (id),
    -- As the family was told it: the expected date of the opinion, the time of a call.
    expected_on date,
    call_at timestamptz,
    emailed boolean not null,
    constraint case_updates_subject check (
        (record_source_id is not null) = (kind in ('record_received', 'release_needed'))
        and (fee_request_id is not null) = (kind in ('fee_requested', 'fee_paid', 'fee_declined', 'fee_waived'))
        and (follow_up_id is not null) = (kind in ('follow_up_asked', 'follow_up_answered'))
        and (referral_id is not null) = (kind in ('referral_requested', 'referral_updated'))
        and (expected_on is not null) = (kind = 'sent_to_specialist')
        and (call_at is not null) = (kind = 'call_scheduled'))
);
create index case_updates_case on case_updates (case_id, at);
-- Each step is told once, however often the action that causes it is
-- repeated (a second "received" click, a job run twice): the insert that
-- finds its row already there sends nothing.
create unique index case_updates_once_per_case on case_updates (case_id, kind)
    where kind in ('case_taken', 'records_complete', 'sent_to_specialist', 'opinion_ready', 'case_closed', 'case_cancelled');
create unique index case_updates_once_per_source on case_updates (record_source_id, kind)
    where record_source_id is not null;
create unique index case_updates_once_per_fee on case_updates (fee_request_id, kind)
    where fee_request_id is not null;
create unique index case_updates_once_per_follow_up on case_updates (follow_up_id, kind)
    where follow_up_id is not null;
create unique index case_updates_once_per_referral_request on case_updates (referral_id)
    where kind = 'referral_requested';

-- Messages between the family and the care team ---------------------------------

create table case_messages (
    id uuid primary key default gen_random_uuid(),
    case_id uuid not null references cases (id),
    author_id uuid not null references users (id),
    author_role user_role not null,
    body text not null,
    created_at timestamptz not null,
    -- A family may attach one file (the same types and limits as records),
    -- stored like a document; a coordinator may file it into a record source.
    attachment_key text,
    attachment_name text,
    attachment_type text,
    attachment_size bigint,
    attachment_sha256 bytea,
    filed_document_id uuid references documents (id),
    constraint case_messages_body_length check (char_length(body) <= 4000),
    constraint case_messages_says_something check (char_length(btrim(body)) > 0 or attachment_key is not null),
    constraint case_messages_attachment_whole check (
        (attachment_key is null) = (attachment_name is null) and (attachment_key is null) = (attachment_type is null)
        and (attachment_key is null) = (attachment_size is null) and (attachment_key is null) = (attachment_sha256 is null)),
    constraint case_messages_attachment_key_key unique (attachment_key),
    constraint case_messages_attachment_type check (attachment_type in ('application/pdf', 'image/jpeg', 'image/png')),
    constraint case_messages_attachment_size check (attachment_size between 1 and 26214400),
    constraint case_messages_attachment_name_length check (char_length(attachment_name) between 1 and 200),
    constraint case_messages_attachment_sha256_length check (octet_length(attachment_sha256) = 32),
    constraint case_messages_only_family_attaches check (attachment_key is null or author_role = 'family'),
    constraint case_messages_filed_has_attachment check (filed_document_id is null or attachment_key is not null)
);
create index case_messages_case on case_messages (case_id, created_at);

-- Messages to the family used to be case notes with `to_family`. They move
-- to the thread, and notes stay the staff's own from now on.
insert into case_messages (case_id, author_id, author_role, body, created_at)
select n.case_id, n.author_id, u.role, n.body, n.created_at
from case_notes n join users u on u.id = n.author_id
where n.to_family;
delete from case_notes where to_family;
alter table case_notes add constraint case_notes_staff_only check (not to_family);

-- Unread counts, kept on the case by a trigger: the queue and the dashboards
-- show them on every row, and counting messages per row would not be fast.
-- The care team shares one count (any coordinator, or the case's clinician,
-- reading the thread reads it for the team).
alter table cases
    add column unread_by_family integer not null default 0,
    add column unread_by_team integer not null default 0,
    add constraint cases_unread_counts_nonnegative check (unread_by_family >= 0 and unread_by_team >= 0);

create or replace function case_messages_before_insert() returns trigger
language plpgsql as $$
begin
    -- The case's row lock first (its counts change below), then the rule:
    -- a thread is open while the case is being worked.
    perform 1 from cases where id = new.case_id
        and status in ('submitted', 'collecting_records', 'ready_for_review', 'in_review', 'opinion_delivered')
        for no key update;
    if not found then
        raise exception 'case % takes no messages now', new.case_id
            using errcode = 'check_violation', constraint = 'case_messages_case_active';
    end if;
    return new;
end;
$$;
create trigger case_messages_case_active before insert on case_messages
    for each row execute function case_messages_before_insert();

create or replace function case_messages_count_unread() returns trigger
language plpgsql as $$
begin
    update cases
    set unread_by_team = unread_by_team + case when new.author_role = 'family' then 1 else 0 end,
        unread_by_family = unread_by_family + case when new.author_role = 'family' then 0 else 1 end
    where id = new.case_id;
    return null;
end;
$$;
create trigger case_messages_count_unread after insert on case_messages
    for each row execute function case_messages_count_unread();

-- A message is kept as written; the one change is filing its attachment, once.
create or replace function case_messages_immutable() returns trigger
language plpgsql as $$
begin
    if tg_op = 'DELETE' or old.filed_document_id is not null or new.filed_document_id is null
       or (new.id, new.case_id, new.author_id, new.author_role, new.body, new.created_at, new.attachment_key)
          is distinct from (old.id, old.case_id, old.author_id, old.author_role, old.body, old.created_at, old.attachment_key) then
        raise exception 'messages are kept as written'
            using errcode = 'check_violation', constraint = 'case_messages_immutable';
    end if;
    return new;
end;
$$;
create trigger case_messages_immutable before update or delete on case_messages
    for each row execute function case_messages_immutable();
