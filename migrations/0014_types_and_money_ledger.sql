-- One owner for each rule. Values that the application compared as strings
-- become enums the database checks; the money paths get a refund ledger, a
-- record of payment anomalies, the card and receipt details an HSA/FSA
-- receipt needs, and a marker for the one payment that paid for a purpose;
-- and the three copies of "frozen from review on" become one function.

-- Enums for what used to be checked text ------------------------------------

create type payment_purpose as enum ('case_fee', 'additional_fee');
create type payment_provider as enum ('stripe', 'test_gateway');
create type fee_kind as enum ('imaging', 'pathology');
-- `withdrawn`: the case was cancelled while the fee was still asked for.
create type fee_status as enum ('requested', 'paid', 'declined', 'waived', 'withdrawn');
create type referral_status as enum ('requested', 'visit_arranged', 'referral_sent', 'not_needed');
create type child_sex as enum ('female', 'male', 'intersex', 'not_stated');

-- Indexes and checks that compare these columns with text literals must be
-- rebuilt around the new types.
drop index payments_one_paid_case_fee;
drop index payments_one_open_case_fee;
drop index payments_one_paid_fee_request;
alter table payments
    drop constraint payments_purpose_known,
    drop constraint payments_provider_known,
    drop constraint payments_additional_fee_has_request;
alter table payments
    alter column purpose type payment_purpose using purpose::payment_purpose,
    alter column provider type payment_provider using provider::payment_provider,
    add constraint payments_additional_fee_has_request
        check ((purpose = 'additional_fee') = (fee_request_id is not null));

alter table fee_requests drop constraint fee_requests_kind_known, drop constraint fee_requests_status_known;
alter table fee_requests alter column status drop default;
alter table fee_requests
    alter column kind type fee_kind using kind::fee_kind,
    alter column status type fee_status using status::fee_status,
    alter column status set default 'requested',
    add column decided_by uuid references users (id);

alter table referral_requests drop constraint referral_requests_status_known;
alter table referral_requests alter column status drop default;
alter table referral_requests
    alter column status type referral_status using status::referral_status,
    alter column status set default 'requested';

alter table children drop constraint children_sex_known;
alter table children alter column sex type child_sex using sex::child_sex;

-- `cancelled`: we closed an attempt that was never paid (the case was
-- cancelled, the fee withdrawn, a later attempt took its place). `failed`
-- stays for a declined card. (Usable from the next migration on.)
alter type payment_status add value 'cancelled' after 'failed';

-- The payment that paid for its purpose --------------------------------------

-- A card can be charged twice for one purpose: an attempt marked declined
-- that Stripe later reports succeeded, or a payment racing a cancellation.
-- Both charges are real and both are recorded; exactly one of them
-- fulfils the purpose (submits the case, pays the fee). The others are
-- refunded. These indexes say "paid at most once" about that one.
alter table payments add column fulfilled boolean not null default false;
update payments set fulfilled = true where status in ('succeeded', 'refunded');
alter table payments add constraint payments_fulfilled_was_paid
    check (not fulfilled or status in ('succeeded', 'refunded'));
create unique index payments_one_fulfilled_case_fee on payments (case_id)
    where purpose = 'case_fee' and fulfilled;
create unique index payments_one_fulfilled_fee_request on payments (fee_request_id)
    where fulfilled;
-- At most one case fee attempt open at a time (as before; the fee request's
-- twin, payments_one_open_fee_request, compares no purpose and stays).
create unique index payments_one_open_case_fee on payments (case_id)
    where purpose = 'case_fee' and status = 'pending';

-- What an HSA/FSA receipt shows about the card, as the processor reported it,
-- and a receipt number given when the money is taken.
create sequence receipt_number_seq;
alter table payments
    add column card_brand text,
    add column card_last4 text,
    add column receipt_number bigint,
    add constraint payments_card_brand_length check (char_length(card_brand) <= 40),
    add constraint payments_card_last4_digits check (card_last4 ~ '^[0-9]{4}$'),
    add constraint payments_receipt_number_key unique (receipt_number);
update payments p set receipt_number = numbered.n
from (select id, nextval('receipt_number_seq') as n
      from (select id from payments where status in ('succeeded', 'refunded') order by succeeded_at, id) as paid) as numbered
where numbered.id = p.id;
alter table payments add constraint payments_paid_has_receipt
    check (status not in ('succeeded', 'refunded') or (receipt_number is not null and succeeded_at is not null));

-- Refunds: a ledger, written before the money moves --------------------------

-- A refund is asked for in the same transaction as the change that needs it
-- (a cancellation, a late duplicate charge), then made at the gateway with
-- the idempotency key `refund-{id}`: a crash or an outage in between leaves a
-- `requested` row that the worker retries with the same key, so the money
-- moves once. The payment becomes `refunded` only when the gateway said so.
-- One refund per payment, always the whole amount.
create type refund_status as enum ('requested', 'succeeded', 'failed', 'manual');
create type refund_reason as enum ('case_cancelled', 'fee_withdrawn', 'duplicate_payment', 'made_at_gateway');

