-- Sign-ups are throttled like sign-ins, and the outbox keeps no readable
-- link at rest (issue 12).

-- Every sign-up attempt, reserved before its password is hashed: at most a
-- few per address and per network an hour, so a burst can neither keep every
-- hasher busy (sign-ins would get 503) nor mail one inbox without end.
create table sign_up_attempts (
    id bigint generated always as identity primary key,
    email text not null,
    -- An IPv4 address, or the /64 an IPv6 address is in.
    client_ip text,
    at timestamptz not null
);
create index sign_up_attempts_email_at on sign_up_attempts (email, at);
create index sign_up_attempts_ip_at on sign_up_attempts (client_ip, at);

-- Message bodies are sealed (AES-256-GCM under a key from the environment)
-- and forgotten once sent: a password-reset or staff-invitation link in a
-- backup or a read-only look at the database must not be usable. Rows from
-- before this migration keep their readable bodies until they are sent.
alter table email_outbox
    alter column body_text drop not null,
    alter column body_html drop not null,
    add column body_sealed bytea;
update email_outbox set body_text = null, body_html = null where status = 'sent';
alter table email_outbox
    add constraint email_outbox_sent_is_forgotten
        check (status <> 'sent' or (body_text is null and body_html is null and body_sealed is null)),
    add constraint email_outbox_has_a_body
        check (status = 'sent' or body_sealed is not null or (body_text is not null and body_html is not null));

-- How many unasked-for emails (confirmations, resets, "you already have an
-- account") one address got lately: a few an hour at most.
create index email_outbox_to_address_created on email_outbox (to_address, created_at);
