//! State changes from the workspace. Every form carries the case `version`
//! it was rendered with: a second coordinator acting on a stale page gets
//! "this case changed since you opened it", and nothing is lost.

use super::db;
use crate::audit::{self, Entry, Outcome};
use crate::cases::schedule::LIMIT_BUSINESS_DAYS;
use crate::cases::transition;
use crate::domain::{CaseId, CaseStatus, UserId};
use crate::error::AppError;
use crate::notify::{self, Email};
use crate::state::AppState;
use crate::web::extract::{ClientIp, Coordinator, CurrentUser, Path};
use crate::web::forms::Form;
use crate::web::page::{FlashKind, flash_redirect};
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use sqlx::PgConnection;
use time::{Duration, OffsetDateTime};
use tower_sessions::Session;

#[derive(Deserialize)]
pub struct VersionForm {
    #[serde(default)]
    version: i32,
}

fn back(id: CaseId) -> String {
    format!("/coordinator/cases/{id}")
}

async fn audit_action(
    conn: &mut PgConnection,
    me: &CurrentUser,
    action: &'static str,
    id: CaseId,
    ip: Option<String>,
) -> Result<(), AppError> {
    let mut entry = Entry::new(action, Outcome::Success).by(me.id, me.role).on("case", id).from_ip(ip);
    entry.case_id = Some(id.0);
    Ok(audit::record(conn, entry).await?)
}

async fn set_due(conn: &mut PgConnection, id: CaseId, due: Option<OffsetDateTime>) -> sqlx::Result<()> {
    sqlx::query!("update cases set due_at = $2 where id = $1", id as CaseId, due).execute(conn).await?;
    Ok(())
}

/// Take the case: it becomes mine, and a submitted case starts collecting records.
pub async fn take(
    State(state): State<AppState>,
    session: Session,
    Coordinator(me): Coordinator,
    ClientIp(ip): ClientIp,
    Path(id): Path<CaseId>,
    Form(form): Form<VersionForm>,
) -> Result<Response, AppError> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let status = db::lock_version(&mut tx, id, form.version).await?;
    sqlx::query!("update cases set coordinator_id = $2 where id = $1", id as CaseId, me.id as UserId)
        .execute(&mut *tx)
        .await?;
    if status == CaseStatus::Submitted {
        transition(&mut tx, id, status, CaseStatus::CollectingRecords, Some(me.id), None, now).await?;
        // Records collection target: two weeks.
        set_due(&mut tx, id, Some(now + Duration::days(14))).await?;
    } else {
        db::touch(&mut tx, id).await?;
    }
    audit_action(&mut tx, &me, "case_taken", id, ip).await?;
    tx.commit().await?;
    flash_redirect(&session, &back(id), FlashKind::Success, "You are the coordinator of this case.").await
}

#[derive(Deserialize)]
pub struct ClinicianForm {
    #[serde(default)]
    version: i32,
    #[serde(default)]
    clinician_id: String,
}

pub async fn assign_clinician(
    State(state): State<AppState>,
    session: Session,
    Coordinator(me): Coordinator,
    ClientIp(ip): ClientIp,
    Path(id): Path<CaseId>,
    Form(form): Form<ClinicianForm>,
) -> Result<Response, AppError> {
    let clinician = form.clinician_id.parse::<uuid::Uuid>().ok().map(UserId);
    let mut tx = state.db.begin().await?;
    db::lock_version(&mut tx, id, form.version).await?;
    let valid = match clinician {
        Some(c) => sqlx::query_scalar!(
            r#"select exists (select 1 from users where id = $1 and role = 'clinician' and disabled_at is null) as "ok!""#,
            c as UserId
        )
        .fetch_one(&mut *tx)
        .await?,
        None => false,
    };
    if !valid {
        return flash_redirect(&session, &back(id), FlashKind::Error, "Choose a clinician from the list.").await;
    }
    sqlx::query!(
        "update cases set clinician_id = $2, version = version + 1 where id = $1",
        id as CaseId,
        clinician as Option<UserId>
    )
    .execute(&mut *tx)
    .await?;
    audit_action(&mut tx, &me, "clinician_assigned", id, ip).await?;
    tx.commit().await?;
    flash_redirect(&session, &back(id), FlashKind::Success, "Clinician assigned.").await
}

