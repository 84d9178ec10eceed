-- The care team runs the whole program: the clinician can make the call,
-- the coordinator closes with a checklist, records close the translation
-- loop, the additional-fee loop starts with the specialist, and the queue
-- says what needs a person.

-- Reaching the family for the call ------------------------------------------

-- The phone is E.164 (+ country code, digits): required when a case is
-- submitted, checked here so no path submits without one. Older cases keep
-- whatever they had. The family says where they live (their time zone) and
-- when to call.
alter table cases
    add column contact_time_zone text not null default 'America/Los_Angeles',
    add column call_times text not null default '',
    -- When the clinician's call is due: set with the opinion's delivery by
    -- transition (the one writer of deadlines), like due_at.
    add column call_due_at timestamptz,
    add constraint cases_contact_time_zone_length check (char_length(contact_time_zone) between 1 and 64),
    add constraint cases_call_times_length check (char_length(call_times) <= 200);

create or replace function cases_check_submitted_phone() returns trigger
language plpgsql as $$
begin
    if new.contact_phone !~ '^\+[1-9][0-9]{6,14}$' then
        raise exception 'case % has no phone number in international form', new.id
            using errcode = 'check_violation', constraint = 'cases_submitted_phone';
    end if;
    return new;
end;
$$;
create trigger cases_submitted_phone before update of status on cases
    for each row when (old.status = 'draft' and new.status = 'submitted')
    execute function cases_check_submitted_phone();

-- A call is a history of attempts, not one row: each attempt says how it
-- went and, if the family was not reached, when to try again.
create type call_outcome as enum ('no_answer', 'left_message', 'completed');
alter table follow_up_calls
    add column outcome call_outcome,
    add column next_attempt_at timestamptz,
    add column at timestamptz;
update follow_up_calls
set outcome = case when completed_at is not null then 'completed'::call_outcome else 'no_answer'::call_outcome end,
    at = coalesce(completed_at, scheduled_for, created_at);
alter table follow_up_calls
    alter column outcome set not null,
    alter column at set not null,
    drop column scheduled_for,
    drop column completed_at,
    add constraint follow_up_calls_no_next_after_completed check (outcome <> 'completed' or next_attempt_at is null);
create index follow_up_calls_case_at on follow_up_calls (case_id, at);

-- Records and translation ----------------------------------------------------

-- A document can be the English translation of the source's records.
alter table documents add column is_translation boolean not null default false;

-- "Digitized" means there is something to read: at least one document, and
-- for records in another language, an English translation among them.
-- (Documents are never changed or removed, so this stays true.)
create or replace function record_sources_check_digitized() returns trigger
language plpgsql as $$
begin
    if not exists (select 1 from documents d where d.record_source_id = new.id) then
        raise exception 'record source % has no document', new.id
            using errcode = 'check_violation', constraint = 'record_sources_digitized_needs_document';
    end if;
    if new.translation_required
       and not exists (select 1 from documents d where d.record_source_id = new.id and d.is_translation) then
        raise exception 'record source % has no English translation', new.id
            using errcode = 'check_violation', constraint = 'record_sources_digitized_needs_translation';
    end if;
    return null;
end;
$$;
-- After the row is written: `translation_required` is a generated column,
-- computed only after BEFORE triggers run.
create trigger record_sources_digitized after insert or update of status, language on record_sources
    for each row when (new.status = 'digitized') execute function record_sources_check_digitized();

-- The care team asks the family for a specific record.
create table record_requests (
    id uuid primary key default gen_random_uuid(),
    case_id uuid not null references cases (id),
    record_source_id uuid references record_sources (id),
    body text not null,
    requested_by uuid not null references users (id),
    created_at timestamptz not null default now(),
    resolved_at timestamptz,
    resolved_by uuid references users (id),
    constraint record_requests_body_length check (char_length(btrim(body)) between 1 and 2000),
    constraint record_requests_resolved_by_someone check ((resolved_at is null) = (resolved_by is null))
);
create index record_requests_case on record_requests (case_id, created_at);

-- The additional-fee loop --------------------------------------------------

