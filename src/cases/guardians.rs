//! A child's guardians as the care team and the mail see them. A child has
//! one or two guardians (`guardianships`, migration 0028); both are told of
//! their child's case, each at their own address and in their own language,
//! and staff see who they are and which language they read.

use crate::domain::{CaseId, EmailUpdates, Relationship, UserId};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::notify::{self, Email};
use jiff::Timestamp;
use sqlx::PgConnection;

/// Someone to email about a case.
pub struct Recipient {
    pub email: String,
    pub lang: Lang,
    pub updates: EmailUpdates,
}

/// Who hears about `case`: the case's contact address (as the guardian who
/// opened it gave it, while they are a guardian), and each other current
/// guardian at their account's address. Each address once.
pub async fn recipients(conn: &mut PgConnection, case: CaseId) -> sqlx::Result<Vec<Recipient>> {
    let rows = sqlx::query!(
        r#"select c.contact_email as "email!", coalesce(u.language, 'en') as "lang!: Lang",
                  u.email_updates as "updates!: EmailUpdates", 0 as "rank!"
           from cases c join users u on u.id = c.family_id
           where c.id = $1 and is_guardian(c.child_id, c.family_id)
           union all
           select u.email, coalesce(u.language, 'en'), u.email_updates, 1
           from cases c
           join guardianships g on g.child_id = c.child_id and g.removed_at is null
           join users u on u.id = g.user_id
           where c.id = $1 and u.id <> c.family_id and u.disabled_at is null
           order by 4"#,
        case as CaseId
    )
    .fetch_all(conn)
    .await?;
    let mut out: Vec<Recipient> = Vec::new();
    for r in rows {
        if !out.iter().any(|o| o.email.eq_ignore_ascii_case(&r.email)) {
            out.push(Recipient { email: r.email, lang: r.lang, updates: r.updates });
        }
    }
    Ok(out)
}

/// Emails every guardian of `case` (their preference permitting, when
/// `wanted` says which preferences want it), each in their language, in
/// the caller's transaction. How many were queued.
pub async fn email_all(
    conn: &mut PgConnection,
    now: Timestamp,
    case: CaseId,
    email: &Email,
    wanted: impl Fn(EmailUpdates) -> bool,
) -> Result<usize, AppError> {
    let mut sent = 0;
    for r in recipients(&mut *conn, case).await? {
        if wanted(r.updates) {
            notify::enqueue_in(&mut *conn, now, &r.email, r.lang, email).await?;
            sent += 1;
        }
    }
    Ok(sent)
}

/// A guardian as the care team sees them.
pub struct Guardian {
    pub id: UserId,
    pub name: String,
    pub relationship: Option<Relationship>,
    pub language: Lang,
    /// The guardian who opened the case (its contact).
    pub opened_case: bool,
}

impl Guardian {
    /// "Prefers Spanish", for staff pages (English only).
    pub fn language_note(&self) -> Option<&'static str> {
        (self.language == Lang::Es).then_some("Prefers Spanish")
    }
}

/// The current guardians of `case`'s child, the one who opened it first.
pub async fn of_case(conn: &mut PgConnection, case: CaseId) -> sqlx::Result<Vec<Guardian>> {
    sqlx::query_as!(
        Guardian,
        r#"select u.id as "id: UserId", u.full_name as name, g.relationship as "relationship: Relationship",
                  coalesce(u.language, 'en') as "language!: Lang", u.id = c.family_id as "opened_case!"
           from cases c
           join guardianships g on g.child_id = c.child_id and g.removed_at is null
           join users u on u.id = g.user_id
           where c.id = $1
           order by u.id = c.family_id desc, g.created_at"#,
        case as CaseId
    )
    .fetch_all(conn)
    .await
}
