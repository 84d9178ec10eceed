-- The coordinator's queue opens with the delivered cases whose follow-up
-- window ended with something still open (coordinator::queue::attention).
-- Sent as a statement with the time as a parameter, PostgreSQL planned it
-- afresh on every view (its generic plan guesses a third of the table
-- before that time, so a custom plan always looked cheaper): 520 µs of
-- planning, most of it weighing the table's 28 indexes, for 13 µs of work.
-- Inside a function each connection plans it once and keeps the plan, which
-- reads cases_attention (0015) in order and stops at 50.
create function cases_needing_attention(p_now timestamptz)
returns table (
    id uuid, case_number text, due_at timestamptz, call_pending boolean, follow_up_waiting boolean,
    fee_unpaid boolean, fee_to_price boolean, referral_open boolean)
language plpgsql stable
set plan_cache_mode = force_generic_plan
as $$
#variable_conflict use_column
begin
    return query
    select c.id, c.case_number, c.due_at, c.call_pending, c.follow_up_waiting, c.fee_unpaid, c.fee_to_price,
           c.referral_open
    from cases c
    where c.status = 'opinion_delivered' and c.due_at < p_now
      and (c.call_pending or c.follow_up_waiting or c.fee_unpaid or c.fee_to_price or c.referral_open)
    order by c.due_at limit 50;
end $$;
