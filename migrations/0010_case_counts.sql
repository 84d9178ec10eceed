-- Cases per state, kept by a trigger: the queue shows these counts on every
-- page, and counting hundreds of thousands of rows per request would not be fast.
create table case_status_counts (
    status case_status primary key,
    n bigint not null default 0
);
insert into case_status_counts (status, n)
select s, (select count(*) from cases where status = s) from unnest(enum_range(null::case_status)) as s;

create or replace function case_status_counts_track() returns trigger
language plpgsql as $$
begin
    if tg_op in ('UPDATE', 'DELETE') then
        update case_status_counts set n = n - 1 where status = old.status;
    end if;
    if tg_op in ('INSERT', 'UPDATE') then
        update case_status_counts set n = n + 1 where status = new.status;
    end if;
    return null;
end;
$$;
create trigger case_status_counts_insert_delete after insert or delete on cases
    for each row execute function case_status_counts_track();
create trigger case_status_counts_update after update of status on cases
    for each row when (old.status is distinct from new.status) execute function case_status_counts_track();

-- For bulk loads that bypass triggers (seed-load): recount from scratch.
create or replace function case_status_counts_refresh() returns void
language sql as $$
    update case_status_counts k set n = (select count(*) from cases c where c.status = k.status)
$$;
