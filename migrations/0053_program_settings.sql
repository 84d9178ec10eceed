-- The program's names, numbers and two texts as the admin sets them over the
-- configuration (config::Program, PROGRAM_*; the messages in locales/): a row
-- overrides one setting until the admin reverts it (deletes the row). The
-- names go into pages and emails as they are, so markup characters are
-- refused here as the configuration refuses them; a phone number is checked
-- by the page (config::Phone::parse). Who changed what, and when, is in
-- audit_log; the row names the last person to set it.
create type program_setting as enum (
    'hospital', 'partner', 'phone', 'phone_international', 'appointments_phone',
    'hours', 'hours_es', 'translation_service',
    'safety_intro', 'safety_intro_es', 'records_translation', 'records_translation_es'
);

create table program_settings (
    setting program_setting primary key,
    value text not null,
    set_by uuid not null references users (id),
    set_at timestamptz not null default now(),
    constraint program_settings_value_length check (char_length(btrim(value)) between 1 and 1000),
    constraint program_settings_value_plain check (value !~ '[<>"{}]')
);

-- Every instance keeps the settings in memory (reference_cache.rs) and reads
-- them again when told of any change, by the admin's page or by hand.
create function program_settings_notify_change() returns trigger
language plpgsql as $$
begin
    perform pg_notify('program_settings_changed', '');
    return null;
end;
$$;
create trigger program_settings_changed after insert or update or delete or truncate on program_settings
    for each statement execute function program_settings_notify_change();
