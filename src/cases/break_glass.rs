//! Break-glass (HIPAA 164.312(a)(2)(ii), emergency access): a clinician or
//! a coordinator opens a case that is not assigned to them, giving a reason. The opening
//! is audited and kept for the program to review (migration 0027); for
//! [`LASTS`] afterwards their views of that case are allowed, and each is
//! audited as break-glass, which the family's "who has seen" page says.

use crate::audit::{self, Entry, Outcome};
use crate::domain::text::BreakGlassReason;
use crate::domain::{BreakGlassId, CaseId, Role, UserId};
use crate::web::extract::CurrentUser;
use jiff::{SignedDuration, Timestamp};
use jiff_sqlx::ToSqlx;
use sqlx::PgConnection;

/// How long one reason opens the case: a working day, the longest a session lives.
pub const LASTS: SignedDuration = SignedDuration::from_hours(12);

/// How the person may see a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// It is assigned to them.
    Assigned,
    /// Through a break-glass opening of the last [`LASTS`].
    BrokenGlass,
}

impl Access {
    /// The audit action of a view made with this access.
    pub fn view_action(self) -> &'static str {
        match self {
            Access::Assigned => "view_case",
            Access::BrokenGlass => "view_case_break_glass",
        }
    }
}

/// Who a case is assigned to, as its staff access reads it.
pub struct Holders {
    pub coordinator: Option<UserId>,
    pub clinician: Option<UserId>,
    /// Whether the person asking opened it by break-glass within [`LASTS`].
    pub glass: bool,
}

impl Holders {
    /// How `me` may see the case: the one rule for coordinators and
    /// clinicians. A coordinator's assignment is the shared queue — a case no
    /// coordinator has taken yet — and the cases they took; a case another
    /// coordinator holds needs a reason. A clinician's is the cases assigned
    /// to them. `None`: not theirs to see.
    pub fn access(&self, me: UserId, role: Role) -> Option<Access> {
        let assigned = match role {
            Role::Coordinator => self.coordinator.is_none_or(|c| c == me),
            Role::Clinician => self.clinician == Some(me),
            Role::Family | Role::Specialist | Role::Admin => return None,
        };
        match (assigned, self.glass) {
            (true, _) => Some(Access::Assigned),
            (false, true) => Some(Access::BrokenGlass),
            (false, false) => None,
        }
    }
}

/// Who holds `case` (not a draft), and whether `user` broke the glass on it lately; `None` if there is no such case.
pub async fn holders(
    conn: &mut PgConnection,
    case: CaseId,
    user: UserId,
    now: Timestamp,
) -> sqlx::Result<Option<Holders>> {
    let since = now - LASTS;
    sqlx::query_as!(
        Holders,
        r#"select c.coordinator_id as "coordinator: UserId", c.clinician_id as "clinician: UserId",
                  exists (select 1 from break_glass_openings b
                          where b.case_id = c.id and b.user_id = $2 and b.opened_at > $3) as "glass!"
           from cases c where c.id = $1 and c.status <> 'draft'"#,
        case as CaseId,
        user as UserId,
        since.to_sqlx() as _
    )
    .fetch_optional(conn)
    .await
}

/// Records an opening with its reason, and its audit row, in the caller's transaction.
pub async fn open(
    conn: &mut PgConnection,
    case: CaseId,
    me: &CurrentUser,
    reason: &BreakGlassReason,
    ip: Option<String>,
    now: Timestamp,
) -> sqlx::Result<BreakGlassId> {
    let id = sqlx::query_scalar!(
        r#"insert into break_glass_openings (case_id, user_id, reason, opened_at) values ($1, $2, $3, $4)
           returning id as "id: BreakGlassId""#,
        case as CaseId,
        me.id as UserId,
        reason.as_str(),
        now.to_sqlx() as _
    )
    .fetch_one(&mut *conn)
    .await?;
    let entry = Entry::new("break_glass_opened", Outcome::Success)
        .by(me.id, me.role)
        .on("break_glass", id)
        .case(case)
        .from_ip(ip);
    audit::record(&mut *conn, entry).await?;
    Ok(id)
}

/// One opening, for the admin's review.
pub struct Opening {
    pub id: BreakGlassId,
    pub opened_at: jiff_sqlx::Timestamp,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub case_number: String,
    pub reason: String,
}

/// The openings nobody has reviewed yet, oldest first.
pub async fn to_review(conn: &mut PgConnection) -> sqlx::Result<Vec<Opening>> {
    sqlx::query_as!(
        Opening,
        r#"select b.id as "id: BreakGlassId", b.opened_at as "opened_at: jiff_sqlx::Timestamp", u.full_name as name,
                  u.email, u.role as "role: Role", c.case_number, b.reason
           from break_glass_openings b join users u on u.id = b.user_id join cases c on c.id = b.case_id
           where b.reviewed_at is null
           order by b.opened_at
           limit 500"#
    )
    .fetch_all(conn)
    .await
}

/// Marks an opening reviewed by `admin`, audited; false when there was none left to review.
pub async fn mark_reviewed(
    conn: &mut PgConnection,
    id: BreakGlassId,
    admin: &CurrentUser,
    now: Timestamp,
) -> sqlx::Result<bool> {
    let case = sqlx::query_scalar!(
        r#"update break_glass_openings set reviewed_at = $2, reviewed_by = $3 where id = $1 and reviewed_at is null
           returning case_id as "case: CaseId""#,
        id as BreakGlassId,
        now.to_sqlx() as _,
        admin.id as UserId
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(case) = case else { return Ok(false) };
    let entry = Entry::new("break_glass_reviewed", Outcome::Success).by(admin.id, admin.role).on("break_glass", id);
    audit::record(&mut *conn, entry.case(case)).await?;
    Ok(true)
}
