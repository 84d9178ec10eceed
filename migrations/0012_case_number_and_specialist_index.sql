-- lpad(n, 6, '0') truncates: case 1,000,000 would get the number of case
-- 100,000. to_char pads to at least six digits and never cuts.
alter table cases alter column case_number set default
    ('SO-' || to_char(now() at time zone 'America/Los_Angeles', 'YYYY') || '-' || to_char(nextval('case_number_seq'), 'FM999999000000'));

-- A specialist's list shows only cases being worked; indexing their closed
-- cases too made the page after their last active case walk thousands of rows.
drop index cases_queue_by_specialist;
create index cases_queue_by_specialist on cases (specialist_id, (coalesce(due_at, 'infinity')), created_at, id)
    where specialist_id is not null
      and status in ('submitted', 'collecting_records', 'ready_for_review', 'in_review', 'opinion_delivered');
