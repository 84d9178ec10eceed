-- The queue reads one table. Each queue row used to join the child (initials,
-- age, name search) and count the case's record sources; at a million cases
-- those joins were most of the page's database time, and a name search had to
-- visit the child of every case it skipped. These columns copy what the queue
-- needs onto the case, and triggers keep them true, so no code path (or
-- person with psql) can let them drift.

alter table cases
    -- As the queue shows them, e.g. 'M.O.'.
    add column child_initials text not null default '',
    add column child_date_of_birth date,
    -- The child's name case-folded (search_fold), each word preceded by a space
    -- (' mila okafor'): the queue's name search looks for ' ' || what was
    -- typed, which matches the start of any word.
    add column child_search text not null default '',
    -- Checklist progress: sources listed, and those received, digitized or unavailable.
    add column records_total integer not null default 0,
    add column records_in integer not null default 0;

create or replace function child_initials(first_name text, last_name text) returns text
language sql immutable as $$ select left(first_name, 1) || '.' || left(last_name, 1) || '.' $$;

-- Case folding for the name search, the same for the stored name and for
-- what was typed, whatever the database's locale: ICU's root locale lowers
-- every script ('ÉLODIE' → 'élodie'), where a C-locale database's lower()
-- changes ASCII letters only. A build without ICU uses its own lower().
do $$
begin
    if exists (select 1 from pg_collation where collname = 'und-x-icu') then
        create function search_fold(t text) returns text
        language sql immutable as $f$ select lower(t collate "und-x-icu") $f$;
    else
        create function search_fold(t text) returns text
        language sql immutable as $f$ select lower(t) $f$;
    end if;
end;
$$;

create or replace function child_search(first_name text, last_name text) returns text
language sql immutable as $$ select ' ' || search_fold(first_name || ' ' || last_name) $$;

-- A new case (or one moved to another child) takes the child's values.
create or replace function cases_copy_child() returns trigger
language plpgsql as $$
begin
    -- `for share`: a rename waits for this case to commit, and then its own
    -- update of the child's cases sees it; or this waits for the rename and
    -- reads the new name.
    select child_initials(ch.first_name, ch.last_name), ch.date_of_birth, child_search(ch.first_name, ch.last_name)
    into new.child_initials, new.child_date_of_birth, new.child_search
    from children ch
    where ch.id = new.child_id
    for share;
    return new;
end;
$$;
create trigger cases_copy_child before insert or update of child_id on cases
    for each row execute function cases_copy_child();

-- A corrected name or date of birth reaches every case of the child.
create or replace function children_copy_to_cases() returns trigger
language plpgsql as $$
begin
    update cases
    set child_initials = child_initials(new.first_name, new.last_name),
        child_date_of_birth = new.date_of_birth,
        child_search = child_search(new.first_name, new.last_name)
    where child_id = new.id;
    return null;
end;
$$;
create trigger children_copy_to_cases after update of first_name, last_name, date_of_birth on children
    for each row
    when ((old.first_name, old.last_name, old.date_of_birth) is distinct from (new.first_name, new.last_name, new.date_of_birth))
    execute function children_copy_to_cases();

-- Changing a source now also updates its case, so the freeze check takes the
-- case's row lock for that update at the start. Taken later, after the share
-- lock case_is_frozen() holds, two changes to one case at once would each
-- wait for the other's share lock: a deadlock.
create or replace function record_sources_not_frozen() returns trigger
language plpgsql as $$
begin
    perform 1 from cases where id = coalesce(new.case_id, old.case_id) for no key update;
    if case_is_frozen(coalesce(new.case_id, old.case_id)) then
        raise exception 'records of case % are frozen', coalesce(new.case_id, old.case_id)
            using errcode = 'check_violation', constraint = 'record_sources_frozen';
    end if;
    return coalesce(new, old);
end;
$$;

-- Recounted rather than incremented: a case has at most a few dozen sources,
-- and a recount can't drift. The case has been locked since the freeze check,
-- and under READ COMMITTED each statement of a function takes a new snapshot,
-- so the recount sees every other change to the case's sources: two sources
-- added at once both count.
create or replace function record_sources_count() returns trigger
language plpgsql as $$
declare
    target uuid := coalesce(new.case_id, old.case_id);
begin
    update cases
    set (records_total, records_in) = (
        select count(*), count(*) filter (where r.status in ('received', 'digitized', 'unavailable'))
        from record_sources r where r.case_id = target)
    where id = target;
    return null;
end;
$$;
create trigger record_sources_count after insert or delete or update of status on record_sources
    for each row execute function record_sources_count();

-- The copies for the cases already there. updated_at stays as it was: nothing
-- about these cases changed.
alter table cases disable trigger set_updated_at;
update cases c
set child_initials = child_initials(ch.first_name, ch.last_name),
    child_date_of_birth = ch.date_of_birth,
    child_search = child_search(ch.first_name, ch.last_name)
from children ch
where ch.id = c.child_id;
update cases c
set records_total = r.total, records_in = r.received
from (select case_id, count(*) as total,
             count(*) filter (where status in ('received', 'digitized', 'unavailable')) as received
      from record_sources group by case_id) as r
where r.case_id = c.id;
alter table cases enable trigger set_updated_at;
alter table cases alter column child_date_of_birth set not null;

-- Name searches read only the index: each queue index carries the search key
-- (and due_at, which an index-only scan needs to compute the sort key), so
-- the cases a search skips cost an index entry each, not a table row.
drop index cases_queue;
drop index cases_queue_by_status;
drop index cases_queue_by_coordinator;
create index cases_queue on cases ((coalesce(due_at, 'infinity')), created_at, id) include (due_at, child_search)
    where status in ('submitted', 'collecting_records', 'ready_for_review', 'in_review', 'opinion_delivered');
create index cases_queue_by_status on cases (status, (coalesce(due_at, 'infinity')), created_at, id)
    include (due_at, child_search)
    where status in ('submitted', 'collecting_records', 'ready_for_review', 'in_review', 'opinion_delivered');
create index cases_queue_by_coordinator on cases (coordinator_id, (coalesce(due_at, 'infinity')), created_at, id)
    include (due_at, child_search)
    where status in ('submitted', 'collecting_records', 'ready_for_review', 'in_review', 'opinion_delivered');
-- The search no longer reads children.
drop index children_first_name_prefix;
drop index children_last_name_prefix;
