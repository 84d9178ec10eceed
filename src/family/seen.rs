//! "Who has seen my child's case": each time someone on the care team
//! opened the case, its records, messages or opinion, read from the audit
//! trail (the accounting HIPAA lets a family ask for). Every sentence is
//! whole, so the page translates as it stands.

use super::db;
use crate::domain::{CaseId, Role, UserId};
use crate::error::AppError;
use crate::i18n::Msg;
use crate::state::AppState;
use crate::web::extract::{Family, Path};
use crate::web::page::{PageContext, html};
use askama::Template;
use axum::extract::State;
use axum::response::Html;

/// The newest views shown; older ones are on request from the program.
const SHOWN: i64 = 500;

/// One view of the case by someone on the staff.
pub struct SeenRow {
    pub at: jiff_sqlx::Timestamp,
    pub name: String,
    pub role: Role,
    pub action: String,
    pub break_glass: bool,
}

impl SeenRow {
    /// Their part in the case, as the family's pages name it.
    pub fn role_words(&self) -> Msg {
        match self.role {
            Role::Coordinator => Msg("seen-role-coordinator"),
            Role::Clinician => Msg("seen-role-clinician"),
            Role::Specialist => Msg("seen-role-specialist"),
            Role::Admin => Msg("seen-role-admin"),
            Role::Family => Msg("seen-role-family"),
        }
    }

    /// What they opened, as a whole phrase.
    pub fn what(&self) -> Msg {
        match self.action.as_str() {
            "view_case" | "view_case_break_glass" => Msg("seen-what-case"),
            "view_child_details" => Msg("seen-what-child"),
            "view_document" | "download_document" | "download_document_break_glass" => Msg("seen-what-document"),
            "download_message_attachment" => Msg("seen-what-attachment"),
            "view_messages" => Msg("seen-what-messages"),
            "view_release_letter" => Msg("seen-what-release"),
            "view_opinion_preview" => Msg("seen-what-preview"),
            "view_signed_opinion" | "view_opinion" => Msg("seen-what-opinion"),
            _ => Msg("seen-what-case"),
        }
    }
}

#[derive(Template)]
#[template(path = "family/seen.html")]
struct SeenPage {
    page: PageContext,
    case: db::CaseRow,
    rows: Vec<SeenRow>,
    more: bool,
}

/// `GET /family/cases/{id}/seen`.
pub async fn seen_page(
    State(state): State<AppState>,
    page: PageContext,
    Family(user): Family,
    Path(id): Path<CaseId>,
) -> Result<Html<String>, AppError> {
    let mut conn = state.db.acquire().await?;
    let case = db::case(&mut conn, user.id, id, false).await?.ok_or(AppError::NotFound)?;
    // Ownership in SQL as well: only this family's case, only staff, only views.
    let mut rows = sqlx::query_as!(
        SeenRow,
        r#"select a.at as "at: jiff_sqlx::Timestamp", u.full_name as name, a.actor_role as "role!: Role", a.action,
                  a.action like '%\_break\_glass' as "break_glass!"
           from audit_log a
           join cases c on c.id = a.case_id
           join users u on u.id = a.actor_user_id
           where a.case_id = $1 and is_guardian(c.child_id, $2) and a.outcome = 'success' and a.actor_role <> 'family'
             and (a.action like 'view\_%' or a.action like 'download\_%')
           order by a.id desc
           limit $3"#,
        id as CaseId,
        user.id as UserId,
        SHOWN + 1
    )
    .fetch_all(&mut *conn)
    .await?;
    let more = rows.len() as i64 > SHOWN;
    rows.truncate(SHOWN as usize);
    html(&SeenPage { page, case, rows, more })
}
