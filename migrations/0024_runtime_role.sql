-- The application serves requests as a role that can read and write the
-- data but can't rewrite history (issue 13, HIPAA 164.312(b)): it may add to
-- and read audit_log, never update, delete or truncate it, and since it owns
-- nothing it can't alter the table, drop its triggers or disable them.
-- Migrations run as the owner of the tables (DATABASE_OWNER_URL), which is
-- the role running this file.
--
-- second_opinion_runtime is a group role: the login the app serves with
-- (DATABASE_URL's user) is a member of it, so a deployment names its login
-- and password as it likes (`create role app login password '…' in role
-- second_opinion_runtime`). It is made here when missing; where the owner
-- may not create roles, a database administrator makes it first.
do $$
begin
    if not exists (select from pg_roles where rolname = 'second_opinion_runtime') then
        create role second_opinion_runtime nologin;
    end if;
exception when duplicate_object or unique_violation then
    -- Another database on the same server (a parallel test) made it first.
    null;
end
$$;

-- Everything the pages and the worker use. (PostgreSQL 15 gives everyone
-- usage of the public schema already, and no one else's right to create in it.)
grant usage on schema tower_sessions to second_opinion_runtime;
grant select, insert, update, delete on all tables in schema public, tower_sessions to second_opinion_runtime;
grant usage, select on all sequences in schema public to second_opinion_runtime;

-- The trail: read it and add to it, nothing else.
revoke update, delete, truncate on audit_log from second_opinion_runtime;

-- What later migrations create (as this same owner) gets the same grants,
-- so a new table works for the app without a line here.
alter default privileges in schema public grant select, insert, update, delete on tables to second_opinion_runtime;
alter default privileges in schema public grant usage, select on sequences to second_opinion_runtime;

-- sqlx's record of applied migrations is the owner's alone.
do $$
begin
    if to_regclass('public._sqlx_migrations') is not null then
        revoke all on public._sqlx_migrations from second_opinion_runtime;
    end if;
end
$$;

-- A row's time is the database's, whoever writes it: the app can't
-- backdate or postdate an entry.
create function audit_log_stamp() returns trigger
language plpgsql as $$
begin
    new.at := now();
    return new;
end;
$$;
create trigger audit_log_stamp before insert on audit_log
    for each row execute function audit_log_stamp();
