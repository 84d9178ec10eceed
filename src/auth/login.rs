//! `GET/POST /login` and `POST /logout`.

use super::{db, session, throttle};
use crate::audit::{self, Entry, Outcome};
use crate::domain::EmailAddress;
use crate::error::AppError;
use crate::state::AppState;
use crate::web::extract::{ClientIp, MaybeUser};
use crate::web::forms::{Form, FormErrors};
use crate::web::page::{PageContext, html};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode};
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
    let notice = q.reason.as_deref().and_then(session::reason_message);
    let next = q.next.filter(|n| safe_next(n)).unwrap_or_default();
    Ok(html(&LoginPage { page, email: String::new(), next, notice, errors: FormErrors::default() })?.into_response())
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
const NOT_RIGHT: &str = "The email or password is not right. Check them and try again, or reset your password.";

pub async fn log_in(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    ClientIp(ip): ClientIp,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    let now = state.clock.now();
    let next = if safe_next(&form.next) { form.next.clone() } else { String::new() };
    let again = |errors: FormErrors, status: StatusCode, page: PageContext| -> Result<Response, AppError> {
        let page = LoginPage { page, email: form.email.trim().to_owned(), next: next.clone(), notice: None, errors };
        Ok((status, html(&page)?).into_response())
    };
    let mut errors = FormErrors::default();
    let email = errors.check("email", EmailAddress::parse(&form.email));
    if form.password.is_empty() {
        errors.add("password", "Enter your password.");
    }
    let Some(email) = email.filter(|_| errors.is_empty()) else {
        return again(errors, StatusCode::UNPROCESSABLE_ENTITY, page);
    };

    if let Some(minutes) = throttle::blocked_for(&state.db, email.as_str(), ip.as_deref(), now).await? {
        tracing::warn!("sign-in throttled");
        audit::record(&state.db, Entry::new("login_throttled", Outcome::Denied).from_ip(ip.clone())).await?;
        errors.add("email", format!("Too many attempts to sign in. For your security, please wait {minutes} minutes and try again, or reset your password."));
        let mut response = again(errors, StatusCode::TOO_MANY_REQUESTS, page)?;
        response.headers_mut().insert("retry-after", HeaderValue::from(minutes * 60));
        return Ok(response);
    }

    let user = db::login_user(&state.db, &email).await?;
    let stored = user.as_ref().map(|u| u.password_hash.clone());
    let ok = state.hasher.verify(&form.password, stored).await?;
    let Some(user) = user.filter(|_| ok) else {
        throttle::record_failure(&state.db, email.as_str(), ip.as_deref(), now).await?;
        let known = db::user_id_by_email(&state.db, &email).await?;
        let entry = Entry::new("login", Outcome::Failure).from_ip(ip);
        let entry = match known {
            Some(id) => entry.on("user", id),
            None => entry,
        };
        audit::record(&state.db, entry).await?;
        errors.add("email", NOT_RIGHT);
        return again(errors, StatusCode::UNAUTHORIZED, page);
    };

    session::log_in(&session, user.id, user.session_generation, now).await?;
    audit::record(
        &state.db,
        Entry::new("login", Outcome::Success).by(user.id, user.role).on("user", user.id).from_ip(ip),
    )
    .await?;
    let to = if next.is_empty() { user.role.home() } else { next.as_str() };
    Ok(Redirect::to(to).into_response())
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
