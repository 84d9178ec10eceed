-- When a guardianship ends (the invited guardian removed, or leaving), the
-- cases that guardian opened for the child pass to the guardian who remains:
-- the one who added the child, since only an invited guardian can go. The
-- case's contact was the departed parent's: the address its emails go to,
-- the phone and hours the clinician calls, the language the call is in.
-- Nobody may be called about a child they no longer share, so the contact
-- becomes the remaining guardian's: their account's address and language,
-- and the phone, time zone and call times from the latest case they opened
-- for this child (else no phone: the call card says to ask by message).
-- A call time the departed parent was told no longer holds.
create or replace function guardianships_contact_passes() returns trigger
language plpgsql as $$
begin
    -- Payments made before the payer was recorded named the opener: name
    -- them before the opener changes, so receipts keep the right payer.
    update payments p set paid_by = c.family_id
    from cases c
    where p.case_id = c.id and c.child_id = new.child_id and c.family_id = new.user_id and p.paid_by is null;
    update cases c
    set family_id = ch.family_id,
        contact_email = u.email,
        family_language = coalesce(u.language, 'en'),
        contact_phone = coalesce(own.contact_phone, ''),
        contact_time_zone = coalesce(own.contact_time_zone, c.contact_time_zone),
        call_times = coalesce(own.call_times, ''),
        call_scheduled_for = null,
        version = c.version + 1
    from children ch
    join users u on u.id = ch.family_id
    left join lateral (
        select o.contact_phone, o.contact_time_zone, o.call_times from cases o
        where o.child_id = ch.id and o.family_id = ch.family_id and o.contact_phone <> ''
        order by o.created_at desc limit 1
    ) own on true
    where ch.id = new.child_id and c.child_id = new.child_id and c.family_id = new.user_id;
    return null;
end;
$$;
create trigger guardianships_contact_passes after update of removed_at on guardianships
    for each row when (old.removed_at is null and new.removed_at is not null)
    execute function guardianships_contact_passes();
