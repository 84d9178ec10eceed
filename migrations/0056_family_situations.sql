-- What the family's pages say of each case: where it stands, what is missing,
-- what waits for them (family::progress::situations). As a statement sent by
-- the app it was planned again on every view: the cases are an array
-- parameter, and PostgreSQL's generic plan assumes ten of them, so it kept
-- choosing a custom plan, 590-690 µs of planning a page for 70-290 µs of
-- work (its dozen subqueries are each planned). Inside a function, each
-- connection plans it once and keeps the plan.
create function family_situations(p_cases uuid[], p_now timestamptz)
returns table (
    id uuid, status case_status, no_diagnosis boolean, contact_phone text,
    ready_at timestamptz, opinion_extension_days smallint, delivered_at timestamptz,
    unread_by_family integer, coordinator text, records_total integer, records_in integer,
    has_questions boolean, declined boolean, unsigned uuid[], unsigned_names text[],
    fees bigint, call_done timestamptz, call_at timestamptz)
language plpgsql stable
set plan_cache_mode = force_generic_plan
as $$
#variable_conflict use_column
begin
    return query
    select c.id, c.status, c.diagnosis_summary = '', c.contact_phone,
           c.ready_for_review_at, c.opinion_extension_days, c.opinion_delivered_at,
           c.unread_by_family, co.full_name, c.records_total, c.records_in,
           exists (select 1 from case_questions q where q.case_id = c.id),
           exists (select 1 from payments p where p.case_id = c.id and p.purpose = 'case_fee' and p.status = 'failed'),
           array(select s.id from record_sources s where s.case_id = c.id and not exists
                 (select 1 from record_releases r where r.record_source_id = s.id) order by s.created_at),
           array(select s.facility from record_sources s where s.case_id = c.id and not exists
                 (select 1 from record_releases r where r.record_source_id = s.id) order by s.created_at),
           (select count(*) from fee_requests f where f.case_id = c.id and f.status = 'requested'),
           (select max(k.at) from follow_up_calls k where k.case_id = c.id and k.outcome = 'completed'),
           case when c.call_scheduled_for > p_now then c.call_scheduled_for end
    from cases c left join users co on co.id = c.coordinator_id
    where c.id = any(p_cases)
    order by array_position(p_cases, c.id);
end $$;
