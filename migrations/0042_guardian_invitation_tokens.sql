-- The invitation to a child's other parent or guardian (issue 14) carries a
-- secret: 256 random bits in the emailed link, only their SHA-256 here, so
-- the table (a backup, a replica, a support query) never holds a working
-- link. The gate stays the signed-in address: the link only says which
-- invitation, and the person who accepts must be signed in with the
-- address it was sent to. No code wrote this table before, so it is empty.
alter table guardian_invitations
    add column token_hash bytea not null,
    -- Who withdrew it: the inviter revoking, or a new invitation replacing it.
    add column withdrawn_by uuid references users (id),
    add constraint guardian_invitations_token_sha256 check (octet_length(token_hash) = 32),
    add constraint guardian_invitations_withdrawn_by check ((withdrawn_at is null) = (withdrawn_by is null));
create unique index guardian_invitations_token on guardian_invitations (token_hash);

-- An invitation accepts once, and only while it is open and in its week:
-- the application's compare-and-set says so, and so does the database.
create or replace function guardian_invitations_settle_once() returns trigger
language plpgsql as $$
begin
    if old.accepted_at is not null or old.withdrawn_at is not null then
        raise exception 'invitation % is already settled', old.id
            using errcode = 'check_violation', constraint = 'guardian_invitations_settle_once';
    end if;
    if new.accepted_at is not null and new.accepted_at >= old.expires_at then
        raise exception 'invitation % has expired', old.id
            using errcode = 'check_violation', constraint = 'guardian_invitations_settle_once';
    end if;
    return new;
end;
$$;
create trigger guardian_invitations_settle_once before update on guardian_invitations
    for each row execute function guardian_invitations_settle_once();
