//! State changes from the workspace. Every form carries the case `version`
//! it was rendered with: a second coordinator acting on a stale page gets
//! "this case changed since you opened it", and nothing is lost. [`Action`]
//! is how each of them starts and ends.

use super::workspace::{self, FormName, Typed};
use crate::audit::{self, Entry, Outcome};
use crate::cases::cancel::{self, RefundNotice};
use crate::cases::closing;
use crate::cases::transition;
use crate::cases::updates::{Update, tell_family};
use crate::domain::text::{CloseReason, NoteBody};
use crate::domain::{CaseId, CaseStatus, UserId};
use crate::error::AppError;
use crate::notify::{self, Email};
use crate::state::AppState;
use crate::web::confirm::{self, Confirm, Reason};
use crate::web::extract::{ClientIp, Coordinator, CurrentUser, Path};
use crate::web::forms::{Form, FormErrors};
use crate::web::page::{FlashKind, PageContext, back_on_refusal, flash_redirect};
use axum::extract::State;
use axum::response::Response;
use jiff_sqlx::ToSqlx;
use serde::Deserialize;
use sqlx::{PgConnection, Postgres, Transaction};
use tower_sessions::Session;

const STALE: &str = "This case changed since you opened it (someone else updated it). Nothing was saved: reload the page to see the latest, then try again.";

/// One coordinator action on one case, in one transaction: the case locked
/// at the version the page showed, any transition from the state it was in,
/// and the audit row written when it commits.
pub struct Action<'a> {
    tx: Transaction<'static, Postgres>,
    me: &'a CurrentUser,
    case: CaseId,
    status: CaseStatus,
    ip: Option<String>,
}

impl<'a> Action<'a> {
    /// Locks the case; refuses a stale page (another version) and drafts (404).
    pub async fn begin(
        state: &AppState,
        me: &'a CurrentUser,
        case: CaseId,
        version: i32,
        ip: Option<String>,
    ) -> Result<Action<'a>, AppError> {
        let mut tx = state.db.begin().await?;
        let row = sqlx::query!(
            r#"select status as "status: CaseStatus", version from cases where id = $1 and status <> 'draft' for update"#,
            case as CaseId
        )
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
        if row.version != version {
            return Err(AppError::Conflict(STALE.into()));
        }
        Ok(Action { tx, me, case, status: row.status, ip })
    }

    pub fn status(&self) -> CaseStatus {
        self.status
    }

    pub fn conn(&mut self) -> &mut PgConnection {
        &mut self.tx
    }

    /// Moves the case on from the state this action found it in.
    pub async fn transition(&mut self, state: &AppState, to: CaseStatus, note: Option<&str>) -> Result<(), AppError> {
        let from = self.status;
        transition(&mut self.tx, self.case, from, to, Some(self.me.id), note, state.clock.now()).await?;
        self.status = to;
        Ok(())
    }

    /// A change that is not a transition still makes older pages stale.
    pub async fn touch(&mut self) -> Result<(), AppError> {
        Ok(crate::cases::db::touch(&mut self.tx, self.case).await?)
    }

    /// Writes the audit row naming `action` and commits.
    pub async fn commit(mut self, action: &'static str) -> Result<(), AppError> {
        let entry = Entry::new(action, Outcome::Success)
            .by(self.me.id, self.me.role)
            .on("case", self.case)
            .case(self.case)
            .from_ip(self.ip);
        audit::record(&mut *self.tx, entry).await?;
        self.tx.commit().await?;
        Ok(())
    }
}

#[derive(Deserialize)]
pub struct VersionForm {
    #[serde(default)]
    version: i32,
}

