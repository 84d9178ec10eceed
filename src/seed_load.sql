-- seed-load: bulk-generates realistic families, children and cases for benchmarks.
--
-- Called by `second-opinion seed-load --cases N`, which first runs
--     select set_config('seed_load.cases', N::text, false)
-- on the same connection and then sends this whole file as one multi-statement
-- script (sqlx raw_sql, i.e. the simple query protocol). It has its own
-- begin/commit, so run it on a plain connection, not inside a sqlx transaction.
-- Each run adds N more cases (and about N/2 new families), with emails made
-- unique by a run tag; the staff accounts are created once and then reused.
--
-- Everything is set-based (generate_series, insert … select) so a million cases
-- load in a few minutes on two cores. The plan of every row is worked out first
-- in temporary tables (ids, states, timestamps), and each real table is then
-- filled by one insert from them.
--
-- Needs a superuser (the database owner in the benchmark cluster): it sets
-- session_replication_role = replica for the load, see below.

begin;

-- Replica mode skips ordinary and constraint triggers, including the foreign
-- key checks: the deferred cases_status_event check (one case_events row per
-- status change, matched on txid), the freeze triggers that refuse questions
-- and records on in-review/closed/cancelled cases, and updated_at. The data is
-- consistent by construction (every id below comes from the rows being
-- inserted, every case gets its event chain and its milestones in order), and
-- checking 14 million rows one by one would take most of the time. `set local`
-- ends with this transaction, so even on an error the connection never goes
-- back to a pool in replica mode.
set local session_replication_role = replica;
-- Room for the hash joins over a million planned cases to stay in memory.
set local work_mem = '256MB';
-- The generating queries have big expressions and (over unanalyzed temporary
-- tables) big cost estimates: LLVM spent over 10 s compiling the case plan
-- alone, more than running it takes.
set local jit = off;

-- Fail early and clearly when the caller forgot the setting.
do $$
declare
    raw text := current_setting('seed_load.cases', true);
begin
    if raw is null or raw !~ '^[0-9]{1,8}$' then
        raise exception 'seed_load.cases must be set to the number of cases to create (got %)', coalesce(raw, 'nothing');
    end if;
    if raw::int < 1 then
        raise exception 'seed_load.cases must be at least 1 (got %)', raw;
    end if;
end;
$$;

-- One row of parameters. The tag makes this run's family emails unique, so the
-- script can run again on the same database.
create temp table load_params on commit drop as
select current_setting('seed_load.cases')::int as n_cases,
       (current_setting('seed_load.cases')::int + 1) / 2 as n_families,
       substr(md5(random()::text || clock_timestamp()::text), 1, 10) as tag;

