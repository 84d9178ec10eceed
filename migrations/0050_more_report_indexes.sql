-- Two of the reports added by issue 15's last part read a range of rows by
-- when they happened. Each index below holds the columns its report needs, so
-- a month at a million cases is an index range (index-only once vacuumed),
-- not a scan of the table. (The third, cases entering and leaving each state,
-- reads counts kept by 0051.)

-- Days to collect records: the sources received in the range
-- (admin/reports_records.rs), with when each was asked for and its category.
create index record_sources_received on record_sources (received_at)
    include (requested_at, translation_required, case_id)
    where received_at is not null;

-- Money by month (admin/reports_money.rs): money taken (a payment that was
-- charged stays counted when later refunded), money given back, anomalies.
create index payments_taken on payments (succeeded_at) include (purpose, amount_cents)
    where status in ('succeeded', 'refunded');
create index refunds_made on refunds (completed_at) include (amount_cents)
    where status = 'succeeded';
create index payment_anomalies_created on payment_anomalies (created_at);
