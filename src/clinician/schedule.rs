//! Scheduling the follow-up call after the opinion: the time is kept on the
//! case until an attempt is logged, and the family is told when it will be
//! (by email and on their timeline and case page).

use crate::audit::{self, Entry, Outcome};
use crate::cases::updates::{Update, tell_family};
use crate::domain::CaseId;
use crate::error::AppError;
use crate::state::AppState;
use crate::web::extract::{Clinician, Path};
use crate::web::forms::Form;
use crate::web::page::{FlashKind, flash_redirect};
use axum::extract::State;
use axum::response::Response;
use jiff::Timestamp;
use tower_sessions::Session;

#[derive(serde::Deserialize)]
pub struct ScheduleForm {
    /// From `<input type="datetime-local">`, Pacific time: `2026-12-08T10:30`.
    #[serde(default)]
    scheduled_for: String,
}

/// A Pacific wall-clock time typed into the form, if it is one and still ahead.
fn parse_time(raw: &str, now: Timestamp) -> Option<Timestamp> {
    let local: jiff::civil::DateTime = raw.trim().parse().ok()?;
    let at = local.to_zoned(crate::domain::business_days::time_zone().clone()).ok()?.timestamp();
    (at > now).then_some(at)
}

pub async fn schedule_call(
    State(state): State<AppState>,
    session: Session,
    Clinician(me): Clinician,
    Path(id): Path<CaseId>,
    Form(form): Form<ScheduleForm>,
) -> Result<Response, AppError> {
    super::my_case(&state, &me, id).await?;
    let now = state.clock.now();
    let Some(at) = parse_time(&form.scheduled_for, now) else {
        return flash_redirect(
            &session,
            "/clinician",
            FlashKind::Error,
            "Nothing was scheduled: enter a date and time still to come, in Pacific time.",
        )
        .await;
    };
    let mut tx = state.db.begin().await?;
    crate::cases::calls::schedule(&mut tx, id, at).await?;
    tell_family(&state, &mut tx, id, Update::CallScheduled { at }).await?;
    let entry = Entry::new("call_scheduled", Outcome::Success).by(me.id, me.role).on("case", id).case(id);
    audit::record(&mut *tx, entry).await?;
    tx.commit().await?;
    flash_redirect(&session, "/clinician", FlashKind::Success, "Call scheduled; the family has been told when.").await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_call_time_is_pacific_and_ahead() {
        crate::domain::business_days::load_time_zone().unwrap();
        let now: Timestamp = "2026-12-08T16:00:00Z".parse().unwrap(); // 8 a.m. Pacific
        assert_eq!(parse_time("2026-12-08T10:30", now), Some("2026-12-08T18:30:00Z".parse().unwrap()));
        assert_eq!(parse_time("2026-12-08T07:00", now), None, "already past");
        assert_eq!(parse_time("tomorrow", now), None);
    }
}