create table refunds (
    id uuid primary key default gen_random_uuid(),
    payment_id uuid not null references payments (id),
    amount_cents bigint not null,
    reason refund_reason not null,
    -- `manual`: a Stripe payment while this server has no Stripe keys; someone
    -- must refund it in Stripe's dashboard and record it here.
    status refund_status not null default 'requested',
    provider_refund_id text,
    failure_message text,
    attempts integer not null default 0,
    next_attempt_at timestamptz not null default now(),
    requested_by uuid references users (id),
    requested_at timestamptz not null default now(),
    completed_at timestamptz,
    constraint refunds_one_per_payment unique (payment_id),
    constraint refunds_provider_refund_id_key unique (provider_refund_id),
    constraint refunds_amount_positive check (amount_cents > 0),
    constraint refunds_completed_has_time check ((status in ('succeeded', 'failed')) = (completed_at is not null)),
    constraint refunds_failure_length check (char_length(failure_message) <= 500)
);
create index refunds_due on refunds (next_attempt_at) where status = 'requested';

insert into refunds (payment_id, amount_cents, reason, status, provider_refund_id, attempts, requested_at, completed_at)
select id, amount_cents, 'case_cancelled', 'succeeded', refund_id, 1,
       coalesce(refunded_at, updated_at), coalesce(refunded_at, updated_at)
from payments where status = 'refunded';
alter table payments drop column refund_id, drop column refunded_at;

-- Payment anomalies, for an admin to see and review --------------------------

-- Money that arrived in a way we did not ask for: an unknown payment, a
-- mismatch (amount, currency, case), a success for an attempt we had closed,
-- a refund the gateway failed. Ids and amounts only, never health information.
create type payment_anomaly_kind as enum ('unknown_payment', 'mismatch', 'late_success', 'refund_failed');

create table payment_anomalies (
    id uuid primary key default gen_random_uuid(),
    kind payment_anomaly_kind not null,
    payment_id uuid references payments (id),
    case_id uuid references cases (id),
    provider_payment_id text,
    detail text not null,
    -- What the system did about it (e.g. the refund it asked for).
    refund_id uuid references refunds (id),
    created_at timestamptz not null default now(),
    reviewed_at timestamptz,
    reviewed_by uuid references users (id),
    review_note text,
    constraint payment_anomalies_detail_length check (char_length(detail) between 1 and 500),
    constraint payment_anomalies_review_note_length check (char_length(review_note) <= 2000),
    constraint payment_anomalies_reviewed_by_someone check ((reviewed_at is null) = (reviewed_by is null))
);
create index payment_anomalies_open on payment_anomalies (created_at) where reviewed_at is null;

-- One freeze rule for questions, record sources and documents ----------------

-- Replaces case_questions_not_frozen() and record_sources_not_frozen() (0007,
-- 0013) and the freeze half of documents_check_insert() (0009), which said the
-- same thing three times. The constraint name each table reports comes as
-- the trigger's argument. The case's row lock comes first, for every table:
-- taken after the share lock of case_is_frozen(), two changes to one case at
-- once would each wait to upgrade it (see 0013).
create or replace function refuse_change_when_case_frozen() returns trigger
language plpgsql as $$
declare
    target uuid := coalesce(new.case_id, old.case_id);
begin
    perform 1 from cases where id = target for no key update;
    if case_is_frozen(target) then
        raise exception '% of case % are frozen', tg_table_name, target
            using errcode = 'check_violation', constraint = tg_argv[0];
    end if;
    return coalesce(new, old);
end;
$$;

drop trigger case_questions_frozen on case_questions;
create trigger case_questions_frozen before insert or update or delete on case_questions
    for each row execute function refuse_change_when_case_frozen('case_questions_frozen');
drop function case_questions_not_frozen();

drop trigger record_sources_frozen on record_sources;
create trigger record_sources_frozen before insert or update or delete on record_sources
    for each row execute function refuse_change_when_case_frozen('record_sources_frozen');
drop function record_sources_not_frozen();

create trigger documents_frozen before insert on documents
    for each row execute function refuse_change_when_case_frozen('documents_frozen');
-- What is left of documents_check_insert(): 40 files per case, checked after
-- the freeze trigger (triggers fire by name) so it counts under the case's lock.
drop trigger documents_check_insert on documents;
create or replace function documents_check_insert() returns trigger
language plpgsql as $$
begin
    if (select count(*) from documents where case_id = new.case_id) >= 40 then
        raise exception 'case % already has 40 documents', new.case_id
            using errcode = 'check_violation', constraint = 'documents_max_forty';
    end if;
    return new;
end;
$$;
create trigger documents_max_forty before insert on documents
    for each row execute function documents_check_insert();

-- A limit the application enforced that the database did not.
alter table record_sources add constraint record_sources_unavailable_reason_length
    check (char_length(unavailable_reason) between 1 and 500);
