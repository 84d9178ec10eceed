-- The admin's reports read a range of rows by when they happened; without an
-- index each report page reads the whole table.

-- Follow-up use: the questions asked in the range (admin/reports_follow_ups.rs).
create index follow_up_questions_asked on follow_up_questions (asked_at);

-- Calls on time: the cases whose call fell due in the range
-- (admin/reports_calls.rs). Partial: only delivered cases have a deadline.
create index cases_call_due on cases (call_due_at) where call_due_at is not null;
