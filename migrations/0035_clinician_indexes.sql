-- The clinician's home reads their cases four ways, and `cases` had no index
-- on `clinician_id`: each view scanned every case (25 ms of PostgreSQL per
-- view at 20,000 cases, growing with the table). Each index holds only the
-- rows a list can show, so it stays small as closed cases pile up.

-- Calls to make (the call list reads these, plus the calls completed lately).
create index cases_clinician_calls on cases (clinician_id) where call_pending;
-- Calls completed lately, for the "done" list.
create index follow_up_calls_completed on follow_up_calls (at) where outcome = 'completed';
-- The clinician's cases still on their way to an opinion.
create index cases_clinician_open on cases (clinician_id, created_at)
    where opinion_delivered_at is null and status not in ('closed', 'cancelled');
-- Follow-up questions waiting for an answer, and referrals waiting for a step.
create index follow_up_questions_open on follow_up_questions (case_id) where answer is null;
create index referral_requests_open on referral_requests (case_id) where status = 'requested';
