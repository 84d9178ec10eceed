-- The clinician's home lists their ten newest cases still before the opinion,
-- unread first. Without an index in that order PostgreSQL sorted every such
-- case of the clinician's on each view (1,035 for a clinician of six at
-- 100,000 cases: 30-50 ms, most of it starting a parallel worker); with it,
-- ten rows read in order, 0.2 ms. Messages change unread_by_team, so their
-- updates of an open case now touch this index too.
create index cases_clinician_others on cases (clinician_id, (unread_by_team > 0) desc, created_at desc)
    where opinion_delivered_at is null and status not in ('closed', 'cancelled');
