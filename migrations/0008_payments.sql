-- Money. Amounts are integer cents, set by the server, never by a form.
create type payment_status as enum ('pending', 'succeeded', 'failed', 'refunded');

create table payments (
    id uuid primary key default gen_random_uuid(),
    case_id uuid not null references cases (id),
    purpose text not null,
    amount_cents bigint not null,
    currency text not null default 'usd',
    -- 'stripe', or the bannered local 'test_gateway' (refused in production).
    provider text not null,
    -- The PaymentIntent id (or the test gateway's own id).
    provider_payment_id text,
    -- Attempt n of this purpose for this case: part of the Stripe idempotency key.
    attempt integer not null default 1,
    status payment_status not null default 'pending',
    failure_message text,
    succeeded_at timestamptz,
    refund_id text,
    refunded_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint payments_purpose_known check (purpose in ('case_fee', 'additional_fee')),
    constraint payments_provider_known check (provider in ('stripe', 'test_gateway')),
    constraint payments_amount_positive check (amount_cents > 0),
    constraint payments_currency_usd check (currency = 'usd'),
    constraint payments_provider_payment_id_key unique (provider_payment_id),
    constraint payments_attempt_key unique (case_id, purpose, attempt)
);
select trigger_updated_at('payments');
-- A case's fee is paid at most once, and at most one attempt is open at a time:
-- double submits and two tabs meet here.
create unique index payments_one_paid_case_fee on payments (case_id)
    where purpose = 'case_fee' and status in ('succeeded', 'refunded');
create unique index payments_one_open_case_fee on payments (case_id)
    where purpose = 'case_fee' and status = 'pending';

-- Each Stripe event is processed once, however often it arrives.
create table stripe_events (
    id text primary key,
    kind text not null,
    received_at timestamptz not null default now(),
    -- 'fulfilled', 'ignored', 'duplicate-effect', or 'anomaly: …' (amount/currency/case mismatch).
    outcome text not null default 'received'
);
