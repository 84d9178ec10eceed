-- The lists a case's pages show, each read by one function that returns it
-- as one JSON array, in its order. A page that shows several of them reads
-- them in one statement (the family's case page showed ten lists in ten
-- round trips, and under load each round trip cost about 60 µs of CPU
-- between the app and PostgreSQL whatever it read); a page that shows one
-- reads it alone. Either way each list's columns, filter and order are
-- written once, here, and decoded once, by its row type's Deserialize.
-- PL/pgSQL, not SQL: each body keeps its plan for the connection (0059).
-- Keys are the Rust field names; a sort key that is not a field rides along
-- and is ignored.

create function case_questions_list(p_case uuid) returns json
language plpgsql stable as $$
begin
    return (select coalesce(json_agg(x order by x.position), '[]')
            from (select id, position, body from case_questions where case_id = p_case) x);
end $$;

create function case_record_sources_list(p_case uuid) returns json
language plpgsql stable as $$
begin
    return (select coalesce(json_agg(x order by x.created_at, x.id), '[]')
            from (select id, facility, contact_name, phone, records_description, date_range, language,
                         translation_required, status, unavailable_reason, created_at
                  from record_sources where case_id = p_case) x);
end $$;

create function case_releases_list(p_case uuid) returns json
language plpgsql stable as $$
begin
    return (select coalesce(json_agg(x order by x.signed_at), '[]')
            from (select id, record_source_id, signer_name, relationship, expires_on, signed_at
                  from record_releases where case_id = p_case) x);
end $$;

create function case_fee_requests_list(p_case uuid) returns json
language plpgsql stable as $$
begin
    return (select coalesce(json_agg(x order by x.created_at), '[]')
            from (select id, kind, amount_cents as amount, reason, status, moves_opinion_days, created_at, decided_at
                  from fee_requests where case_id = p_case) x);
end $$;

-- Every charge, oldest first, with its refund if any.
create function case_payments_list(p_case uuid) returns json
language plpgsql stable as $$
begin
    return (select coalesce(json_agg(x order by x.succeeded_at), '[]')
            from (select p.id, p.purpose, p.amount_cents as amount, p.status, p.succeeded_at,
                         r.status as refund_status, r.completed_at as refunded_at
                  from payments p left join refunds r on r.payment_id = p.id
                  where p.case_id = p_case and p.status in ('succeeded', 'refunded')) x);
end $$;

create function case_follow_ups_list(p_case uuid, p_escalated_only boolean) returns json
language plpgsql stable as $$
begin
    return (select coalesce(json_agg(x order by x.position), '[]')
            from (select f.id, f.position, q.position as about, f.body, f.answer,
                         f.escalated_at is not null as escalated,
                         u.full_name as answered_by, u.role as answered_by_role
                  from follow_up_questions f join case_questions q on q.id = f.question_id
                  left join users u on u.id = f.answered_by
                  where f.case_id = p_case and (not p_escalated_only or f.escalated_at is not null)) x);
end $$;

create function case_referrals_list(p_case uuid) returns json
language plpgsql stable as $$
begin
    return (select coalesce(json_agg(x order by x.created_at), '[]')
            from (select note, status, created_at from referral_requests where case_id = p_case) x);
end $$;

create function case_record_requests_list(p_case uuid, p_open_only boolean) returns json
language plpgsql stable as $$
begin
    return (select coalesce(json_agg(x order by x.created_at), '[]')
            from (select q.id, r.facility, q.body, u.full_name as requested_by, q.created_at, q.resolved_at
                  from record_requests q
                  join users u on u.id = q.requested_by
                  left join record_sources r on r.id = q.record_source_id
                  where q.case_id = p_case and (q.resolved_at is null or not p_open_only)) x);
end $$;

-- The case's changes of state, in the order they happened.
create function case_events_list(p_case uuid) returns json
language plpgsql stable as $$
begin
    return (select coalesce(json_agg(x order by x.id), '[]')
            from (select id, at, to_status, note from case_events where case_id = p_case) x);
end $$;

-- What the family was told besides its changes of state, with what each
-- update is about; p_off names the kinds that are a change of state.
create function family_updates_list(p_case uuid, p_off case_update_kind[]) returns json
language plpgsql stable as $$
begin
    return (select coalesce(json_agg(x order by x.at, x.id), '[]')
            from (select u.id, u.at, u.kind, r.facility, f.kind as fee_kind, f.amount_cents as fee_amount,
                         q.position as about, a.role as answered_by, rr.status as referral,
                         u.expected_on, u.call_at
                  from case_updates u
                  left join record_sources r on r.id = u.record_source_id
                  left join fee_requests f on f.id = u.fee_request_id
                  left join follow_up_questions fu on fu.id = u.follow_up_id
                  left join case_questions q on q.id = fu.question_id
                  left join users a on a.id = fu.answered_by
                  left join referral_requests rr on rr.id = u.referral_id
                  where u.case_id = p_case and u.kind <> all(p_off)) x);
end $$;

-- A specialist's public profile, or null for anyone who is not one (and,
-- strict, for a case not yet sent to one).
create function specialist_profile(p_user uuid) returns json
language plpgsql stable strict as $$
begin
    return (select to_json(x)
            from (select u.id, u.full_name as name, s.specialty, s.credentials, s.clinical_focus, s.accepting_cases
                  from specialists s join users u on u.id = s.user_id where s.user_id = p_user) x);
end $$;