-- The specialist suggests a re-review; the coordinator prices it (a fee
-- request) or decides not to ask the family, with a reason.
create table fee_suggestions (
    id uuid primary key default gen_random_uuid(),
    case_id uuid not null references cases (id),
    kind fee_kind not null,
    reason text not null,
    suggested_by uuid not null references users (id),
    created_at timestamptz not null default now(),
    fee_request_id uuid references fee_requests (id),
    dismissed_at timestamptz,
    dismissed_by uuid references users (id),
    dismiss_reason text,
    constraint fee_suggestions_reason_length check (char_length(btrim(reason)) between 1 and 2000),
    constraint fee_suggestions_dismiss_reason_length check (char_length(dismiss_reason) <= 2000),
    constraint fee_suggestions_one_outcome check (fee_request_id is null or dismissed_at is null),
    constraint fee_suggestions_dismissed_by_someone check ((dismissed_at is null) = (dismissed_by is null))
);
create index fee_suggestions_case on fee_suggestions (case_id, created_at);

-- A re-review takes time: the coordinator says by how many business days
-- the opinion's deadline moves once the family pays. The case keeps the sum,
-- and transition counts it in the opinion's deadline.
alter table fee_requests
    add column moves_opinion_days smallint not null default 0,
    add constraint fee_requests_moves_opinion_range check (moves_opinion_days between 0 and 20);
alter table cases
    add column opinion_extension_days smallint not null default 0,
    add constraint cases_opinion_extension_range check (opinion_extension_days between 0 and 60);

-- What needs a person: flags on the case, kept by triggers ------------------

-- Each flag is a fact about the case's other rows, recomputed (not
-- incremented, so it can't drift) whenever those rows change; the queue
-- filters on them with small partial indexes, and the closing job and the
-- coordinator's checklist read them.
alter table cases
    add column translation_pending boolean not null default false,
    add column fee_to_price boolean not null default false,
    add column fee_unpaid boolean not null default false,
    add column follow_up_waiting boolean not null default false,
    add column call_pending boolean not null default false,
    add column referral_open boolean not null default false;

create or replace function case_flags_refresh(target uuid) returns void
language sql as $$
    update cases c set
        translation_pending = exists (select 1 from record_sources r where r.case_id = target
                                      and r.translation_required and r.status not in ('digitized', 'unavailable')),
        fee_to_price = exists (select 1 from fee_suggestions s where s.case_id = target
                               and s.fee_request_id is null and s.dismissed_at is null),
        fee_unpaid = exists (select 1 from fee_requests f where f.case_id = target and f.status = 'requested'),
        follow_up_waiting = exists (select 1 from follow_up_questions q where q.case_id = target and q.answer is null),
        call_pending = c.status = 'opinion_delivered'
                       and not exists (select 1 from follow_up_calls k where k.case_id = target and k.outcome = 'completed'),
        referral_open = exists (select 1 from referral_requests r where r.case_id = target and r.status = 'requested')
    where c.id = target
$$;

create or replace function case_flags_track() returns trigger
language plpgsql as $$
begin
    perform case_flags_refresh(coalesce(new.case_id, old.case_id));
    return null;
end;
$$;
create trigger record_sources_flags after insert or delete or update of status, language on record_sources
    for each row execute function case_flags_track();
create trigger fee_suggestions_flags after insert or update on fee_suggestions
    for each row execute function case_flags_track();
create trigger fee_requests_flags after insert or update of status on fee_requests
    for each row execute function case_flags_track();
create trigger follow_up_questions_flags after insert or update of answer on follow_up_questions
    for each row execute function case_flags_track();
create trigger follow_up_calls_flags after insert on follow_up_calls
    for each row execute function case_flags_track();
create trigger referral_requests_flags after insert or update of status on referral_requests
    for each row execute function case_flags_track();

-- The call becomes pending when the opinion is delivered and stops when the case leaves that state.
create or replace function cases_call_pending_on_status() returns trigger
language plpgsql as $$
begin
    new.call_pending := new.status = 'opinion_delivered'
        and not exists (select 1 from follow_up_calls k where k.case_id = new.id and k.outcome = 'completed');
    return new;
