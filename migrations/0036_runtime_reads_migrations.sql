-- `/readyz` tells a load balancer whether this binary's migrations are all
-- applied, and the app serves as the runtime role (0024), which was given no
-- access to sqlx's own table: it may read which migrations ran, never change
-- them. (sqlx creates the table before the first migration; a schema loaded
-- some other way may not have it.)
do $$
begin
    if to_regclass('public._sqlx_migrations') is not null then
        grant select on public._sqlx_migrations to second_opinion_runtime;
    end if;
end;
$$;
