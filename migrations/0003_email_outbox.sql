-- Transactional outbox: a message is written in the same transaction as the
-- change it announces, and a worker delivers it (FOR UPDATE SKIP LOCKED).
-- Bodies never carry health information: "there is an update, please sign in".
create type email_status as enum ('pending', 'sent', 'dead');

create table email_outbox (
    id uuid primary key default gen_random_uuid(),
    to_address text not null,
    kind text not null,
    subject text not null,
    body_text text not null,
    body_html text not null,
    status email_status not null default 'pending',
    attempts integer not null default 0,
    next_attempt_at timestamptz not null default now(),
    last_error text,
    sent_at timestamptz,
    created_at timestamptz not null default now(),
    constraint email_outbox_attempts_nonnegative check (attempts >= 0),
    constraint email_outbox_sent_has_time check ((status = 'sent') = (sent_at is not null))
);
-- The worker only ever looks for due, pending rows.
create index email_outbox_due on email_outbox (next_attempt_at) where status = 'pending';
