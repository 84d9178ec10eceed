-- The specialist's written opinion, and what follows it: clarifying
-- follow-up questions, the clinician's call, referral help.

create type opinion_outcome as enum ('agrees', 'agrees_diagnosis_different_treatment', 'different_diagnosis');

create table opinions (
    id uuid primary key default gen_random_uuid(),
    case_id uuid not null references cases (id),
    specialist_id uuid not null references users (id),
    outcome opinion_outcome,
    summary text not null default '',
    recommendations text not null default '',
    pcp_notes text not null default '',
    signed_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint opinions_case_key unique (case_id),
    constraint opinions_text_lengths check (char_length(summary) <= 20000 and char_length(recommendations) <= 20000 and char_length(pcp_notes) <= 10000),
    constraint opinions_signed_complete check (signed_at is null or (outcome is not null and char_length(btrim(summary)) > 0))
);
select trigger_updated_at('opinions');

create table opinion_answers (
    opinion_id uuid not null references opinions (id),
    question_id uuid not null references case_questions (id),
    body text not null,
    primary key (opinion_id, question_id),
    constraint opinion_answers_body_length check (char_length(body) <= 20000)
);

-- Once signed, an opinion is a record: the database refuses to change it.
create or replace function opinions_signed_immutable() returns trigger
language plpgsql as $$
declare
    signed timestamptz;
begin
    if tg_table_name = 'opinions' then
        signed := old.signed_at;
    else
        select o.signed_at into signed from opinions o where o.id = coalesce(old.opinion_id, new.opinion_id);
    end if;
    if signed is not null then
        raise exception 'a signed opinion cannot be changed'
            using errcode = 'check_violation', constraint = 'opinions_signed_immutable';
    end if;
    return coalesce(new, old);
end;
$$;
create trigger opinions_signed_immutable before update or delete on opinions
    for each row execute function opinions_signed_immutable();
create trigger opinion_answers_signed_immutable before insert or update or delete on opinion_answers
    for each row execute function opinions_signed_immutable();

-- At most 3 clarifying questions per case, each about one original question.
create table follow_up_questions (
    id uuid primary key default gen_random_uuid(),
    case_id uuid not null references cases (id),
    position smallint not null,
    question_id uuid not null references case_questions (id),
    body text not null,
    asked_at timestamptz not null,
    answer text,
    answered_by uuid references users (id),
    answered_at timestamptz,
    escalated_at timestamptz,
    constraint follow_up_questions_max_three check (position between 1 and 3),
    constraint follow_up_questions_position_key unique (case_id, position),
    constraint follow_up_questions_body_length check (char_length(btrim(body)) between 1 and 2000),
    constraint follow_up_questions_answer_length check (answer is null or char_length(btrim(answer)) between 1 and 10000)
);
create index follow_up_questions_case on follow_up_questions (case_id, position);

-- Help arranging a visit with the expert, or a referral.
create table referral_requests (
    id uuid primary key default gen_random_uuid(),
    case_id uuid not null references cases (id),
    note text not null default '',
    status text not null default 'requested',
    decided_by uuid references users (id),
    decided_at timestamptz,
    created_at timestamptz not null default now(),
    constraint referral_requests_status_known check (status in ('requested', 'visit_arranged', 'referral_sent', 'not_needed')),
    constraint referral_requests_note_length check (char_length(note) <= 2000)
);
create index referral_requests_case on referral_requests (case_id);
