//! `GET/POST /login` and `POST /logout`.

use super::throttle::{self, Limit, Verdict};
use super::{db, session};
use crate::audit::{self, Entry, Outcome};
use crate::domain::{EmailAddress, UserId};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::extract::{ClientIp, MaybeUser, Query};
use crate::web::forms::{Form, FormErrors};
use crate::web::page::{PageContext, html};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tower_sessions::Session;

#[derive(Template)]
#[template(path = "auth/login.html")]
pub struct LoginPage {
    page: PageContext,
    email: String,
    next: String,
    notice: Option<String>,
    errors: FormErrors,
}

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    reason: Option<String>,
}

pub async fn login_form(
    page: PageContext,
    MaybeUser(user): MaybeUser,
    Query(q): Query<LoginQuery>,
) -> Result<Response, AppError> {
    if let Some(user) = user {
        return Ok(Redirect::to(user.role.home()).into_response());
    }
    let notice = q.reason.as_deref().and_then(session::reason_message).map(|m| m.in_lang(page.lang));
    let next = q.next.filter(|n| safe_next(n)).unwrap_or_default();
    let errors = FormErrors::new(page.lang);
    Ok(html(&LoginPage { page, email: String::new(), next, notice, errors })?.into_response())
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// The one answer for an unknown email and a wrong password alike.
const NOT_RIGHT: crate::i18n::Msg = crate::i18n::Msg("login-not-right");

pub async fn log_in(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    let now = state.clock.now();
    let next = if safe_next(&form.next) { form.next.clone() } else { String::new() };
    let again = |errors: FormErrors, status: StatusCode, page: PageContext| -> Result<Response, AppError> {
        let page = LoginPage { page, email: form.email.trim().to_owned(), next: next.clone(), notice: None, errors };
        Ok((status, html(&page)?).into_response())
    };
    let mut errors = FormErrors::new(page.lang);
    let email = errors.check("email", EmailAddress::parse(&form.email));
    if form.password.is_empty() {
        errors.add("password", crate::i18n::Msg("login-password-missing"));
    }
    let Some(email) = email.filter(|_| errors.is_empty()) else {
        return again(errors, StatusCode::UNPROCESSABLE_ENTITY, page);
    };

    // Who it would be (and whether this browser has signed them in before)
    // decides which limits apply; the password is checked only after the
    // attempt is counted.
    let user = db::login_user(&state.db, &email).await?;
    let known_device = user.as_ref().is_some_and(|u| recognised_device(&state, &headers, u.id));
    let reserved = match throttle::reserve_sign_in(&state.db, email.as_str(), ip.as_deref(), known_device, now).await? {
        Verdict::Go(reserved) => reserved,
        Verdict::Wait { minutes, by } => {
            let episode = match by {
                Limit::Account => format!("account:{}", email.as_str()),
                Limit::Network => format!("network:{}", ip.as_deref().map(throttle::network).unwrap_or_default()),
            };
            if state.throttled.first(&episode, now) {
                tracing::warn!(limit = ?by, "sign-in throttled");
                let entry = Entry::new("login_throttled", Outcome::Denied).from_ip(ip.clone());
                let entry = match (&user, by) {
                    (Some(u), Limit::Account) => entry.on("user", u.id),
                    _ => entry,
                };
                audit::record(&state.db, entry).await?;
            }
            errors.add("email", page.t1("login-throttled", "minutes", minutes));
            let mut response = again(errors, StatusCode::TOO_MANY_REQUESTS, page)?;
            response.headers_mut().insert("retry-after", HeaderValue::from(minutes * 60));
            return Ok(response);
        }
    };

    let stored = user.as_ref().map(|u| u.password_hash.clone());
    let ok = match state.hasher.verify(&form.password, stored).await {
        Ok(ok) => ok,
        Err(e) => {
            // Not checked (the hashers were busy): not a failure either.
            throttle::release(&state.db, reserved).await?;
            return Err(e);
        }
    };
    let known = user.as_ref().map(|u| u.id);
    let Some(user) = user.filter(|_| ok) else {
        let entry = Entry::new("login", Outcome::Failure).from_ip(ip);
        let entry = match known {
            Some(id) => entry.on("user", id),
            None => entry,
        };
        audit::record(&state.db, entry).await?;
        errors.add("email", NOT_RIGHT);
        return again(errors, StatusCode::UNAUTHORIZED, page);
    };

    throttle::release(&state.db, reserved).await?;
    if super::second_factor::enrolled(&state.db, user.id).await? {
        // Half signed in: the code comes next, and this session reaches nothing until it does.
        let step = session::SecondStep { user_id: user.id, generation: user.session_generation, at: now, next };
        session::begin_second_step(&session, step).await?;
        audit::record(
            &state.db,
            Entry::new("login_password", Outcome::Success).by(user.id, user.role).on("user", user.id).from_ip(ip),
        )
        .await?;
        return Ok(Redirect::to(super::second_factor::challenge::PATH).into_response());
    }
    session::log_in(&session, user.id, user.session_generation, now, false).await?;
    audit::record(
        &state.db,
        Entry::new("login", Outcome::Success).by(user.id, user.role).on("user", user.id).from_ip(ip),
    )
    .await?;
    let to = if next.is_empty() { user.role.home() } else { next.as_str() };
    let mut response = Redirect::to(to).into_response();
    remember_device(&state, &mut response, user.id);
    Ok(response)
}

/// How long a browser is remembered as one its person signed in on.
const DEVICE_DAYS: i64 = 90;

fn device_cookie_name(state: &AppState) -> &'static str {
    if state.config.https() { "__Host-so_device" } else { "so_device" }
}