/// Records complete: only when every source is digitized or unavailable.
pub async fn mark_ready(
    State(state): State<AppState>,
    session: Session,
    Coordinator(me): Coordinator,
    ClientIp(ip): ClientIp,
    Path(id): Path<CaseId>,
    Form(form): Form<VersionForm>,
) -> Result<Response, AppError> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let status = db::lock_version(&mut tx, id, form.version).await?;
    let waiting = sqlx::query_scalar!(
        r#"select facility from record_sources where case_id = $1 and status not in ('digitized', 'unavailable') order by created_at"#,
        id as CaseId
    )
    .fetch_all(&mut *tx)
    .await?;
    let sources =
        sqlx::query_scalar!(r#"select count(*) as "n!" from record_sources where case_id = $1"#, id as CaseId)
            .fetch_one(&mut *tx)
            .await?;
    if sources == 0 || !waiting.is_empty() {
        let why = if sources == 0 {
            "The case has no record sources yet.".to_owned()
        } else {
            format!(
                "Records are still outstanding from: {}. Mark each one digitized or unavailable first.",
                waiting.join(", ")
            )
        };
        return Err(AppError::Conflict(format!("The case can't be marked ready for review yet. {why}")));
    }
    transition(&mut tx, id, status, CaseStatus::ReadyForReview, Some(me.id), None, now).await?;
    // Choosing the specialist should not take more than a business day.
    set_due(&mut tx, id, Some(now + Duration::days(1))).await?;
    audit_action(&mut tx, &me, "case_ready_for_review", id, ip).await?;
    tx.commit().await?;
    flash_redirect(&session, &back(id), FlashKind::Success, "Records complete. Now choose the specialist.").await
}

#[derive(Deserialize)]
pub struct SendForm {
    #[serde(default)]
    version: i32,
    #[serde(default)]
    specialist_id: String,
}

