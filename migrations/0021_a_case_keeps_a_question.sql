-- A case is paid for, submitted and sent for review with at least one
-- question (issue 12). Questions stay editable until review starts, so
-- without this a family could delete them all after paying, and the
-- specialist would get a case with nothing to answer.

-- From its first case-fee payment attempt on, a case can become submitted at
-- any moment (a webhook), so from then on it keeps at least one question.
create or replace function case_must_keep_a_question(p_case_id uuid) returns boolean
language sql stable as $$
    select c.status not in ('draft', 'cancelled')
        or exists (select 1 from payments p where p.case_id = c.id and p.purpose = 'case_fee')
    from cases c where c.id = p_case_id
$$;

-- Fires after case_questions_frozen (triggers fire by name), whose row lock
-- on the case makes two deletes of a case's last two questions take turns.
create or replace function case_questions_keep_one() returns trigger
language plpgsql as $$
begin
    if case_must_keep_a_question(old.case_id)
       and not exists (select 1 from case_questions q where q.case_id = old.case_id and q.id <> old.id) then
        raise exception 'case % must keep at least one question', old.case_id
            using errcode = 'check_violation', constraint = 'case_questions_keep_one';
    end if;
    return old;
end;
$$;
create trigger case_questions_keep_one before delete on case_questions
    for each row execute function case_questions_keep_one();

-- Submitted and sent for review only with a question (whatever wrote the
-- status). Named to fire after cases_status_transition: an undrawn move is
-- refused as that first.
create or replace function cases_need_a_question() returns trigger
language plpgsql as $$
begin
    if new.status is distinct from old.status and new.status in ('submitted', 'in_review')
       and not exists (select 1 from case_questions q where q.case_id = new.id) then
        raise exception 'case % has no question', new.id
            using errcode = 'check_violation', constraint = 'cases_need_a_question';
    end if;
    return new;
end;
$$;
create trigger cases_with_a_question before update of status on cases
    for each row execute function cases_need_a_question();

-- And no case fee is asked for a case without one. The case's row lock
-- comes first, as for the questions' own triggers, so a payment being opened
-- and the last question being deleted can't both pass.
create or replace function payments_need_a_question() returns trigger
language plpgsql as $$
begin
    if new.purpose = 'case_fee' then
        perform 1 from cases where id = new.case_id for no key update;
        if not exists (select 1 from case_questions q where q.case_id = new.case_id) then
            raise exception 'case % has no question to pay for', new.case_id
                using errcode = 'check_violation', constraint = 'cases_need_a_question';
        end if;
    end if;
    return new;
end;
$$;
create trigger payments_need_a_question before insert on payments
    for each row execute function payments_need_a_question();
