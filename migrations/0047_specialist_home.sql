-- The specialist's home reads their cases in review and those delivered
-- lately; the only index on `specialist_id` holds every case they ever had
-- (closed ones pile up), so each view filtered thousands of rows.
create index cases_specialist_open on cases (specialist_id, opinion_delivered_at)
    where status in ('in_review', 'opinion_delivered');

-- The workspace lists the clinicians to choose from (and the admin the staff):
-- without an index on the role, that read every family's account (15 ms at
-- 50,000 families). Staff are a few rows; families never appear in these lists.
create index users_staff on users (role, full_name) where role <> 'family';
