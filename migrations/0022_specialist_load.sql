-- How many cases each specialist has in review, kept on the specialist by a
-- trigger on the cases they are sent or taken from, instead of counted for
-- every specialist on every view of a workspace. Recomputed from the cases
-- (not incremented), so it can't drift.
alter table specialists add column in_review integer not null default 0;

create or replace function specialists_refresh_load(target uuid) returns void
language sql as $$
    update specialists s
    set in_review = (select count(*) from cases c where c.specialist_id = target and c.status = 'in_review')
    where s.user_id = target
$$;

create or replace function cases_track_specialist_load() returns trigger
language plpgsql as $$
begin
    if tg_op = 'UPDATE' and old.specialist_id is not null
       and (old.specialist_id is distinct from new.specialist_id or old.status is distinct from new.status) then
        perform specialists_refresh_load(old.specialist_id);
    end if;
    if new.specialist_id is not null
       and (tg_op = 'INSERT' or old.specialist_id is distinct from new.specialist_id
            or old.status is distinct from new.status) then
        perform specialists_refresh_load(new.specialist_id);
    end if;
    return null;
end;
$$;
create trigger cases_specialist_load after insert or update of specialist_id, status on cases
    for each row execute function cases_track_specialist_load();

-- The counts for the cases already there.
update specialists s
set in_review = (select count(*) from cases c where c.specialist_id = s.user_id and c.status = 'in_review');