-- Word lists, one row, cross-joined where needed. Names from several cultures;
-- 'Mila', 'Miller', 'Okafor' and 'Okada' make the name-prefix searches of the
-- benchmark ('mil', 'oka') match a realistic few percent. The row is ~4 kB;
-- toast_tuple_target keeps it in the table rather than in TOAST, where every
-- subscript would fetch (and decompress) the array again, millions of times.
create temp table load_lists with (toast_tuple_target = 8160) on commit drop as
select
    array['Olivia', 'Liam', 'Emma', 'Noah', 'Sofía', 'Mateo', 'Isabella', 'Santiago',
          'Valentina', 'Diego', 'Camila', 'José', 'Aisha', 'Omar', 'Fatima', 'Yusuf',
          'Amara', 'Chidi', 'Ngozi', 'Kwame', 'Mei', 'Wei', 'Hana', 'Yuki',
          'Haruto', 'Min-jun', 'Ji-woo', 'Priya', 'Arjun', 'Ananya', 'Rohan', 'Mila',
          'Luca', 'Elena', 'Nikolai', 'Freya', 'Oskar', 'Leilani', 'Kai', 'Zara'] as first_names,
    array['Smith', 'Johnson', 'Williams', 'Brown', 'Garcia', 'Rodriguez', 'Martinez', 'Hernandez',
          'Lopez', 'Gonzalez', 'Nguyen', 'Tran', 'Kim', 'Park', 'Lee', 'Chen',
          'Wang', 'Liu', 'Okafor', 'Okada', 'Adeyemi', 'Mensah', 'Patel', 'Shah',
          'Singh', 'Kumar', 'Khan', 'Haddad', 'Cohen', 'Levi', 'Miller', 'Schmidt',
          'Novak', 'Kowalski', 'Rossi', 'Silva', 'Santos', 'O''Brien', 'Yamamoto', 'Begay'] as last_names,
    array['Pediatric cardiology', 'Pediatric neurology', 'Pediatric oncology', 'Pediatric gastroenterology',
          'Pediatric nephrology', 'Pediatric pulmonology', 'Pediatric endocrinology', 'Pediatric rheumatology'] as specialties,
    array['Congenital heart defect; surgical repair recommended',
          'Seizures continuing despite two medications',
          'Newly diagnosed leukemia; review of the treatment plan',
          'Chronic abdominal pain and poor weight gain',
          'Declining kidney function; dialysis discussed',
          'Severe asthma with repeated hospital stays',
          'Type 1 diabetes with hard-to-control glucose',
          'Juvenile arthritis not responding to treatment',
          'Suspected Crohn''s disease',
          'Unexpected finding on a brain MRI',
          'Heart murmur with an abnormal echocardiogram',
          'Solid tumor; surgery or chemotherapy first?'] as diagnoses,
    array['Medication started, little improvement so far',
          'Surgery proposed by the treating team',
          'Watchful waiting proposed',
          'Second-line therapy proposed',
          'Further testing ordered',
          'Referral to a specialist center suggested'] as treatments,
    array['Dr. Rivera', 'Dr. Thompson', 'Dr. Nakamura', 'Dr. Osei', 'Dr. Fischer', 'Dr. Alvarez',
          'Dr. Gupta', 'Dr. Kowalczyk'] as physicians,
    array['Lakeside Children''s Hospital', 'St. Mary''s Medical Center', 'Valley Pediatrics',
          'Northside Imaging Center', 'University Hospital Pathology', 'Riverbend Family Clinic',
          'Mercy Regional Medical Center', 'Sunrise Pediatric Cardiology', 'Harbor View Laboratory',
          'Clínica San Rafael', 'Pine Ridge Community Hospital', 'Metro Neurology Associates'] as facilities,
    array['Clinic notes and referral letters', 'MRI brain with and without contrast (images and report)',
          'Echocardiogram reports', 'Pathology slides and report', 'Hospital discharge summaries',
          'Lab results from the last 12 months', 'Operative report', 'EEG report',
          'CT abdomen images and report', 'Medication history', 'Growth charts',
          'Genetic testing report'] as record_kinds,
    array['Is the diagnosis correct?',
          'Is the recommended surgery the right choice now, or can it wait?',
          'Are there other treatment options we should consider?',
          'What are the risks of the proposed treatment?',
          'Would a clinical trial be an option for our child?',
          'How will this affect growth and development?',
          'What follow-up tests are needed, and how often?',
          'Is the medication dose right for her age and weight?',
          'Which signs should make us go to the emergency room?',
          'Can the treatment be given closer to home?',
          'What is the long-term outlook?',
          'Would a different imaging study help?'] as questions,
    array['The facility has closed; records were destroyed under its retention policy.',
          'No response after three requests.',
          'Records predate the electronic system and could not be located.'] as unavailable_reasons;

-- Staff, once: 20 coordinators, 5 clinicians, 30 specialists. Deterministic
-- names, so a second run finds them by email and leaves them alone.
insert into users (email, full_name, role, password_hash, email_verified_at)
select format('load-%s-%s@load.test', s.role, lpad(k::text, 2, '0')),
       case when s.role = 'coordinator' then '' else 'Dr. ' end
           || l.first_names[1 + (k * 7 + s.shift) % 40] || ' ' || l.last_names[1 + (k * 11 + s.shift) % 40],
       s.role::user_role,
       '!unusable-load',
       now()
from (values ('coordinator', 20, 0), ('clinician', 5, 3), ('specialist', 30, 5)) as s (role, n, shift)
cross join lateral generate_series(1, s.n) as k
cross join load_lists l
on conflict (email) do nothing;

-- Specialists spread round-robin over the eight specialties.
insert into specialists (user_id, specialty)
select u.id, l.specialties[1 + (substring(u.email from 'load-specialist-([0-9]+)@')::int - 1) % 8]
from users u
cross join load_lists l
where u.email like 'load-specialist-%@load.test' and u.role = 'specialist'
on conflict (user_id) do nothing;

