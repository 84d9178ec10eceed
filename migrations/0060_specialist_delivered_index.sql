-- The specialist's list of what they delivered in the last 30 days, newest
-- first, 25 to a page: cases_specialist_open (0047) held it in no order
-- (and every case in review besides), so each view fetched every delivered
-- case of the month from the heap and sorted them (157 for a specialist of
-- the 100,000-case data) to show 25. In the list's own order, an index-only
-- scan reads the page and stops. The in-review list has its own (0055).
drop index cases_specialist_open;
create index cases_specialist_delivered on cases (specialist_id, opinion_delivered_at desc, id)
    where status = 'opinion_delivered';