/// Sends the case to the chosen specialist: questions and records freeze, and
/// the opinion is due 7 business days after the records were complete.
pub async fn send_to_specialist(
    State(state): State<AppState>,
    session: Session,
    Coordinator(me): Coordinator,
    ClientIp(ip): ClientIp,
    Path(id): Path<CaseId>,
    Form(form): Form<SendForm>,
) -> Result<Response, AppError> {
    let now = state.clock.now();
    let specialist = form.specialist_id.parse::<uuid::Uuid>().ok().map(UserId);
    let mut tx = state.db.begin().await?;
    let status = db::lock_version(&mut tx, id, form.version).await?;
    let Some(specialist) = specialist else {
        return flash_redirect(&session, &back(id), FlashKind::Error, "Choose a specialist from the list.").await;
    };
    let email = sqlx::query_scalar!(
        r#"select u.email from specialists s join users u on u.id = s.user_id
           where s.user_id = $1 and s.accepting_cases and u.disabled_at is null"#,
        specialist as UserId
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(email) = email else {
        return flash_redirect(
            &session,
            &back(id),
            FlashKind::Error,
            "That specialist is not accepting cases. Choose another.",
        )
        .await;
    };
    let ready_at = sqlx::query_scalar!("select ready_for_review_at from cases where id = $1", id as CaseId)
        .fetch_one(&mut *tx)
        .await?
        .unwrap_or(now);
    let calendar = crate::cases::schedule::calendar(&mut *tx).await?;
    let due_date = calendar.add_business_days(crate::web::format::pacific_date(ready_at), LIMIT_BUSINESS_DAYS);
    let due = crate::web::format::end_of_pacific_day(due_date);
    sqlx::query!("update cases set specialist_id = $2 where id = $1", id as CaseId, specialist as UserId)
        .execute(&mut *tx)
        .await?;
    transition(&mut tx, id, status, CaseStatus::InReview, Some(me.id), None, now).await?;
    set_due(&mut tx, id, Some(due)).await?;
    let link = format!("{}/specialist", state.config.base_url);
    notify::enqueue(&mut tx, now, &email, &Email::CaseAssigned { link }).await?;
    audit_action(&mut tx, &me, "case_sent_to_specialist", id, ip).await?;
    tx.commit().await?;
    flash_redirect(
        &session,
        &back(id),
        FlashKind::Success,
        "The case was sent to the specialist. Questions and records are now frozen.",
    )
    .await
}

pub async fn cancel(
    State(state): State<AppState>,
    session: Session,
    Coordinator(me): Coordinator,
    ClientIp(ip): ClientIp,
    Path(id): Path<CaseId>,
    Form(form): Form<VersionForm>,
) -> Result<Response, AppError> {
    let mut tx = state.db.begin().await?;
    let status = db::lock_version(&mut tx, id, form.version).await?;
    if !status.can_cancel() {
        return Err(AppError::Conflict(
            "The specialist's review has started, so this case can no longer be cancelled.".into(),
        ));
    }
    let refunded =
        crate::payments::refund_and_cancel(&state, &mut tx, id, status, me.id, "Cancelled by the care coordinator.")
            .await?;
    audit_action(&mut tx, &me, "case_cancelled", id, ip).await?;
    tx.commit().await?;
    let message = if refunded { "The case is cancelled and the case fee refunded." } else { "The case is cancelled." };
    flash_redirect(&session, &back(id), FlashKind::Success, message).await
}

pub async fn close(
    State(state): State<AppState>,
    session: Session,
    Coordinator(me): Coordinator,
    ClientIp(ip): ClientIp,
    Path(id): Path<CaseId>,
    Form(form): Form<VersionForm>,
) -> Result<Response, AppError> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let status = db::lock_version(&mut tx, id, form.version).await?;
    transition(&mut tx, id, status, CaseStatus::Closed, Some(me.id), Some("Closed by the care coordinator."), now)
        .await?;
    set_due(&mut tx, id, None).await?;
    audit_action(&mut tx, &me, "case_closed", id, ip).await?;
    tx.commit().await?;
    flash_redirect(&session, &back(id), FlashKind::Success, "The case is closed.").await
}

#[derive(Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    body: String,
    /// "family" sends it to the family; anything else keeps it internal.
    #[serde(default)]
    audience: String,
}

pub async fn add_note(
    State(state): State<AppState>,
    session: Session,
    Coordinator(me): Coordinator,
    ClientIp(ip): ClientIp,
    Path(id): Path<CaseId>,
    Form(form): Form<NoteForm>,
) -> Result<Response, AppError> {
    let body = form.body.trim();
    if body.is_empty() || body.chars().count() > 4000 || body.contains('\0') {
        return flash_redirect(
            &session,
            &back(id),
            FlashKind::Error,
            "Nothing was saved: a note needs 1 to 4,000 characters.",
        )
        .await;
    }
    let to_family = form.audience == "family";
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let contact =
        sqlx::query_scalar!("select contact_email from cases where id = $1 and status <> 'draft'", id as CaseId)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(AppError::NotFound)?;
    sqlx::query!(
        "insert into case_notes (case_id, author_id, to_family, body, created_at) values ($1, $2, $3, $4, $5)",
        id as CaseId,
        me.id as UserId,
        to_family,
        body,
        now
    )
    .execute(&mut *tx)
    .await?;
    if to_family {
        let link = format!("{}/family/cases/{id}", state.config.base_url);
        notify::enqueue(&mut tx, now, &contact, &Email::CaseUpdate { link }).await?;
    }
    audit_action(&mut tx, &me, if to_family { "message_to_family" } else { "internal_note" }, id, ip).await?;
    tx.commit().await?;
    let message = if to_family {
        "Message sent. The family was emailed that there is an update."
    } else {
        "Internal note saved."
    };
    flash_redirect(&session, &back(id), FlashKind::Success, message).await
}
