-- Records releases: for each place that holds the child's records, the
-- family signs an authorization for the program to obtain them. It is the
-- document a coordinator sends to the provider, so it is kept exactly as
-- signed, and a case can't be submitted while a location has none.

create type release_relationship as enum ('parent', 'legal_guardian', 'legal_representative');

-- Lets a release prove with a foreign key that its source is its case's.
alter table record_sources add constraint record_sources_id_case_key unique (id, case_id);

create table record_releases (
    id uuid primary key default gen_random_uuid(),
    case_id uuid not null references cases (id),
    -- Null once the family removed the location: the signed release stays on file.
    record_source_id uuid,
    -- The location as it was when signed (what the authorization names).
    provider_name text not null,
    records_description text not null,
    date_range text not null,
    purpose text not null default 'Second opinion',
    expires_on date not null,
    -- The signer's typed full name, and who they are to the child.
    signer_name text not null,
    relationship release_relationship not null,
    signed_by uuid not null references users (id),
    signed_at timestamptz not null,
    signer_ip text,
    constraint record_releases_source_of_case foreign key (record_source_id, case_id)
        references record_sources (id, case_id) on delete set null (record_source_id),
    constraint record_releases_one_per_source unique (record_source_id),
    constraint record_releases_purpose check (purpose = 'Second opinion'),
    constraint record_releases_signer_name_length check (char_length(btrim(signer_name)) between 1 and 200),
    constraint record_releases_text_lengths check (
        char_length(provider_name) between 1 and 200 and char_length(records_description) between 1 and 2000
        and char_length(date_range) <= 200),
    -- A release runs out: after the day it was signed, within two years.
    constraint record_releases_expiry check (
        expires_on > (signed_at at time zone 'America/Los_Angeles')::date
        and expires_on <= ((signed_at at time zone 'America/Los_Angeles')::date + interval '2 years')::date)
);
create index record_releases_case on record_releases (case_id);

-- Signed is final. The only change the database accepts is the one it makes
-- itself when the family removes the location (the source becomes null).
create or replace function record_releases_immutable() returns trigger
language plpgsql as $$
begin
    if tg_op = 'UPDATE' and new.record_source_id is null
       and (new.id, new.case_id, new.provider_name, new.records_description, new.date_range, new.purpose,
            new.expires_on, new.signer_name, new.relationship, new.signed_by, new.signed_at, new.signer_ip)
           is not distinct from
           (old.id, old.case_id, old.provider_name, old.records_description, old.date_range, old.purpose,
            old.expires_on, old.signer_name, old.relationship, old.signed_by, old.signed_at, old.signer_ip) then
        return new;
    end if;
    raise exception 'a signed release cannot be changed'
        using errcode = 'check_violation', constraint = 'record_releases_immutable';
end;
$$;
create trigger record_releases_immutable before update or delete on record_releases
    for each row execute function record_releases_immutable();

-- Submitted only with a current release for every location.
create or replace function cases_require_releases() returns trigger
language plpgsql as $$
begin
    if exists (select 1 from record_sources s
               where s.case_id = new.id
                 and not exists (select 1 from record_releases r
                                 where r.record_source_id = s.id
                                   and r.expires_on > (now() at time zone 'America/Los_Angeles')::date)) then
        raise exception 'case % has a record location without a signed release', new.id
            using errcode = 'check_violation', constraint = 'cases_releases_signed';
    end if;
    return new;
end;
$$;
create trigger cases_releases_signed before update of status on cases
    for each row when (old.status = 'draft' and new.status = 'submitted')
    execute function cases_require_releases();
