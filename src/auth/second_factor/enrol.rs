//! `/account/second-factor`: enrolling an authenticator app (a QR code drawn
//! on the server, the secret written out for typing, a code to confirm),
//! the recovery codes shown once, and — for families, for whom it is a
//! choice — turning it off again with a code.
//!
//! The secret being enrolled waits in the session (server-side) until a
//! code from it arrives: nothing is stored for a person who walks away.

use super::Check;
use crate::audit::{self, Entry, Outcome};
use crate::auth::session;
use crate::auth::throttle::{self, Verdict};
use crate::domain::Role;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::state::AppState;
use crate::web::extract::{ClientIp, Enrolling};
use crate::web::forms::{Form, FormErrors};
use crate::web::page::{FlashKind, PageContext, flash_redirect, html};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use serde::Deserialize;
use tower_sessions::Session;

pub const PATH: &str = "/account/second-factor";
const PENDING_KEY: &str = "second_factor_enrolling";

#[derive(Template)]
#[template(path = "auth/second_factor.html")]
pub struct SecondFactorPage {
    page: PageContext,
    /// Staff can't turn it off; families can.
    required: bool,
    /// Enrolled: since when (empty: not enrolled), and how many recovery codes are left.
    since: String,
    codes_left: i64,
    /// Not enrolled: the QR code (SVG) and the secret in groups of four.
    qr_svg: String,
    secret: String,
    errors: FormErrors,
}

#[derive(Template)]
#[template(path = "auth/recovery_codes.html")]
pub struct RecoveryCodesPage {
    page: PageContext,
    codes: Vec<String>,
    next: &'static str,
}

/// The secret this session is enrolling, made on first view.
async fn pending_secret(session: &Session) -> Result<Vec<u8>, AppError> {
    if let Some(secret) = session.get::<String>(PENDING_KEY).await?.as_deref().and_then(super::from_base32) {
        return Ok(secret);
    }
    let secret = super::new_secret();
    session.insert(PENDING_KEY, super::base32(&secret)).await?;
    Ok(secret)
}

async fn render(
    state: &AppState,
    session: &Session,
    page: PageContext,
    user: &crate::web::extract::CurrentUser,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let required = user.role.is_staff();
    let enrolled = sqlx::query_scalar!(
        r#"select enrolled_at as "at: jiff_sqlx::Timestamp" from second_factors where user_id = $1"#,
        user.id as crate::domain::UserId
    )
    .fetch_optional(&state.db)
    .await?;
    let (since, codes_left, qr_svg, secret) = match enrolled {
        Some(at) => {
            let left = super::recovery_codes_left(&state.db, user.id).await?;
            (crate::web::format::date_time(at.to_jiff()), left, String::new(), String::new())
        }
        None => {
            let secret = pending_secret(session).await?;
            let svg = super::qr_svg(&super::totp(&secret, &user.email)?)?;
            let base32 = super::base32(&secret);
            let grouped = base32.as_bytes().chunks(4).map(String::from_utf8_lossy).collect::<Vec<_>>();
            (String::new(), 0, svg, grouped.join(" "))
        }
    };
    let page = SecondFactorPage { page, required, since, codes_left, qr_svg, secret, errors };
    Ok((status, html(&page)?).into_response())
}

pub async fn page(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Enrolling(user): Enrolling,
) -> Result<Response, AppError> {
    render(&state, &session, page, &user, FormErrors::default(), StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

/// `POST /account/second-factor`: the first code from the app confirms it.
pub async fn confirm(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Enrolling(user): Enrolling,
    ClientIp(ip): ClientIp,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    let now: Timestamp = state.clock.now();
    let secret = pending_secret(&session).await?;
    let mut errors = FormErrors::new(page.lang);
    let step = super::matches(&secret, &form.code, now);
    let Some(step) = step else {
        let message =
            if form.code.trim().is_empty() { "second-factor-code-missing" } else { "second-factor-code-wrong" };
        errors.add("code", Msg(message));
        return render(&state, &session, page, &user, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let key = super::key(&state.config.secret_key);
    let mut tx = state.db.begin().await?;
    let Some(codes) = super::enrol(&mut tx, &key, user.id, &secret, step, now).await? else {
        // Enrolled already (another tab): nothing to show twice.
        return flash_redirect(&session, PATH, FlashKind::Info, page.t("second-factor-already")).await;
    };
    audit::record(
        &mut *tx,
        Entry::new("second_factor_enrolled", Outcome::Success).by(user.id, user.role).on("user", user.id).from_ip(ip),
    )
    .await?;
    tx.commit().await?;
    session.remove::<String>(PENDING_KEY).await?;
    session::second_factor_given(&session).await?;
    let next = user.role.home();
    let mut response = (StatusCode::OK, html(&RecoveryCodesPage { page, codes, next })?).into_response();
    // Shown once: no cache keeps them.
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// `POST /account/second-factor/off`: a family turns it off with a code.
/// Staff can't: for them it is the rule.
pub async fn turn_off(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Enrolling(user): Enrolling,
    ClientIp(ip): ClientIp,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    if user.role != Role::Family {
        return Err(AppError::NotFound);
    }
    let now = state.clock.now();
    // Guessing codes here is throttled like at sign-in: a borrowed session must not brute-force its way out of the factor.
    let reserved = match throttle::reserve_sign_in(&state.db, &user.email, ip.as_deref(), true, now).await? {
        Verdict::Go(reserved) => reserved,
        Verdict::Wait { minutes, .. } => {
            let mut errors = FormErrors::new(page.lang);
            errors.add("code", page.t1("second-factor-throttled", "minutes", minutes));
            return render(&state, &session, page, &user, errors, StatusCode::TOO_MANY_REQUESTS).await;
        }
    };
    let key = super::key(&state.config.secret_key);
    let mut tx = state.db.begin().await?;
    let checked = super::check(&mut tx, &key, user.id, &form.code, now, false).await?;
    let refusal = match checked {
        Check::Code | Check::Recovery { .. } => None,
        Check::NotEnrolled => {
            throttle::release(&state.db, reserved).await?;
            return flash_redirect(&session, PATH, FlashKind::Info, page.t("second-factor-off")).await;
        }
        Check::Reused => Some("second-factor-code-used"),
        Check::Wrong if form.code.trim().is_empty() => Some("second-factor-code-missing"),
        Check::Wrong => Some("second-factor-code-wrong"),
    };
    if let Some(message) = refusal {
        // Nothing changed: the transaction is dropped.
        drop(tx);
        let mut errors = FormErrors::new(page.lang);
        errors.add("code", Msg(message));
        return render(&state, &session, page, &user, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    throttle::release(&state.db, reserved).await?;
    super::remove(&mut tx, user.id).await?;
    audit::record(
        &mut *tx,
        Entry::new("second_factor_removed", Outcome::Success).by(user.id, user.role).on("user", user.id).from_ip(ip),
    )
    .await?;
    tx.commit().await?;
    flash_redirect(&session, PATH, FlashKind::Success, page.t("second-factor-off")).await
}