end;
$$;
create trigger cases_call_pending before update of status on cases
    for each row when (old.status is distinct from new.status) execute function cases_call_pending_on_status();

-- The flags for the cases already there; updated_at stays as it was.
alter table cases disable trigger set_updated_at;
select case_flags_refresh(id) from cases;
alter table cases enable trigger set_updated_at;

-- One partial index per flag, in the queue's order (see 0013), active cases only.
create index cases_queue_translation on cases ((coalesce(due_at, 'infinity')), created_at, id) include (due_at, child_search)
    where translation_pending and status in ('submitted', 'collecting_records', 'ready_for_review', 'in_review', 'opinion_delivered');
create index cases_queue_fee_to_price on cases ((coalesce(due_at, 'infinity')), created_at, id) include (due_at, child_search)
    where fee_to_price and status in ('submitted', 'collecting_records', 'ready_for_review', 'in_review', 'opinion_delivered');
create index cases_queue_fee_unpaid on cases ((coalesce(due_at, 'infinity')), created_at, id) include (due_at, child_search)
    where fee_unpaid and status in ('submitted', 'collecting_records', 'ready_for_review', 'in_review', 'opinion_delivered');
create index cases_queue_follow_up on cases ((coalesce(due_at, 'infinity')), created_at, id) include (due_at, child_search)
    where follow_up_waiting and status in ('submitted', 'collecting_records', 'ready_for_review', 'in_review', 'opinion_delivered');
create index cases_queue_call on cases ((coalesce(due_at, 'infinity')), created_at, id) include (due_at, child_search)
    where call_pending and status in ('submitted', 'collecting_records', 'ready_for_review', 'in_review', 'opinion_delivered');
create index cases_queue_linked on cases ((coalesce(due_at, 'infinity')), created_at, id) include (due_at, child_search)
    where previous_case_id is not null and status in ('submitted', 'collecting_records', 'ready_for_review', 'in_review', 'opinion_delivered');
create index cases_queue_specialist_requested on cases ((coalesce(due_at, 'infinity')), created_at, id) include (due_at, child_search)
    where (requested_specialist_id is not null or requested_specialist_note <> '')
      and status in ('submitted', 'collecting_records', 'ready_for_review', 'in_review', 'opinion_delivered');
-- Delivered cases whose window ended with something still open: the coordinator's "needs attention".
create index cases_attention on cases (due_at)
    where status = 'opinion_delivered' and (call_pending or follow_up_waiting or fee_unpaid or fee_to_price or referral_open);

-- Finding a case by its number -----------------------------------------------

-- "000009", "9" and "SO-2026-9" all mean case SO-2026-000009: the number's
-- sequence part, kept beside it and indexed.
alter table cases add column case_seq bigint;
alter table cases disable trigger set_updated_at;
update cases set case_seq = substring(case_number from '([0-9]+)$')::bigint;
alter table cases enable trigger set_updated_at;
alter table cases alter column case_seq set not null;
create or replace function cases_set_seq() returns trigger
language plpgsql as $$
begin
    new.case_seq := substring(new.case_number from '([0-9]+)$')::bigint;
    return new;
end;
$$;
create trigger cases_set_seq before insert on cases for each row execute function cases_set_seq();
create index cases_case_seq on cases (case_seq);

-- Names found without their accents ("sofia" finds "Sofía") ------------------

create extension if not exists unaccent;
-- unaccent() is only stable (its dictionary could change); naming the
-- dictionary makes the result depend on the arguments alone, which is what
-- the stored search key needs.
create or replace function search_text(t text) returns text
language sql immutable as $$ select search_fold(unaccent('unaccent'::regdictionary, t)) $$;
create or replace function child_search(first_name text, last_name text) returns text
language sql immutable as $$ select ' ' || search_text(first_name || ' ' || last_name) $$;
alter table cases disable trigger set_updated_at;
update cases c set child_search = child_search(ch.first_name, ch.last_name) from children ch where ch.id = c.child_id;
alter table cases enable trigger set_updated_at;

-- A note on the timeline (a reason to close with items open, a cancellation)
-- is bounded like every other text.
alter table case_events add constraint case_events_note_length check (char_length(note) <= 2000);
