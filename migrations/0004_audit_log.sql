-- Who did what to which record, and whether it was allowed (HIPAA 164.312(b)).
-- Ids only: never names, question text or other health information.
create table audit_log (
    id bigint generated always as identity primary key,
    at timestamptz not null default now(),
    actor_user_id uuid references users (id),
    actor_role user_role,
    action text not null,
    entity_type text,
    entity_id text,
    case_id uuid,
    outcome text not null,
    client_ip text,
    constraint audit_log_outcome check (outcome in ('success', 'failure', 'denied'))
);
create index audit_log_actor_at on audit_log (actor_user_id, at);
create index audit_log_case_at on audit_log (case_id, at) where case_id is not null;

-- Append-only, enforced by the database rather than by good intentions.
create or replace function audit_log_is_append_only() returns trigger
language plpgsql as $$
begin
    raise exception 'audit_log is append-only' using errcode = 'insufficient_privilege';
end;
$$;
create trigger audit_log_no_update before update or delete on audit_log
    for each row execute function audit_log_is_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_is_append_only();