pub fn back(id: CaseId) -> String {
    format!("/coordinator/cases/{id}")
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
    let result = async {
        let mut action = Action::begin(&state, &me, id, form.version, ip).await?;
        sqlx::query!("update cases set coordinator_id = $2 where id = $1", id as CaseId, me.id as UserId)
            .execute(action.conn())
            .await?;
        if action.status() == CaseStatus::Submitted {
            action.transition(&state, CaseStatus::CollectingRecords, None).await?;
            tell_family(&state, action.conn(), id, Update::CaseTaken).await?;
        } else {
            action.touch().await?;
        }
        action.commit("case_taken").await?;
        flash_redirect(&session, &back(id), FlashKind::Success, "You are the coordinator of this case.").await
    };
    back_on_refusal(&session, &back(id), result.await).await
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
    let result = async {
        let mut action = Action::begin(&state, &me, id, form.version, ip).await?;
        let assigned = match clinician {
            Some(c) => {
                sqlx::query!(
                    r#"update cases set clinician_id = $2
                       where id = $1 and exists (select 1 from users where id = $2 and role = 'clinician' and disabled_at is null)"#,
                    id as CaseId,
                    c as UserId
                )
                .execute(action.conn())
                .await?
                .rows_affected()
                    == 1
            }
            None => false,
        };
        if !assigned {
            return Err(AppError::Conflict("Choose a clinician from the list.".into()));
        }
        action.touch().await?;
        action.commit("clinician_assigned").await?;
        flash_redirect(&session, &back(id), FlashKind::Success, "Clinician assigned.").await
    };
    back_on_refusal(&session, &back(id), result.await).await
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
    let result = async {
        let mut action = Action::begin(&state, &me, id, form.version, ip).await?;
        let waiting = sqlx::query_scalar!(
            r#"select facility from record_sources where case_id = $1 and status not in ('digitized', 'unavailable') order by created_at, id"#,
            id as CaseId
        )
        .fetch_all(action.conn())
        .await?;
        let sources =
            sqlx::query_scalar!(r#"select count(*) as "n!" from record_sources where case_id = $1"#, id as CaseId)
                .fetch_one(action.conn())
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
            return Err(AppError::Conflict(format!("The case can't be marked ready for review yet. {why}").into()));
        }
        action.transition(&state, CaseStatus::ReadyForReview, None).await?;
        tell_family(&state, action.conn(), id, Update::RecordsComplete).await?;
        action.commit("case_ready_for_review").await?;
        flash_redirect(&session, &back(id), FlashKind::Success, "Records complete. Now choose the specialist.").await
    };
    back_on_refusal(&session, &back(id), result.await).await
}

#[derive(Deserialize)]
pub struct SendForm {
    #[serde(default)]
    version: i32,
    #[serde(default)]
    specialist_id: String,
    confirmed: Option<String>,
}

/// Sends the case to the chosen specialist, once confirmed: questions and
/// records freeze, and the opinion is due 7 business days after the records
/// were complete.
pub async fn send_to_specialist(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Coordinator(me): Coordinator,
    ClientIp(ip): ClientIp,
    Path(id): Path<CaseId>,
    Form(form): Form<SendForm>,
) -> Result<Response, AppError> {
    let result = async {
        let Some(specialist) = form.specialist_id.parse::<uuid::Uuid>().ok().map(UserId) else {
            return Err(AppError::Conflict("Choose a specialist from the list.".into()));
        };
        let mut action = Action::begin(&state, &me, id, form.version, ip).await?;
        let chosen = sqlx::query!(
            r#"select u.email, u.full_name, s.specialty from specialists s join users u on u.id = s.user_id
               where s.user_id = $1 and s.accepting_cases and u.disabled_at is null"#,
            specialist as UserId
        )
        .fetch_optional(action.conn())
        .await?
        .ok_or_else(|| AppError::Conflict("That specialist is not accepting cases. Choose another.".into()))?;
        if !confirm::confirmed(&form.confirmed) {
            let number = case_number(action.conn(), id).await?;
            return Confirm {
                page,
                title: format!("Send case {number} to {}?", chosen.full_name),
                consequences: vec![
                    format!(
                        "{} ({}) is asked to review the case and is emailed (the email holds no health information).",
                        chosen.full_name, chosen.specialty
                    ),
                    "The family's questions and records freeze: nothing can be added or changed after this.".into(),
                    "The opinion is due within 7 business days of the records being complete (the target is 5).".into(),
                ],
                warnings: vec![],
                action: format!("/coordinator/cases/{id}/send"),
                fields: vec![("version", form.version.to_string()), ("specialist_id", specialist.to_string())],
                reason: None,
                button: "Yes, send to the specialist".into(),
                danger: false,
                back: back(id),
            }
            .render();
        }
        sqlx::query!("update cases set specialist_id = $2 where id = $1", id as CaseId, specialist as UserId)
            .execute(action.conn())
            .await?;
        action.transition(&state, CaseStatus::InReview, None).await?;
        tell_family(&state, action.conn(), id, Update::SentToSpecialist).await?;
        let link = format!("{}/specialist", state.config.base_url);
        notify::enqueue(action.conn(), state.clock.now(), &chosen.email, &Email::CaseAssigned { link }).await?;
        action.commit("case_sent_to_specialist").await?;
        flash_redirect(
            &session,
            &back(id),
            FlashKind::Success,
            "The case was sent to the specialist. Questions and records are now frozen.",
        )
        .await
    };
    back_on_refusal(&session, &back(id), result.await).await
}

