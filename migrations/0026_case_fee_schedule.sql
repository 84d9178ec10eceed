-- The case fee as the admin sets it: each row is a price that takes effect on
-- a day (a Pacific calendar date) and holds until the next row's day. Before
-- the first row, CASE_FEE_CENTS from the configuration is the price, so a new
-- install needs no row and an old one keeps its price.
--
-- A case keeps the price it was shown: the price of a case is the one in
-- effect on the Pacific day the family STARTED it (cases.created_at), which
-- is also the price every page of that case showed. So a price may only be
-- scheduled for a day still to come (checked by the page, which knows the
-- hospital's today), and a row is never changed: the history is the record
-- of what each case was shown. A price not yet in effect may be withdrawn
-- (deleted); one in effect, or past, may not.
create table case_fee_schedule (
    effective_from date primary key,
    amount_cents bigint not null,
    set_by uuid not null references users (id),
    created_at timestamptz not null default now(),
    -- Stripe's card minimum is $0.50; above $100,000 is a typo.
    constraint case_fee_schedule_amount_range check (amount_cents between 50 and 10000000)
);

create or replace function case_fee_schedule_is_append_only() returns trigger
language plpgsql as $$
begin
    if tg_op = 'DELETE' and old.effective_from > (now() at time zone 'America/Los_Angeles')::date then
        return old;
    end if;
    raise exception 'a case fee in effect is never changed or removed; schedule a new one'
        using errcode = 'check_violation', constraint = 'case_fee_schedule_append_only';
end $$;

create trigger case_fee_schedule_append_only
    before update or delete on case_fee_schedule
    for each row execute function case_fee_schedule_is_append_only();
