-- The clinician's home: a page of the calls to make, most urgent first, then
-- the calls completed in the last 30 days (clinician::calls). As a statement
-- with the clinician, the day and the page as parameters PostgreSQL planned
-- it afresh on every view (its generic plan guesses a third of the calls
-- after any day, so a custom plan always looked cheaper): 1.1 ms of planning
-- for 0.5 ms of work. Inside a function each connection plans it once.
create function clinician_calls(p_clinician uuid, p_since timestamptz, p_limit bigint, p_offset bigint,
                                p_recent bigint)
returns table (
    id uuid, case_number text, parent_name text, contact_phone text, contact_time_zone text, call_times text,
    child_first_name text, date_of_birth date, call_due_at timestamptz, call_pending boolean, attempts bigint,
    last_outcome call_outcome, last_at timestamptz, next_attempt_at timestamptz, call_scheduled_for timestamptz,
    unread integer, family_language language)
language plpgsql stable
set plan_cache_mode = force_generic_plan
as $$
#variable_conflict use_column
begin
    return query
    with shown as (
        -- In the order of one index (cases_clinician_call_queue, 0055).
        (select c.id from cases c where c.clinician_id = p_clinician and c.call_pending
         order by coalesce(c.call_scheduled_for, c.call_retry_at, c.call_due_at), c.case_number
         limit p_limit offset p_offset)
        union all
        (select k.case_id from follow_up_calls k join cases d on d.id = k.case_id
         where k.outcome = 'completed' and k.at > p_since and d.clinician_id = p_clinician and not d.call_pending
         order by k.at desc limit p_recent))
    select c.id, c.case_number, u.full_name, c.contact_phone, c.contact_time_zone, c.call_times, ch.first_name,
           ch.date_of_birth, c.call_due_at, c.call_pending,
           (select count(*) from follow_up_calls k where k.case_id = c.id),
           last.outcome, last.at, c.call_retry_at, c.call_scheduled_for, c.unread_by_team, c.family_language
    from shown join cases c on c.id = shown.id
    join users u on u.id = c.family_id
    join children ch on ch.id = c.child_id
    -- The last attempt, read for the cards shown only.
    left join lateral (select k.outcome, k.at from follow_up_calls k
                       where k.case_id = c.id order by k.at desc, k.id desc limit 1) last on true
    order by coalesce(c.call_scheduled_for, c.call_retry_at, c.call_due_at), c.case_number;
end $$;
