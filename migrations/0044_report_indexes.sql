-- The admin's reports read a range of rows by when they happened; without an
-- index each report page reads the whole table.

-- Follow-up use: the questions asked in the range (admin/reports_follow_ups.rs).
create index follow_up_questions_asked on follow_up_questions (asked_at);