-- Who cases get assigned to: the load staff, plus the demo accounts when
-- seed-demo ran first, so signing in as coordinator@demo.test shows a
-- realistic share of "my cases" too.
create temp table load_pool with (toast_tuple_target = 8160) on commit drop as
select
    (select array_agg(id order by email) from users
     where role = 'coordinator' and disabled_at is null
       and (email like 'load-coordinator-%@load.test' or email = 'coordinator@demo.test')) as coordinators,
    (select array_agg(id order by email) from users
     where role = 'clinician' and disabled_at is null
       and (email like 'load-clinician-%@load.test' or email = 'clinician@demo.test')) as clinicians,
    (select array_agg(u.id order by u.email) from users u join specialists s on s.user_id = u.id
     where u.role = 'specialist' and u.disabled_at is null
       and (u.email like 'load-specialist-%@load.test' or u.email = 'specialist@demo.test')) as specialists;

-- Families: one parent account each. Random draws are plain select-list
-- columns so they are drawn once per row.
create temp table load_family on commit drop as
select f as fn,
       gen_random_uuid() as id,
       format('load-family-%s-%s@load.test', p.tag, lpad(f::text, 7, '0')) as email,
       l.first_names[1 + floor(random() * 40)::int] as first_name,
       l.last_names[1 + floor(random() * 40)::int] as last_name,
       random() < 0.3 as two_children
from load_params p
cross join load_lists l
cross join generate_series(1, p.n_families) as f;

-- Children: one or two per family, numbered 1..C so cases can pick them by number.
create temp table load_child on commit drop as
select row_number() over (order by f.fn, k) as cn,
       gen_random_uuid() as id,
       f.id as family_id,
       f.email,
       l.first_names[1 + floor(random() * 40)::int] as first_name,
       -- Most children carry the family's name; some another parent's.
       case when random() < 0.85 then f.last_name else l.last_names[1 + floor(random() * 40)::int] end as last_name,
       case when r.sex < 0.48 then 'female' when r.sex < 0.96 then 'male'
            when r.sex < 0.97 then 'intersex' else 'not_stated' end as sex,
       random() as r_dob
from load_family f
cross join load_lists l
cross join lateral generate_series(1, case when f.two_children then 2 else 1 end) as k
-- One draw for the three-way sex split; mentioning k makes it a draw per child.
cross join lateral (select random() + 0 * k as sex) as r;
create unique index on load_child (cn);

