-- The child's name and date of birth are frozen once a case of theirs is
-- in review (issue 12): the specialist reviews, and signs an opinion about,
-- the child as named then. A mistake is corrected by a coordinator, with a
-- reason, and the database keeps what it was.

create table child_corrections (
    id bigint generated always as identity primary key,
    child_id uuid not null references children (id),
    -- The frozen case the correction was made from.
    case_id uuid not null references cases (id),
    corrected_by uuid not null references users (id),
    reason text not null,
    old_first_name text not null,
    old_last_name text not null,
    old_date_of_birth date not null,
    at timestamptz not null,
    -- The transaction that wrote it: the freeze below lets that transaction through.
    txid bigint not null default txid_current(),
    constraint child_corrections_reason_length check (char_length(btrim(reason)) between 1 and 1000)
);
create index child_corrections_child on child_corrections (child_id);

-- The case rows are locked the way a transition locks them, so a case moving
-- to in_review and an edit of its child take turns: the edit either lands
-- before review starts or is refused.
create or replace function children_frozen_in_review() returns trigger
language plpgsql as $$
begin
    if (new.first_name, new.last_name, new.date_of_birth)
           is distinct from (old.first_name, old.last_name, old.date_of_birth) then
        perform 1 from cases where child_id = new.id for no key update;
        if exists (select 1 from cases c where c.child_id = new.id
                   and c.status in ('in_review', 'opinion_delivered', 'closed'))
           and not exists (select 1 from child_corrections k
                           where k.child_id = new.id and k.txid = txid_current()) then
            raise exception 'the name and date of birth of child % are frozen', new.id
                using errcode = 'check_violation', constraint = 'children_frozen_in_review';
        end if;
    end if;
    return new;
end;
$$;
create trigger children_frozen_in_review before update on children
    for each row execute function children_frozen_in_review();
