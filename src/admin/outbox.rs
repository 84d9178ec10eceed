//! `/admin/outbox`: email that could not be delivered, and a way to retry it.

use crate::audit::{self, Entry, Outcome};
use crate::domain::EmailId;
use crate::error::AppError;
use crate::state::AppState;
use crate::web::extract::{Admin, Path};
use crate::web::page::{FlashKind, PageContext, flash_redirect, html};
use askama::Template;
use axum::extract::State;
use axum::response::{Html, Response};
use jiff_sqlx::ToSqlx;
use tower_sessions::Session;

pub struct DeadRow {
    pub id: EmailId,
    pub to_address: String,
    pub kind: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: jiff_sqlx::Timestamp,
}

#[derive(Template)]
#[template(path = "admin/outbox.html")]
pub struct OutboxPage {
    page: PageContext,
    pending: i64,
    dead: Vec<DeadRow>,
}

pub async fn outbox_page(State(state): State<AppState>, page: PageContext, _: Admin) -> Result<Html<String>, AppError> {
    let pending = sqlx::query_scalar!(r#"select count(*) as "n!" from email_outbox where status = 'pending'"#)
        .fetch_one(&state.db)
        .await?;
    let dead = sqlx::query_as!(
        DeadRow,
        r#"select id as "id: EmailId", to_address, kind, attempts, last_error, created_at as "created_at: jiff_sqlx::Timestamp"
           from email_outbox where status = 'dead' order by created_at desc limit 200"#
    )
    .fetch_all(&state.db)
    .await?;
    html(&OutboxPage { page, pending, dead })
}

pub async fn retry(
    State(state): State<AppState>,
    session: Session,
    Admin(admin): Admin,
    Path(id): Path<EmailId>,
) -> Result<Response, AppError> {
    let mut tx = state.db.begin().await?;
    let done = sqlx::query!(
        "update email_outbox set status = 'pending', attempts = 0, next_attempt_at = $2 where id = $1 and status = 'dead'",
        id as EmailId,
        state.clock.now().to_sqlx() as _
    )
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    audit::record(&mut *tx, Entry::new("email_retried", Outcome::Success).by(admin.id, admin.role).on("email", id))
        .await?;
    tx.commit().await?;
    flash_redirect(&session, "/admin/outbox", FlashKind::Success, "The email will be sent again.").await
}
