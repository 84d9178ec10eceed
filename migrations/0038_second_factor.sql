-- A second factor at sign-in (TOTP, RFC 6238): required of every staff
-- member before they reach anything but enrolment, and open to families who
-- want it. `users.mfa` (a placeholder since 0002) was never written: a table
-- with named constraints says more than a json column, so it goes.
alter table users drop column mfa;

create table second_factors (
    user_id uuid constraint second_factors_pkey primary key
        constraint second_factors_user_fk references users (id) on delete cascade,
    -- The shared secret, sealed with AES-256-GCM under a key derived from
    -- APP_SECRET_KEY and bound to this user's id: a copy of the database
    -- alone can't make codes, and a row copied to another account won't open.
    secret_sealed bytea not null,
    -- The last time step (unix seconds / 30) a code was accepted for. A code
    -- works once (RFC 6238 §5.2): the sign-in moves this forward with a
    -- compare-and-set, so the same code, or an older one, is refused.
    last_step bigint not null,
    enrolled_at timestamptz not null,
    constraint second_factors_secret_length check (octet_length(secret_sealed) between 28 and 128),
    constraint second_factors_step_positive check (last_step >= 0)
);

-- Ten one-time codes for the day the phone is lost. Only a SHA-256 of each
-- is kept: they are 80 random bits, so (unlike a password) there is nothing
-- for a slow hash to protect, and the hash is the lookup key.
create table recovery_codes (
    user_id uuid not null
        constraint recovery_codes_factor_fk references second_factors (user_id) on delete cascade,
    code_hash bytea not null,
    used_at timestamptz,
    constraint recovery_codes_pkey primary key (user_id, code_hash),
    constraint recovery_codes_hash_length check (octet_length(code_hash) = 32)
);
