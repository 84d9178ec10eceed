//! A new case for new information, once a case's records and questions are
//! frozen. A confirmation first (it is a new, paid case), then a draft that
//! starts from the earlier case: the child, the diagnosis and treatment as
//! the family described them, the treating doctor and the phone (not the
//! questions or records), asking for the specialist who reviewed it (or was
//! asked for), by name, with no guarantee.

use super::db;
use crate::audit::{self, Entry, Outcome};
use crate::directory::{self, Profile};
use crate::domain::{CaseId, CaseStatus, UserId};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::extract::{ClientIp, Family, Path};
use crate::web::forms::{Form, FormErrors};
use crate::web::page::{FlashKind, PageContext, flash_redirect, html};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use tower_sessions::Session;

const NOT_YET: crate::i18n::Msg = crate::i18n::Msg("refusal-follow-on-not-yet");

#[derive(Template)]
#[template(path = "family/follow_on.html")]
pub struct ConfirmPage {
    page: PageContext,
    case: db::CaseRow,
    specialist: Option<Profile>,
    fee: String,
    errors: FormErrors,
    screen: super::screen::Choice,
}

/// The earlier case, if a follow-on may be opened from it, and the specialist to ask for.
async fn earlier(state: &AppState, family: UserId, id: CaseId) -> Result<(db::CaseRow, Option<Profile>), AppError> {
    let mut conn = state.db.acquire().await?;
    let case = db::case(&mut conn, family, id, false).await?.ok_or(AppError::NotFound)?;
    if !case.status.is_frozen() || case.status == CaseStatus::Cancelled {
        return Err(AppError::Conflict(NOT_YET.into()));
    }
    let wanted = sqlx::query_scalar!(
        r#"select coalesce(specialist_id, requested_specialist_id) as "id: UserId" from cases where id = $1"#,
        id as CaseId
    )
    .fetch_one(&mut *conn)
    .await?;
    let specialist = match wanted {
        Some(s) => directory::profile(&mut *conn, s).await?,
        None => None,
    };
    Ok((case, specialist))
}

pub async fn confirm_page(
    State(state): State<AppState>,
    page: PageContext,
    Family(user): Family,
    Path(id): Path<CaseId>,
) -> Result<Html<String>, AppError> {
    let (case, specialist) = earlier(&state, user.id, id).await?;
    let errors = FormErrors::new(page.lang);
    // The new case is started today, so today's price is the one it will keep.
    let mut conn = state.db.acquire().await?;
    let today = crate::web::format::pacific_date(state.clock.now());
    let fee = crate::payments::price::on(&mut conn, state.config.case_fee, today).await?.to_string();
    html(&ConfirmPage { page, case, specialist, fee, errors, screen: Default::default() })
}

pub async fn open_follow_on(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Family(user): Family,
    ClientIp(ip): ClientIp,
    Path(id): Path<CaseId>,
    Form(screen): Form<super::screen::Choice>,
) -> Result<Response, AppError> {
    let (case, specialist) = earlier(&state, user.id, id).await?;
    let mut errors = FormErrors::new(page.lang);
    let Some(answers) = screen.parse(&mut errors) else {
        let fee = state.config.case_fee.to_string();
        let page = ConfirmPage { page, case, specialist, fee, errors, screen };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)?).into_response());
    };
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let screen = super::screen::record(&mut tx, user.id, case.child_id, answers, page.lang, now).await?;
    if answers.emergency {
        audit::record(
            &mut *tx,
            Entry::new("safety_screen_emergency", Outcome::Success).by(user.id, user.role).from_ip(ip),
        )
        .await?;
        tx.commit().await?;
        return Ok(html(&super::wizard::SafetyStopPage { page })?.into_response());
    }
    let previous = Some((id, specialist.as_ref().map(|s| s.id)));
    let new =
        crate::cases::open_draft(&mut tx, user.id, case.child_id, screen, &case.contact_email, previous, now).await?;
    sqlx::query!(
        r#"update cases n set contact_phone = p.contact_phone, diagnosis_summary = p.diagnosis_summary,
                              treatment_summary = p.treatment_summary, treating_physician = p.treating_physician,
                              treating_clinic = p.treating_clinic
           from cases p where n.id = $1 and p.id = $2 and is_guardian(n.child_id, $3) and p.child_id = n.child_id"#,
        new as CaseId,
        id as CaseId,
        user.id as UserId
    )
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        Entry::new("case_opened", Outcome::Success).by(user.id, user.role).on("case", new).case(new).from_ip(ip),
    )
    .await?;
    tx.commit().await?;
    let message = page.t(if specialist.is_some() { "follow-on-opened-specialist" } else { "follow-on-opened" });
    flash_redirect(&session, &format!("/family/cases/{new}/details"), FlashKind::Success, message).await
}