-- The cases. Each row draws its state, then its stage durations; timestamps are
-- laid out backwards from an anchor (now minus the time spent in the current
-- state, or for closed/cancelled cases any time in the last ~22 months), so
-- every milestone is in the past, in order, and created_at spans two years.
-- The CTEs are `materialized` on purpose: inlined, each reference to a column
-- such as created_at would re-evaluate its whole expression (PostgreSQL does
-- not share common subexpressions), several times over per row.
create temp table load_case on commit drop as
with draw as materialized (
    select i,
           random() as r_status, random() as r_cancel, random() as r_child, random() as r_dwell,
           random() as r1, random() as r2, random() as r3, random() as r4, random() as r5, random() as r6,
           random() as r_coord, random() as r_clin, random() as r_spec, random() as r_req, random() as r_req_use,
           random() as r_text
    from generate_series(1, (select n_cases from load_params)) as i
),
staged as (
    select d.*,
           -- 3% draft, 5% submitted, 12% collecting_records, 4% ready_for_review,
           -- 6% in_review, 5% opinion_delivered, 60% closed, 5% cancelled.
           case when r_status < 0.03 then 'draft'
                when r_status < 0.08 then 'submitted'
                when r_status < 0.20 then 'collecting_records'
                when r_status < 0.24 then 'ready_for_review'
                when r_status < 0.30 then 'in_review'
                when r_status < 0.35 then 'opinion_delivered'
                when r_status < 0.95 then 'closed'
                else 'cancelled' end::case_status as status
    from draw d
),
leveled as materialized (
    select s.*,
           -- How far along the path draft(0) … closed(6) the case got; a
           -- cancelled case was cancelled from draft, submitted, collecting or ready.
           case s.status
               when 'draft' then 0 when 'submitted' then 1 when 'collecting_records' then 2
               when 'ready_for_review' then 3 when 'in_review' then 4 when 'opinion_delivered' then 5
               when 'closed' then 6
               else case when r_cancel < 0.40 then 0 when r_cancel < 0.65 then 1
                         when r_cancel < 0.90 then 2 else 3 end
           end as lvl,
           -- Time spent in each stage, mostly within the service levels, sometimes not.
           interval '30 minutes' + r1 * interval '3 days' as d1,   -- draft → submitted
           interval '1 hour' + r2 * interval '30 hours' as d2,     -- submitted → collecting (SLA 1 day)
           interval '2 days' + r3 * interval '16 days' as d3,      -- collecting → ready (SLA 14 days)
           interval '1 hour' + r4 * interval '30 hours' as d4,     -- ready → in review (SLA 1 day)
           interval '2 days' + r5 * interval '8 days' as d5,       -- in review → opinion (SLA 9 days)
           interval '1 day' + r6 * interval '13 days' as d6,       -- opinion → closed
           -- Time since the current state began (for terminal states: since it ended).
           -- The ranges straddle each deadline, so about a fifth of active cases is overdue.
           case s.status
               when 'draft' then r_dwell * interval '45 days'
               when 'submitted' then r_dwell * interval '30 hours'          -- ~20% past the 1-day deadline
               when 'collecting_records' then r_dwell * interval '17.5 days' -- ~20% past 14 days
               when 'ready_for_review' then r_dwell * interval '30 hours'   -- ~20% past 1 day
               when 'in_review' then r_dwell * interval '10.5 days'        -- ~20% past ready + 9 days
               when 'opinion_delivered' then r_dwell * interval '14 days'
               else interval '1 hour' + r_dwell * interval '670 days'
           end as dwell
    from staged s
),
timed as materialized (
    select v.*,
           now() - v.dwell
               - case when v.status = 'cancelled' then interval '1 hour' + v.r6 * interval '10 days' else interval '0' end
               - case when v.lvl >= 1 then v.d1 else interval '0' end
               - case when v.lvl >= 2 then v.d2 else interval '0' end
               - case when v.lvl >= 3 then v.d3 else interval '0' end
               - case when v.lvl >= 4 then v.d4 else interval '0' end
               - case when v.lvl >= 5 then v.d5 else interval '0' end
               - case when v.lvl >= 6 then v.d6 else interval '0' end as created_at
    from leveled v
),
milestones as materialized (
    select t.*,
           case when lvl >= 1 then created_at + d1 end as submitted_at,
           case when lvl >= 2 then created_at + d1 + d2 end as collecting_records_at,
           case when lvl >= 3 then created_at + d1 + d2 + d3 end as ready_for_review_at,
           case when lvl >= 4 then created_at + d1 + d2 + d3 + d4 end as in_review_at,
           case when lvl >= 5 then created_at + d1 + d2 + d3 + d4 + d5 end as opinion_delivered_at,
           case when lvl >= 6 then created_at + d1 + d2 + d3 + d4 + d5 + d6 end as closed_at,
           case when status = 'cancelled' then now() - dwell end as cancelled_at
    from timed t
)
select gen_random_uuid() as id,
       m.i, m.status, m.lvl, m.r_text,
       ch.id as child_id, ch.family_id, ch.email as contact_email,
       m.created_at, m.submitted_at, m.collecting_records_at, m.ready_for_review_at,
       m.in_review_at, m.opinion_delivered_at, m.closed_at, m.cancelled_at,
       -- Consent is given on the review page just before submitting.
       m.submitted_at - interval '2 minutes' as consented_at,
       coalesce(m.cancelled_at, m.closed_at, m.opinion_delivered_at, m.in_review_at,
                m.ready_for_review_at, m.collecting_records_at, m.submitted_at, m.created_at) as updated_at,
       -- One version bump per status change.
       m.lvl + 1 + (m.status = 'cancelled')::int as version,
       case when m.lvl >= 2 then p.coordinators[1 + floor(m.r_coord * cardinality(p.coordinators))::int] end as coordinator_id,
       case when m.lvl >= 4 then p.clinicians[1 + floor(m.r_clin * cardinality(p.clinicians))::int] end as clinician_id,
       req.requested_specialist_id,
       -- The specialist chosen at in_review: usually the one the family asked for.
       case when m.lvl >= 4 then
           case when req.requested_specialist_id is not null and m.r_req_use < 0.7 then req.requested_specialist_id
                else p.specialists[1 + floor(m.r_spec * cardinality(p.specialists))::int] end
       end as specialist_id,
       -- The next deadline of the current state; none for draft and the end states.
       -- Calendar-day stand-ins for cases/schedule.rs, which owns the real
       -- (business-day) deadlines: generated data only needs plausible sort keys.
       case m.status
           when 'submitted' then m.submitted_at + interval '1 day'
           when 'collecting_records' then m.collecting_records_at + interval '14 days'
           when 'ready_for_review' then m.ready_for_review_at + interval '1 day'
           when 'in_review' then m.ready_for_review_at + interval '9 days'  -- about 7 business days
       end as due_at
