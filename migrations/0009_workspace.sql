-- The care team's side of a case: who works it, when it is due, notes,
-- documents, additional fees and follow-up calls.

alter table cases
    add column coordinator_id uuid references users (id),
    add column clinician_id uuid references users (id),
    -- The specialist the case was sent to (at in_review). The family's wish
    -- is requested_specialist_id; this is the decision.
    add column specialist_id uuid references users (id),
    -- The next service-level deadline of the current state (the queue sorts on it):
    -- taking a submitted case, collecting records, choosing a specialist, the opinion.
    add column due_at timestamptz;

-- The queue: active cases by due date, then age, then id (a total order, so
-- keyset pagination never skips or repeats a case). One index per common filter.
create index cases_queue on cases ((coalesce(due_at, 'infinity')), created_at, id)
    where status in ('submitted', 'collecting_records', 'ready_for_review', 'in_review', 'opinion_delivered');
create index cases_queue_by_status on cases (status, (coalesce(due_at, 'infinity')), created_at, id)
    where status in ('submitted', 'collecting_records', 'ready_for_review', 'in_review', 'opinion_delivered');
create index cases_queue_by_coordinator on cases (coordinator_id, (coalesce(due_at, 'infinity')), created_at, id)
    where status in ('submitted', 'collecting_records', 'ready_for_review', 'in_review', 'opinion_delivered');
create index cases_queue_by_specialist on cases (specialist_id, (coalesce(due_at, 'infinity')), created_at, id)
    where specialist_id is not null;
create index cases_status_counts on cases (status);
-- Search by child name: prefix matches on either name, case-insensitively.
create index children_first_name_prefix on children (lower(first_name) text_pattern_ops);
create index children_last_name_prefix on children (lower(last_name) text_pattern_ops);

-- Internal notes (staff only) and messages to the family (shown on their case page).
create table case_notes (
    id uuid primary key default gen_random_uuid(),
    case_id uuid not null references cases (id),
    author_id uuid not null references users (id),
    to_family boolean not null,
    body text not null,
    created_at timestamptz not null default now(),
    constraint case_notes_body_length check (char_length(btrim(body)) between 1 and 4000)
);
create index case_notes_case on case_notes (case_id, created_at);

-- Uploaded records. Bytes live in the object store under a random key; the
-- SHA-256 taken while streaming is checked on every download.
create table documents (
    id uuid primary key default gen_random_uuid(),
    case_id uuid not null references cases (id),
    record_source_id uuid not null references record_sources (id),
    storage_key text not null,
    original_name text not null,
    content_type text not null,
    size_bytes bigint not null,
    sha256 bytea not null,
    uploaded_by uuid not null references users (id),
    created_at timestamptz not null default now(),
    constraint documents_storage_key_key unique (storage_key),
    constraint documents_type_allowed check (content_type in ('application/pdf', 'image/jpeg', 'image/png')),
    constraint documents_size_limit check (size_bytes between 1 and 26214400),
    constraint documents_sha256_length check (octet_length(sha256) = 32),
    constraint documents_name_length check (char_length(original_name) between 1 and 200)
);
create index documents_case on documents (case_id, created_at);

-- 40 files per case, and none once review has started: the database decides.
create or replace function documents_check_insert() returns trigger
language plpgsql as $$
begin
    if case_is_frozen(new.case_id) then
        raise exception 'records of case % are frozen', new.case_id
            using errcode = 'check_violation', constraint = 'documents_frozen';
    end if;
    if (select count(*) from documents where case_id = new.case_id) >= 40 then
        raise exception 'case % already has 40 documents', new.case_id
            using errcode = 'check_violation', constraint = 'documents_max_forty';
    end if;
    return new;
end;
$$;
create trigger documents_check_insert before insert on documents
    for each row execute function documents_check_insert();
create or replace function documents_immutable() returns trigger
language plpgsql as $$
begin
    raise exception 'documents are kept as uploaded' using errcode = 'check_violation', constraint = 'documents_immutable';
end;
$$;
create trigger documents_immutable before update or delete on documents
    for each row execute function documents_immutable();

-- Additional fees (imaging or pathology re-review), asked with an amount and a reason.
create table fee_requests (
    id uuid primary key default gen_random_uuid(),
    case_id uuid not null references cases (id),
    kind text not null,
    amount_cents bigint not null,
    reason text not null,
    status text not null default 'requested',
    requested_by uuid not null references users (id),
    decided_at timestamptz,
    created_at timestamptz not null default now(),
    constraint fee_requests_kind_known check (kind in ('imaging', 'pathology')),
    constraint fee_requests_amount_range check (amount_cents between 100 and 1000000),
    constraint fee_requests_reason_length check (char_length(btrim(reason)) between 1 and 2000),
    constraint fee_requests_status_known check (status in ('requested', 'paid', 'declined', 'waived'))
);
create index fee_requests_case on fee_requests (case_id, created_at);

alter table payments add column fee_request_id uuid references fee_requests (id);
-- An additional fee is paid at most once, with one open attempt at a time.
create unique index payments_one_paid_fee_request on payments (fee_request_id)
    where status in ('succeeded', 'refunded');
create unique index payments_one_open_fee_request on payments (fee_request_id)
    where status = 'pending';
alter table payments add constraint payments_additional_fee_has_request
    check ((purpose = 'additional_fee') = (fee_request_id is not null));
alter table payments drop constraint payments_attempt_key;
create unique index payments_attempt_key on payments (case_id, purpose, coalesce(fee_request_id, '00000000-0000-0000-0000-000000000000'::uuid), attempt);

-- The clinician's follow-up phone call after the opinion.
create table follow_up_calls (
    id uuid primary key default gen_random_uuid(),
    case_id uuid not null references cases (id),
    clinician_id uuid not null references users (id),
    scheduled_for timestamptz,
    completed_at timestamptz,
    notes text not null default '',
    created_at timestamptz not null default now(),
    constraint follow_up_calls_notes_length check (char_length(notes) <= 4000)
);
create index follow_up_calls_case on follow_up_calls (case_id);
