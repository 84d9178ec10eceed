-- The session store's table (tower-sessions-sqlx-store's own DDL), kept here
-- so one migration run creates everything. Data is MessagePack; ids are
-- 128-bit random. Expired rows are swept by the app.
create schema if not exists tower_sessions;
create table if not exists tower_sessions.session (
    id text primary key not null,
    data bytea not null,
    expiry_date timestamptz not null
);
