-- The family's side in English and Spanish (issue 14). A person's own
-- choice of language is kept on their account: the pages follow it on any
-- device, and the emails we send them are written in it. Null means never
-- chosen: pages follow the browser's Accept-Language, emails are English.
create type language as enum ('en', 'es');
alter table users add column language language;

-- Staff see the family's language where they plan their work (the queue,
-- the workspace, the clinician's call card: "Prefers Spanish"). The queue
-- reads one table, so the language of the guardian who opened the case (the
-- one the clinician calls) is copied onto the case and kept true by the
-- triggers below, like the child's initials (migration 0013).
alter table cases add column family_language language not null default 'en';

create or replace function cases_family_language_on_insert() returns trigger
language plpgsql as $$
begin
    select coalesce(u.language, 'en') into new.family_language from users u where u.id = new.family_id;
    return new;
end;
$$;
create trigger cases_family_language before insert on cases
    for each row execute function cases_family_language_on_insert();

create or replace function users_language_to_cases() returns trigger
language plpgsql as $$
begin
    update cases set family_language = coalesce(new.language, 'en')
    where family_id = new.id and family_language is distinct from coalesce(new.language, 'en');
    return null;
end;
$$;
create trigger users_language_to_cases after update of language on users
    for each row when (old.language is distinct from new.language)
    execute function users_language_to_cases();
