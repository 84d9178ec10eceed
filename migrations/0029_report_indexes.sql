-- The reports read the opinions delivered in a date range. Without this they
-- scan every case; with it, a month at a million cases is an index range
-- (the columns the report needs are included, so the table is not visited).
create index cases_delivered on cases (opinion_delivered_at)
    include (ready_for_review_at, specialist_id)
    where opinion_delivered_at is not null;

-- "Where do cases wait" counts the open cases by state and by how long they
-- have been in it. Every open case is counted, so the best is an index-only
-- scan of the open ones with the columns that say when each state began
-- (PostgreSQL cannot answer an expression index's value from the index alone).
create index cases_waiting on cases (status)
    include (submitted_at, collecting_records_at, ready_for_review_at, in_review_at, opinion_delivered_at)
    where status in ('submitted', 'collecting_records', 'ready_for_review', 'in_review', 'opinion_delivered');
