-- The clinician can tell the family when the follow-up call will be before
-- any attempt: the time is kept on the case, and the next attempt logged
-- clears it (from then on the attempts' own "next attempt" is the plan).
alter table cases add column call_scheduled_for timestamptz;