async fn case_number(conn: &mut PgConnection, id: CaseId) -> Result<String, AppError> {
    Ok(sqlx::query_scalar!("select case_number from cases where id = $1", id as CaseId).fetch_one(conn).await?)
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    version: i32,
    confirmed: Option<String>,
    #[serde(default)]
    reason: String,
}

/// Cancels the case and refunds what was paid, once confirmed.
pub async fn cancel(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Coordinator(me): Coordinator,
    ClientIp(ip): ClientIp,
    Path(id): Path<CaseId>,
    Form(form): Form<ConfirmForm>,
) -> Result<Response, AppError> {
    let result = async {
        let mut action = Action::begin(&state, &me, id, form.version, ip).await?;
        let status = action.status();
        if !confirm::confirmed(&form.confirmed) {
            if !status.can_cancel() {
                return Err(AppError::Conflict(cancel::TOO_LATE.into()));
            }
            let number = case_number(action.conn(), id).await?;
            return Confirm {
                page,
                title: format!("Cancel case {number} and refund the family?"),
                consequences: vec![
                    "The case is cancelled and can't be reopened; the family is emailed that there is an update.".into(),
                    "Everything paid for this case (the case fee and any additional fee) is refunded to the card it came from."
                        .into(),
                    "An additional fee still waiting for the family is withdrawn.".into(),
                ],
                warnings: vec![],
                action: format!("/coordinator/cases/{id}/cancel"),
                fields: vec![("version", form.version.to_string())],
                reason: None,
                button: "Yes, cancel and refund".into(),
                danger: true,
                back: back(id),
            }
            .render();
        }
        let released =
            cancel::cancel(&state, action.conn(), id, status, me.id, "Cancelled by the care coordinator.").await?;
        action.commit("case_cancelled").await?;
        let message = match cancel::finish(&state, &released).await {
            RefundNotice::Nothing => "The case is cancelled.",
            RefundNotice::Refunded => "The case is cancelled and what was paid is refunded.",
            RefundNotice::InProgress => {
                "The case is cancelled. The refund could not be made yet; it is retried automatically."
            }
            RefundNotice::InStripe => {
                "The case is cancelled. This server has no Stripe keys, so the refund must be made in Stripe's dashboard; it is listed under Payment anomalies."
            }
            RefundNotice::Failed => {
                "The case is cancelled, but Stripe refused the refund. It is listed under Payment anomalies."
            }
        };
        flash_redirect(&session, &back(id), FlashKind::Success, message).await
    };
    back_on_refusal(&session, &back(id), result.await).await
}

