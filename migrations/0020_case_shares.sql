-- Sharing the signed opinion with the child's doctor: a link that works for
-- 14 days, opens only with the child's date of birth, can be withdrawn, and
-- whose every view is kept (and shown to the family).

create table case_shares (
    id uuid primary key default gen_random_uuid(),
    case_id uuid not null references cases (id),
    -- SHA-256 of the 256-bit token in the link; the link itself is never stored.
    token_hash bytea not null,
    created_by uuid not null references users (id),
    created_at timestamptz not null,
    expires_at timestamptz not null,
    revoked_at timestamptz,
    constraint case_shares_token_hash_key unique (token_hash),
    constraint case_shares_token_hash_length check (octet_length(token_hash) = 32),
    constraint case_shares_fourteen_days check (expires_at = created_at + interval '14 days'),
    constraint case_shares_revoked_after_created check (revoked_at is null or revoked_at >= created_at)
);
create index case_shares_case on case_shares (case_id, created_at);

-- Only a signed opinion is shared.
create or replace function case_shares_opinion_signed() returns trigger
language plpgsql as $$
begin
    if not exists (select 1 from opinions where case_id = new.case_id and signed_at is not null) then
        raise exception 'case % has no signed opinion to share', new.case_id
            using errcode = 'check_violation', constraint = 'case_shares_opinion_signed';
    end if;
    return new;
end;
$$;
create trigger case_shares_opinion_signed before insert on case_shares
    for each row execute function case_shares_opinion_signed();

-- A link can be withdrawn, once; nothing else about it changes.
create or replace function case_shares_only_revoked() returns trigger
language plpgsql as $$
begin
    if tg_op = 'DELETE' or old.revoked_at is not null or new.revoked_at is null
       or (new.id, new.case_id, new.token_hash, new.created_by, new.created_at, new.expires_at)
          is distinct from (old.id, old.case_id, old.token_hash, old.created_by, old.created_at, old.expires_at) then
        raise exception 'a share link can only be withdrawn'
            using errcode = 'check_violation', constraint = 'case_shares_immutable';
    end if;
    return new;
end;
$$;
create trigger case_shares_immutable before update or delete on case_shares
    for each row execute function case_shares_only_revoked();

-- Each time the opinion was opened through a link (the audit log has the
-- same, for staff; this is what the family's page lists).
create table case_share_views (
    id bigint generated always as identity primary key,
    share_id uuid not null references case_shares (id),
    at timestamptz not null,
    client_ip text
);
create index case_share_views_share on case_share_views (share_id, at);

-- Wrong dates of birth, for throttling per link and per address.
create table case_share_failures (
    id bigint generated always as identity primary key,
    share_id uuid not null references case_shares (id),
    client_ip text,
    at timestamptz not null
);
create index case_share_failures_share_at on case_share_failures (share_id, at);
create index case_share_failures_ip_at on case_share_failures (client_ip, at);
