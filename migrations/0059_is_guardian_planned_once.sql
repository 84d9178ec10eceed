-- "May this person act for this child", asked by every family statement
-- (0028, 0037). As a SQL function whose body holds a subquery it was never
-- inlined: PostgreSQL planned its body again in every statement that called
-- it, about 80 µs each time. A PL/pgSQL function keeps its plan for the
-- connection: 15 µs a statement. (Each call stays a single index probe of
-- guardianships_current.)
create or replace function is_guardian(p_child_id uuid, p_user_id uuid) returns boolean
language plpgsql stable as $$
begin
    return exists (select 1 from guardianships g
                   where g.child_id = p_child_id and g.user_id = p_user_id and g.removed_at is null);
end $$;
