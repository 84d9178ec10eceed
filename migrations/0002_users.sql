-- People who sign in. One row per human: no shared accounts (HIPAA 164.312(a)(2)(i)).
create type user_role as enum ('family', 'coordinator', 'clinician', 'specialist', 'admin');

create table users (
    id uuid primary key default gen_random_uuid(),
    -- Stored lowercased and trimmed so "Ada@X.test" and "ada@x.test" are one account.
    email text not null,
    full_name text not null,
    role user_role not null,
    -- argon2id PHC string; parameters travel with the hash so they can rise later.
    password_hash text not null,
    email_verified_at timestamptz,
    -- Disabled accounts keep their history; their sessions stop working at once.
    disabled_at timestamptz,
    -- Every session remembers the generation it was born in; bumping it (password
    -- change, disable) ends all other sessions without having to find them.
    session_generation integer not null default 0,
    -- Reserved for staff TOTP (a later step); null means not enrolled.
    mfa jsonb,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint users_email_normalized check (email = lower(btrim(email)) and email like '%_@_%'),
    constraint users_full_name_length check (char_length(full_name) between 1 and 200)
);
create unique index users_email_key on users (email);
select trigger_updated_at('users');

-- The specialist directory: the hospital's experts a coordinator can choose from.
create table specialists (
    user_id uuid primary key references users (id),
    specialty text not null,
    accepting_cases boolean not null default true,
    updated_at timestamptz not null default now(),
    constraint specialists_specialty_length check (char_length(specialty) between 1 and 120)
);
select trigger_updated_at('specialists');

-- Email verification and password reset links. Only a SHA-256 of the 256-bit
-- token is kept, so a database leak does not hand out working links.
create type token_purpose as enum ('verify_email', 'reset_password');

create table auth_tokens (
    token_hash bytea primary key,
    user_id uuid not null references users (id),
    purpose token_purpose not null,
    expires_at timestamptz not null,
    used_at timestamptz,
    created_at timestamptz not null default now(),
    constraint auth_tokens_hash_length check (octet_length(token_hash) = 32)
);
create index auth_tokens_user on auth_tokens (user_id, purpose);

-- Failed sign-ins, for throttling per account and per address. Kept apart from
-- audit_log so the throttle query stays small and the audit trail stays append-only.
create table login_failures (
    id bigint generated always as identity primary key,
    email text not null,
    client_ip text,
    at timestamptz not null
);
create index login_failures_email_at on login_failures (email, at);
create index login_failures_ip_at on login_failures (client_ip, at);
