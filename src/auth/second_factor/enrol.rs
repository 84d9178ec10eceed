//! `/account/second-factor`: enrolling an authenticator app (a QR code drawn
//! on the server, the secret written out for typing, a code to confirm),
//! the recovery codes shown once (and replaced for a current code), and — for families, for whom it is a
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
use axum::response::{IntoResponse, Redirect, Response};
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
    /// What just happened: enrolled, or the codes replaced.
    notice: String,
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
    let notice = page.t("second-factor-enrolled");
    codes_page(RecoveryCodesPage { page, codes, notice, next: user.role.home() })
}

/// What a code typed on this page (to turn the factor off, for new
/// recovery codes) proved.
enum Proof {
    /// A right code, used up in this open transaction: act in it.
    Given(sqlx::Transaction<'static, sqlx::Postgres>),
    /// No second factor any more (turned off in another tab, reset).
    NotEnrolled,
    /// Refused: the page again with this (nothing changed).
    Refused(FormErrors, StatusCode),
}

/// Checks `code` as the sign-in does: throttled against the same
/// per-account limit (a borrowed session must not brute-force its way past
/// the factor), and used up when right. `field` is where a refusal is said.
async fn prove(
    state: &AppState,
    page: &PageContext,
    user: &crate::web::extract::CurrentUser,
    ip: Option<&str>,
    code: &str,
    field: &'static str,
) -> Result<Proof, AppError> {
    let now = state.clock.now();
    let mut errors = FormErrors::new(page.lang);
    let reserved = match throttle::reserve_sign_in(&state.db, &user.email, ip, true, now).await? {
        Verdict::Go(reserved) => reserved,
        Verdict::Wait { minutes, .. } => {
            errors.add(field, page.t1("second-factor-throttled", "minutes", minutes));
            return Ok(Proof::Refused(errors, StatusCode::TOO_MANY_REQUESTS));
        }
    };
    let key = super::key(&state.config.secret_key);
    let mut tx = state.db.begin().await?;
    let refusal = match super::check(&mut tx, &key, user.id, code, now, false).await? {
        Check::Code | Check::Recovery { .. } => None,
        Check::NotEnrolled => {
            throttle::release(&state.db, reserved).await?;
            return Ok(Proof::NotEnrolled);
        }
        Check::Reused => Some("second-factor-code-used"),
        Check::Wrong if code.trim().is_empty() => Some("second-factor-code-missing"),
        Check::Wrong => Some("second-factor-code-wrong"),
    };
    if let Some(message) = refusal {
        // Nothing changed (the transaction is dropped); the attempt still counts.
        errors.add(field, Msg(message));
        return Ok(Proof::Refused(errors, StatusCode::UNPROCESSABLE_ENTITY));
    }
    throttle::release(&state.db, reserved).await?;
    Ok(Proof::Given(tx))
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
    let mut tx = match prove(&state, &page, &user, ip.as_deref(), &form.code, "code").await? {
        Proof::Given(tx) => tx,
        Proof::NotEnrolled => {
            return flash_redirect(&session, PATH, FlashKind::Info, page.t("second-factor-off")).await;
        }
        Proof::Refused(errors, status) => return render(&state, &session, page, &user, errors, status).await,
    };
    super::remove(&mut tx, user.id).await?;
    audit::record(
        &mut *tx,
        Entry::new("second_factor_removed", Outcome::Success).by(user.id, user.role).on("user", user.id).from_ip(ip),
    )
    .await?;
    tx.commit().await?;
    flash_redirect(&session, PATH, FlashKind::Success, page.t("second-factor-off")).await
}

#[derive(Deserialize)]
pub struct RegenerateForm {
    #[serde(default)]
    current_code: String,
}

/// `POST /account/second-factor/recovery-codes`: ten new recovery codes for
/// a current code (from the app, or one of the old recovery codes); the old
/// ones stop working. Shown once, like the first ten.
pub async fn regenerate(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Enrolling(user): Enrolling,
    ClientIp(ip): ClientIp,
    Form(form): Form<RegenerateForm>,
) -> Result<Response, AppError> {
    let mut tx = match prove(&state, &page, &user, ip.as_deref(), &form.current_code, "current_code").await? {
        Proof::Given(tx) => tx,
        // Nothing to give codes for: the page offers enrolment instead.
        Proof::NotEnrolled => return Ok(Redirect::to(PATH).into_response()),
        Proof::Refused(errors, status) => return render(&state, &session, page, &user, errors, status).await,
    };
    let codes = super::replace_recovery_codes(&mut tx, user.id).await?;
    audit::record(
        &mut *tx,
        Entry::new("recovery_codes_replaced", Outcome::Success).by(user.id, user.role).on("user", user.id).from_ip(ip),
    )
    .await?;
    tx.commit().await?;
    let notice = page.t("second-factor-codes-replaced");
    codes_page(RecoveryCodesPage { page, codes, notice, next: PATH })
}

/// The recovery codes, shown once: no cache keeps them.
fn codes_page(page: RecoveryCodesPage) -> Result<Response, AppError> {
    let mut response = (StatusCode::OK, html(&page)?).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}
