-- What the coordinator's pricing form suggests for an additional fee, as the
-- admin sets it: like the case fee (0026), each row is an amount that takes
-- effect on a Pacific day and holds until the kind's next row. A request
-- keeps the amount it was made with (fee_requests.amount_cents), so a
-- default only ever reaches requests made after it takes effect. Before a
-- kind's first row there is no default and the form starts empty.
create table additional_fee_defaults (
    kind fee_kind not null,
    effective_from date not null,
    amount_cents bigint not null,
    set_by uuid not null references users (id),
    created_at timestamptz not null default now(),
    primary key (kind, effective_from),
    -- The range a fee request allows (fee_requests_amount_range).
    constraint additional_fee_defaults_amount_range check (amount_cents between 100 and 1000000)
);

-- The history is the record of what the forms suggested: a default in effect
-- (or past) is never changed or removed; one still to come may be withdrawn.
create function additional_fee_defaults_is_append_only() returns trigger
language plpgsql as $$
begin
    if tg_op = 'DELETE' and old.effective_from > (now() at time zone 'America/Los_Angeles')::date then
        return old;
    end if;
    raise exception 'an additional-fee default in effect is never changed or removed; schedule a new one'
        using errcode = 'check_violation', constraint = 'additional_fee_defaults_append_only';
end $$;

create trigger additional_fee_defaults_append_only
    before update or delete on additional_fee_defaults
    for each row execute function additional_fee_defaults_is_append_only();

-- Pages keep both price tables in memory as one (payments::price::FeeSchedule,
-- reference_cache.rs): either table's change tells every instance on one channel.
drop trigger case_fee_schedule_changed on case_fee_schedule;
drop function case_fee_schedule_notify_change();
create function prices_notify_change() returns trigger
language plpgsql as $$
begin
    perform pg_notify('prices_changed', '');
    return null;
end;
$$;
create trigger prices_changed after insert or update or delete or truncate on case_fee_schedule
    for each statement execute function prices_notify_change();
create trigger prices_changed after insert or update or delete or truncate on additional_fee_defaults
    for each statement execute function prices_notify_change();