/// Closes a delivered case, once confirmed. The confirmation lists what is
/// still open (the checklist); closing with anything open needs a written
/// reason, which goes on the timeline, and is audited as such.
pub async fn close(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Coordinator(me): Coordinator,
    ClientIp(ip): ClientIp,
    Path(id): Path<CaseId>,
    Form(form): Form<ConfirmForm>,
) -> Result<Response, AppError> {
    let result = async {
        let mut action = Action::begin(&state, &me, id, form.version, ip).await?;
        if action.status() != CaseStatus::OpinionDelivered {
            return Err(AppError::Conflict("Only a case whose opinion was delivered can be closed.".into()));
        }
        // Read under the case's lock: what the person confirms is what is open.
        let open = closing::open_items(action.conn(), id, state.clock.now()).await?;
        let reason = CloseReason::parse_required(&form.reason);
        let needs_reason = !open.is_empty() && reason.is_err();
        if !confirm::confirmed(&form.confirmed) || needs_reason {
            let error = match (&reason, confirm::confirmed(&form.confirmed)) {
                (Err(e), true) => {
                    Some(e.message("The reason", "Something is still open: write why the case should close anyway."))
                }
                _ => None,
            };
            let number = case_number(action.conn(), id).await?;
            return Confirm {
                page,
                title: format!("Close case {number}?"),
                consequences: vec![
                    "The case is closed: the family can no longer ask clarifying questions or ask for a referral."
                        .into(),
                    "The opinion and the records stay available to the family.".into(),
                ],
                warnings: open.iter().map(|item| item.sentence()).collect(),
                action: format!("/coordinator/cases/{id}/close"),
                fields: vec![("version", form.version.to_string())],
                reason: (!open.is_empty()).then(|| Reason {
                    label: "Why close it anyway",
                    hint: "Required while something is open. It goes on the case's timeline and in the audit log.",
                    value: form.reason.clone(),
                    error,
                }),
                button: if open.is_empty() { "Yes, close the case" } else { "Close it anyway" }.into(),
                danger: !open.is_empty(),
                back: back(id),
            }
            .render();
        }
        let (note, audited) = match reason {
            Ok(reason) if !open.is_empty() => (reason.as_str().to_owned(), "case_closed_with_open_items"),
            _ => ("Closed by the care coordinator.".to_owned(), "case_closed"),
        };
        action.transition(&state, CaseStatus::Closed, Some(&note)).await?;
        tell_family(&state, action.conn(), id, Update::CaseClosed).await?;
        action.commit(audited).await?;
        flash_redirect(&session, &back(id), FlashKind::Success, "The case is closed.").await
    };
    back_on_refusal(&session, &back(id), result.await).await
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
    page: PageContext,
    Coordinator(me): Coordinator,
    ClientIp(ip): ClientIp,
    Path(id): Path<CaseId>,
    Form(form): Form<NoteForm>,
) -> Result<Response, AppError> {
    let body = match NoteBody::parse_required(&form.body) {
        Ok(body) => body,
        Err(e) => {
            let mut errors = FormErrors::default();
            errors.add("body", format!("Nothing was saved: {}", e.message("A note", "a note can't be empty.")));
            let typed = Typed::new(FormName::Note, vec![("body", form.body), ("audience", form.audience)], errors);
            return workspace::render(&state, page, &me, ip, id, "", typed).await;
        }
    };
    let to_family = form.audience == "family";
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    sqlx::query_scalar!("select 1 as \"one!\" from cases where id = $1 and status <> 'draft'", id as CaseId)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
    if to_family {
        // Messages to the family go to the case's thread (and email them).
        crate::cases::messages::post(&state, &mut tx, id, &me, &body, None).await?;
    } else {
        sqlx::query!(
            "insert into case_notes (case_id, author_id, to_family, body, created_at) values ($1, $2, false, $3, $4)",
            id as CaseId,
            me.id as UserId,
            body.as_str(),
            now.to_sqlx() as _
        )
        .execute(&mut *tx)
        .await?;
    }
    let action = if to_family { "message_to_family" } else { "internal_note" };
    audit::record(
        &mut *tx,
        Entry::new(action, Outcome::Success).by(me.id, me.role).on("case", id).case(id).from_ip(ip),
    )
    .await?;
    tx.commit().await?;
    let message = if to_family {
        "Message sent. The family was emailed that there is an update."
    } else {
        "Internal note saved."
    };
    flash_redirect(&session, &back(id), FlashKind::Success, message).await
}