from milestones m
join load_child ch
    on ch.cn = case when m.i <= (select max(cn) from load_child) then m.i
                    else 1 + floor(m.r_child * (select max(cn) from load_child))::bigint end
cross join load_pool p
cross join lateral (
    -- About 30% of families ask for a particular specialist.
    select case when m.r_req < 0.3 then p.specialists[1 + floor(m.r_req * 10 / 3 * cardinality(p.specialists))::int] end
               as requested_specialist_id
) as req
-- Stored in id order, so every insert below that reads this table in order
-- adds to the indexes on case_id (and the cases primary key) page after page
-- instead of all over them: far fewer buffer misses.
order by 1;

-- When each child and family first appears: just before their first case.
create temp table load_child_first on commit drop as
select child_id, min(created_at) as first_at from load_case group by child_id;

insert into users (id, email, full_name, role, password_hash, email_verified_at, created_at, updated_at)
select f.id, f.email, f.first_name || ' ' || f.last_name, 'family', '!unusable-load',
       coalesce(ff.first_at, now()) - interval '20 minutes',
       coalesce(ff.first_at, now()) - interval '30 minutes',
       coalesce(ff.first_at, now()) - interval '20 minutes'
from load_family f
left join (select c.family_id, min(cf.first_at) as first_at
           from load_child_first cf join load_child c on c.id = cf.child_id
           group by c.family_id) as ff on ff.family_id = f.id;

-- Children as stored, planned first: the cases copy their initials, date of
-- birth and search key (migration 0013's triggers do that in the app, and are
-- skipped here).
create temp table load_child_row on commit drop as
select c.id, c.family_id, c.first_name, c.last_name,
       -- Born up to 16 years before the first case: all within the last 18 years.
       (coalesce(cf.first_at, now()) at time zone 'America/Los_Angeles')::date - (1 + floor(c.r_dob * 16 * 365))::int
           as date_of_birth,
       c.sex,
       coalesce(cf.first_at, now()) - interval '10 minutes' as created_at
from load_child c
left join load_child_first cf on cf.child_id = c.id;
create unique index on load_child_row (id);

insert into children (id, family_id, first_name, last_name, date_of_birth, sex, created_at, updated_at)
select id, family_id, first_name, last_name, date_of_birth, sex::child_sex, created_at, created_at
from load_child_row;

-- 1 to 4 record sources per case, added by the family with the draft. Their
-- state follows the case's: nothing requested before collecting; a mix while
-- collecting (or when cancelled then); all digitized or unavailable once the
-- records were complete (ready_for_review and after).
create temp table load_source on commit drop as
select c.id as case_id,
       l.facilities[1 + (floor(c.r_text * 7919)::int + r.k * 5) % 12] as facility,
       case when r.rnd < 0.5 then 'Medical records department' else '' end as contact_name,
       l.record_kinds[1 + (floor(c.r_text * 7919)::int + r.k * 7) % 12] as records_description,
       extract(year from c.created_at - r.rnd * interval '3 years')::int::text
           || '–' || extract(year from c.created_at)::int::text as date_range,
       case when r.rnd2 < 0.03 then 'Spanish' else 'English' end as language,
       st.status,
       -- Requested, received and digitized in order inside the collecting window.
       case when st.status <> 'not_requested'
            then w.start_at + r.rnd * 0.3 * (w.end_at - w.start_at) end as requested_at,
       case when st.status in ('received', 'digitized')
            then w.start_at + (0.3 + r.rnd * 0.3) * (w.end_at - w.start_at) end as received_at,
       case when st.status = 'digitized'
            then w.start_at + (0.6 + r.rnd * 0.4) * (w.end_at - w.start_at) end as digitized_at,
       case when st.status = 'unavailable'
            then l.unavailable_reasons[1 + floor(r.rnd * 3)::int] end as unavailable_reason,
       c.family_id as added_by,
       c.created_at + r.k * interval '2 minutes' as created_at
