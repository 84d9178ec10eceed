-- Who is a child's guardian, said once: `children_of(user)` is the set of
-- children the person is a current guardian of. Lists read it first (an
-- index on guardianships (user_id)); `is_guardian` for one child asks it too.
-- Both are plain SQL, so PostgreSQL inlines them into the calling query.
create function children_of(p_user_id uuid) returns setof uuid
language sql stable as $$
    select g.child_id from guardianships g where g.user_id = p_user_id and g.removed_at is null
$$;

create or replace function is_guardian(p_child_id uuid, p_user_id uuid) returns boolean
language sql stable as $$
    select exists (select 1 from children_of(p_user_id) c where c = p_child_id)
$$;
