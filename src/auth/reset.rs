//! Password reset by email. The reply never says whether an account exists.

use super::db;
use super::tokens::{self, Purpose};
use crate::audit::{self, Entry, Outcome};
use crate::domain::{EmailAddress, NewPassword};
use crate::error::AppError;
use crate::notify::{self, Email};
use crate::state::AppState;
use crate::web::extract::{ClientIp, Query};
use crate::web::forms::{Form, FormErrors};
use crate::web::page::{PageContext, html};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use jiff::SignedDuration;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "auth/reset_request.html")]
pub struct RequestPage {
    page: PageContext,
    email: String,
    errors: FormErrors,
}

pub async fn request_form(page: PageContext) -> Result<Html<String>, AppError> {
    let errors = FormErrors::new(page.lang);
    html(&RequestPage { page, email: String::new(), errors })
}

#[derive(Deserialize)]
pub struct RequestForm {
    #[serde(default)]
    email: String,
}

pub async fn request(
    State(state): State<AppState>,
    page: PageContext,
    ClientIp(ip): ClientIp,
    Form(form): Form<RequestForm>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::new(page.lang);
    let Some(email) = errors.check("email", EmailAddress::parse(&form.email)) else {
        let page = RequestPage { page, email: form.email.trim().to_owned(), errors };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)?).into_response());
    };
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    if let Some(user) = db::user_id_by_email(&mut *tx, &email).await? {
        // A few links per quarter hour are plenty; more would be a mail bomb.
        if tokens::issued_since(&mut tx, user, Purpose::ResetPassword, now - SignedDuration::from_mins(15)).await? < 3 {
            let token = tokens::issue(&mut tx, user, Purpose::ResetPassword, now).await?;
            let link = format!("{}/password-reset/new?token={token}", state.config.base_url);
            notify::enqueue_sealed(&mut tx, &state.outbox_key, now, email.as_str(), &Email::ResetPassword { link })
                .await?;
            audit::record(
                &mut *tx,
                Entry::new("password_reset_requested", Outcome::Success).on("user", user).from_ip(ip),
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(Redirect::to("/password-reset/sent").into_response())
}

#[derive(Template)]
#[template(path = "auth/reset_sent.html")]
pub struct SentPage {
    page: PageContext,
}

pub async fn sent(page: PageContext) -> Result<Html<String>, AppError> {
    html(&SentPage { page })
}

#[derive(Template)]
#[template(path = "auth/reset_new.html")]
pub struct NewPasswordPage {
    page: PageContext,
    token: String,
    errors: FormErrors,
}

#[derive(Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

pub async fn new_password_form(
    State(state): State<AppState>,
    page: PageContext,
    Query(q): Query<TokenQuery>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    if tokens::peek(&mut conn, &q.token, Purpose::ResetPassword, state.clock.now()).await?.is_none() {
        return invalid(page);
    }
    let errors = FormErrors::new(page.lang);
    Ok(html(&NewPasswordPage { page, token: q.token, errors })?.into_response())
}

#[derive(Deserialize)]
pub struct NewPasswordForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
}

pub async fn set_new_password(
    State(state): State<AppState>,
    page: PageContext,
    ClientIp(ip): ClientIp,
    Form(form): Form<NewPasswordForm>,
) -> Result<Response, AppError> {
    let now = state.clock.now();
    let mut errors = FormErrors::new(page.lang);
    let password = errors.check("password", NewPassword::parse(&form.password));
    let Some(password) = password else {
        // The token stays unused, so the person can try another password.
        let mut conn = state.db.acquire().await?;
        if tokens::peek(&mut conn, &form.token, Purpose::ResetPassword, now).await?.is_none() {
            return invalid(page);
        }
        let page = NewPasswordPage { page, token: form.token, errors };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)?).into_response());
    };
    let phc = state.hasher.hash(password.expose()).await?;
    let mut tx = state.db.begin().await?;
    let Some(user) = tokens::consume(&mut tx, &form.token, Purpose::ResetPassword, now).await? else {
        return invalid(page);
    };
    db::set_password(&mut tx, user, &phc).await?;
    // Following the link proved the mailbox is theirs.
    sqlx::query!(
        "update users set email_verified_at = coalesce(email_verified_at, $2) where id = $1",
        user as crate::domain::UserId,
        jiff_sqlx::ToSqlx::to_sqlx(now) as _
    )
    .execute(&mut *tx)
    .await?;
    let email = db::email_of(&mut *tx, user).await?;
    notify::enqueue(&mut tx, now, &email, &Email::PasswordChanged).await?;
    audit::record(&mut *tx, Entry::new("password_reset", Outcome::Success).on("user", user).from_ip(ip)).await?;
    tx.commit().await?;
    Ok(Redirect::to("/login?reason=password_reset").into_response())
}

fn invalid(page: PageContext) -> Result<Response, AppError> {
    let page = super::verify::LinkInvalidPage::new(page, "link-invalid-reset");
    Ok((StatusCode::BAD_REQUEST, html(&page)?).into_response())
}