from load_case c
cross join load_lists l
cross join lateral generate_series(1, 1 + floor(c.r_text * 3989)::int % 4) as g (k)
cross join lateral (select g.k, random() as rnd, random() as rnd2) as r
-- The window in which records were gathered.
cross join lateral (
    select c.collecting_records_at as start_at,
           coalesce(c.ready_for_review_at, c.cancelled_at, now()) as end_at
) as w
cross join lateral (
    select case
               when c.lvl <= 1 then 'not_requested'
               when c.lvl >= 3 then case when r.rnd2 < 0.92 then 'digitized' else 'unavailable' end
               when r.rnd2 < 0.40 then 'requested'
               when r.rnd2 < 0.65 then 'received'
               else 'digitized'
           end::record_status as status
) as st;
create temp table load_source_count on commit drop as
select case_id, count(*) as total,
       count(*) filter (where status in ('received', 'digitized', 'unavailable')) as received,
       bool_or(language <> 'English' and status not in ('digitized', 'unavailable')) as translation_pending
from load_source group by case_id;
create unique index on load_source_count (case_id);

-- case_number comes from the same sequence and has the same shape as the
-- column default, but is padded with to_char instead of lpad: lpad(…, 6, '0')
-- cuts 1000000 down to '100000', so the default collides with an older case
-- once the sequence passes 999,999 (a million-case load always gets there).
insert into cases (id, case_number, family_id, child_id, status, contact_email, contact_phone, diagnosis_summary,
                   treatment_summary, treating_physician, treating_clinic, requested_specialist_id,
                   consented_at, submitted_at, collecting_records_at, ready_for_review_at, in_review_at,
                   opinion_delivered_at, closed_at, cancelled_at, version, created_at, updated_at,
                   coordinator_id, clinician_id, specialist_id, due_at,
                   child_initials, child_date_of_birth, child_search, records_total, records_in,
                   case_seq, call_pending, translation_pending)
select c.id,
       'SO-' || to_char(now() at time zone 'America/Los_Angeles', 'YYYY') || '-'
           || to_char(c.seq, 'FM999999000000'),
       c.family_id, c.child_id, c.status, c.contact_email,
       '(555) 01' || lpad((c.i % 100)::text, 2, '0') || '-' || lpad((c.i % 10000)::text, 4, '0'),
       l.diagnoses[1 + floor(c.r_text * 12)::int],
       l.treatments[1 + floor(c.r_text * 1000)::int % 6],
       l.physicians[1 + floor(c.r_text * 10000)::int % 8],
       l.facilities[1 + floor(c.r_text * 100000)::int % 12],
       c.requested_specialist_id,
       c.consented_at, c.submitted_at, c.collecting_records_at, c.ready_for_review_at, c.in_review_at,
       c.opinion_delivered_at, c.closed_at, c.cancelled_at, c.version, c.created_at, c.updated_at,
       c.coordinator_id, c.clinician_id, c.specialist_id, c.due_at,
       child_initials(ch.first_name, ch.last_name), ch.date_of_birth, child_search(ch.first_name, ch.last_name),
       coalesce(rc.total, 0), coalesce(rc.received, 0),
       -- The queue's flags (migration 0015's triggers keep them in the app):
       -- generated cases have no calls, and sources in another language stay
       -- pending until digitized.
       c.seq, c.status = 'opinion_delivered', coalesce(rc.translation_pending, false)
from (select *, nextval('case_number_seq') as seq from load_case) c
join load_child_row ch on ch.id = c.child_id
left join load_source_count rc on rc.case_id = c.id
cross join load_lists l;

-- 1 to 5 questions per case, written with the draft; consecutive picks from
-- the list so one case never asks the same thing twice.
insert into case_questions (case_id, position, body, created_at, updated_at)
select c.id, q.pos, l.questions[1 + (floor(c.r_text * 997)::int + q.pos) % 12],
       c.created_at + q.pos * interval '1 minute', c.created_at + q.pos * interval '1 minute'
from load_case c
cross join load_lists l
cross join lateral generate_series(1, 1 + floor(c.r_text * 4999)::int % 5) as q (pos);

