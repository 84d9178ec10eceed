-- Shared helpers every later migration uses.
-- Keywords are lowercase and every constraint is named: the application maps
-- constraint names to sentences for the person on the page.

-- Keeps updated_at honest without trusting every writer to remember it.
create or replace function set_updated_at() returns trigger
language plpgsql as $$
begin
    new.updated_at := now();
    return new;
end;
$$;

create or replace function trigger_updated_at(tablename regclass) returns void
language plpgsql as $$
begin
    execute format(
        'create trigger set_updated_at before update on %s
         for each row when (old is distinct from new) execute function set_updated_at()',
        tablename);
end;
$$;
