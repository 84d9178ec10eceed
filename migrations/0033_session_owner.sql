-- Whose session a row is, in a column SQL can join: the session check reads
-- the session and its user in one round trip instead of two on every signed-in
-- request. The store writes it from the session's own sign-in record.
--
-- Sessions from before this column can't be given an owner here (their data
-- is MessagePack), so they end: everyone signs in once more.
delete from tower_sessions.session;
alter table tower_sessions.session
    add column user_id uuid constraint session_user_fk references users (id) on delete cascade;
create index session_user_idx on tower_sessions.session (user_id);