-- The record sources, planned above (their counts went on the cases).
insert into record_sources (case_id, facility, contact_name, records_description, date_range, language,
                            status, requested_at, received_at, digitized_at, unavailable_reason,
                            added_by, created_at, updated_at)
select s.case_id, s.facility, s.contact_name, s.records_description, s.date_range, s.language,
       s.status, s.requested_at, s.received_at, s.digitized_at, s.unavailable_reason,
       s.added_by, s.created_at, greatest(s.created_at, s.requested_at, s.received_at, s.digitized_at)
from load_source s;

-- The timeline: one event per state the case went through, from its milestone
-- timestamps. The VALUES rows come out in order for each case, so event ids
-- rise along each case's timeline (the app orders the timeline by id).
insert into case_events (case_id, at, actor_user_id, from_status, to_status, note)
select c.id, e.at, e.actor, e.from_status, e.to_status, null
from load_case c
cross join lateral (values
    (1, c.created_at, c.family_id, null::case_status, 'draft'::case_status),
    (2, c.submitted_at, c.family_id, 'draft', 'submitted'),
    (3, c.collecting_records_at, c.coordinator_id, 'submitted', 'collecting_records'),
    (4, c.ready_for_review_at, c.coordinator_id, 'collecting_records', 'ready_for_review'),
    (5, c.in_review_at, c.coordinator_id, 'ready_for_review', 'in_review'),
    (6, c.opinion_delivered_at, c.specialist_id, 'in_review', 'opinion_delivered'),
    (7, c.closed_at, c.clinician_id, 'opinion_delivered', 'closed'),
    (8, c.cancelled_at, coalesce(c.coordinator_id, c.family_id),
        (array['draft', 'submitted', 'collecting_records', 'ready_for_review']::case_status[])[c.lvl + 1],
        'cancelled')
) as e (k, at, actor, from_status, to_status)
where e.at is not null;

-- The case fee, paid at submission: succeeded, or refunded when the case was
-- cancelled after payment. Drafts (and cases cancelled as drafts) never paid.
insert into payments (case_id, purpose, amount_cents, provider, provider_payment_id, attempt, status, fulfilled,
                      succeeded_at, receipt_number, created_at, updated_at)
select c.id, 'case_fee', 90000, 'test_gateway', 'load_' || c.id, 1,
       case when c.status = 'cancelled' then 'refunded' else 'succeeded' end::payment_status,
       true,
       c.submitted_at - interval '1 minute',
       nextval('receipt_number_seq'),
       c.consented_at,
       coalesce(c.cancelled_at, c.submitted_at - interval '1 minute')
from load_case c
where c.submitted_at is not null;
insert into refunds (payment_id, amount_cents, reason, status, provider_refund_id, attempts, requested_at, completed_at)
select p.id, p.amount_cents, 'case_cancelled', 'succeeded', 'load_refund_' || p.case_id, 1, c.cancelled_at, c.cancelled_at
from payments p join load_case c on c.id = p.case_id
where p.status = 'refunded';

-- Each specialist's cases in review (migration 0022's trigger keeps it in the app).
update specialists s
set in_review = (select count(*) from cases c where c.specialist_id = s.user_id and c.status = 'in_review');

-- Where cases wait, per state and hour (migration 0048's trigger keeps it in
-- the app); counted again over every case, as earlier runs' cases are there too.
delete from cases_waiting_hours;
insert into cases_waiting_hours (status, entered_hour, cases)
select status, date_trunc('hour', case_entered_state(c), 'UTC'), count(*)
from cases c where case_entered_state(c) is not null
group by 1, 2;

-- Changes of state per hour (migration 0051's trigger keeps it in the app),
-- counted again over every event for the same reason.
delete from case_event_hours;
insert into case_event_hours (hour, from_status, to_status, events)
select date_trunc('hour', at, 'UTC'), from_status, to_status, count(*)
from case_events
group by 1, 2, 3;

commit;
-- Already back to 'origin' (set local ended with the transaction); said
-- again so no later statement on this connection can run in replica mode.
reset session_replication_role;

-- Fresh statistics, so the planner sees a million cases rather than a handful
-- and picks the queue indexes. (VACUUM can't run in a multi-statement script;
-- the benchmark runs `vacuum (analyze)` separately to set the visibility map.)
analyze users;
analyze specialists;
analyze children;
analyze cases;
analyze case_questions;
analyze record_sources;
analyze case_events;
analyze payments;
analyze refunds;