/// This browser signed `user` in before: it carries the mark only we can make.
pub(super) fn recognised_device(state: &AppState, headers: &HeaderMap, user: UserId) -> bool {
    use subtle::ConstantTimeEq;
    let mark = state.config.secret_key.sign("device-cookie", user.0.as_bytes());
    crate::web::extract::cookie(headers, device_cookie_name(state))
        .is_some_and(|sent| bool::from(sent.as_bytes().ct_eq(mark.as_bytes())))
}

/// Remembers this browser for `user`: the per-network sign-in limit won't
/// stop them here (their account's own limit still does).
pub(super) fn remember_device(state: &AppState, response: &mut Response, user: UserId) {
    let mark = state.config.secret_key.sign("device-cookie", user.0.as_bytes());
    let secure = if state.config.https() { "; Secure" } else { "" };
    let cookie = format!(
        "{}={mark}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax{secure}",
        device_cookie_name(state),
        DEVICE_DAYS * 24 * 3600
    );
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

pub async fn log_out(
    State(state): State<AppState>,
    session: Session,
    MaybeUser(user): MaybeUser,
    ClientIp(ip): ClientIp,
) -> Result<Response, AppError> {
    if let Some(user) = user {
        audit::record(
            &state.db,
            Entry::new("logout", Outcome::Success).by(user.id, user.role).on("user", user.id).from_ip(ip),
        )
        .await?;
    }
    session::log_out(&session).await?;
    let mut response = Redirect::to("/login?reason=signed_out").into_response();
    response.headers_mut().insert("clear-site-data", HeaderValue::from_static("\"cache\", \"storage\""));
    Ok(response)
}

/// Only same-site paths: `/family/…`, never `//evil.example` or `/\evil`.
pub fn safe_next(next: &str) -> bool {
    next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(|c| c.is_control() || c == '\\')
        && next.len() <= 512
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_must_stay_on_this_site() {
        assert!(safe_next("/family/cases/1?tab=timeline"));
        for bad in ["https://evil.example", "//evil.example", "/\\evil.example", "", "family", "/a\r\nSet-Cookie: x"] {
            assert!(!safe_next(bad), "{bad:?}");
        }
    }
}
