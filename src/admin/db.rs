//! Queries behind the admin pages.

use crate::domain::{Role, UserId};
use jiff::Timestamp;
use jiff_sqlx::ToSqlx;
use sqlx::{PgConnection, PgExecutor};

pub struct StaffRow {
    pub id: UserId,
    pub full_name: String,
    pub email: String,
    pub role: Role,
    pub disabled: bool,
    pub has_password: bool,
    pub has_second_factor: bool,
}

pub async fn staff(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<StaffRow>> {
    sqlx::query_as!(
        StaffRow,
        r#"select id as "id: UserId", full_name, email, role as "role: Role",
                  disabled_at is not null as "disabled!", password_hash not like '!%' as "has_password!",
                  exists (select 1 from second_factors f where f.user_id = users.id) as "has_second_factor!"
           from users where role <> 'family' order by role, full_name"#
    )
    .fetch_all(db)
    .await
}

/// Disables or re-enables a staff account (never a family's, never your own).
/// Disabling bumps the session generation, which ends every session at once.
pub async fn set_disabled(
    conn: &mut PgConnection,
    id: UserId,
    by: UserId,
    disabled: bool,
    now: Timestamp,
) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        r#"update users set disabled_at = case when $3 then $4::timestamptz end,
                            session_generation = session_generation + case when $3 then 1 else 0 end
           where id = $1 and id <> $2 and role <> 'family'"#,
        id as UserId,
        by as UserId,
        disabled,
        now.to_sqlx() as _
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub struct SpecialistRow {
    pub id: UserId,
    pub full_name: String,
    pub specialty: String,
    pub credentials: String,
    pub clinical_focus: String,
    pub accepting_cases: bool,
    pub disabled: bool,
}

pub async fn specialists(db: impl PgExecutor<'_>) -> sqlx::Result<Vec<SpecialistRow>> {
    sqlx::query_as!(
        SpecialistRow,
        r#"select u.id as "id: UserId", u.full_name, s.specialty, s.credentials, s.clinical_focus, s.accepting_cases, u.disabled_at is not null as "disabled!"
           from specialists s join users u on u.id = s.user_id
           order by s.specialty, u.full_name"#
    )
    .fetch_all(db)
    .await
}

pub async fn add_specialist(conn: &mut PgConnection, id: UserId, specialty: &str) -> sqlx::Result<()> {
    sqlx::query!("insert into specialists (user_id, specialty) values ($1, $2)", id as UserId, specialty)
        .execute(conn)
        .await?;
    Ok(())
}
