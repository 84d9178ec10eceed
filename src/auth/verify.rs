//! Email verification. The link opens a page with a button: the POST, not
//! the GET, uses the token up, so mail scanners that follow links can't.

use super::tokens::{self, Purpose};
use crate::audit::{self, Entry, Outcome};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::notify::{self, Email};
use crate::state::AppState;
use crate::web::extract::{ClientIp, CurrentUser, MaybeUser, Query};
use crate::web::forms::Form;
use crate::web::page::{FlashKind, PageContext, flash_redirect, html};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::SignedDuration;
use serde::Deserialize;
use tower_sessions::Session;

#[derive(Template)]
#[template(path = "auth/verify.html")]
pub struct ConfirmPage {
    page: PageContext,
    token: String,
}

#[derive(Template)]
#[template(path = "auth/link_invalid.html")]
pub struct LinkInvalidPage {
    page: PageContext,
    /// The message id saying which kind of link it was.
    what: &'static str,
}

impl LinkInvalidPage {
    pub fn new(page: PageContext, what: &'static str) -> Self {
        Self { page, what }
    }
}

#[derive(Deserialize)]
pub struct TokenParam {
    #[serde(default)]
    token: String,
}

pub async fn confirm_form(page: PageContext, Query(q): Query<TokenParam>) -> Result<Response, AppError> {
    Ok(html(&ConfirmPage { page, token: q.token })?.into_response())
}

pub async fn confirm(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    MaybeUser(user): MaybeUser,
    ClientIp(ip): ClientIp,
    Form(form): Form<TokenParam>,
) -> Result<Response, AppError> {
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let Some(user_id) = tokens::consume(&mut tx, &form.token, Purpose::VerifyEmail, now).await? else {
        drop(tx);
        let page = LinkInvalidPage { page, what: "link-invalid-confirmation" };
        return Ok((StatusCode::BAD_REQUEST, html(&page)?).into_response());
    };
    sqlx::query!(
        "update users set email_verified_at = coalesce(email_verified_at, $2) where id = $1",
        user_id as crate::domain::UserId,
        jiff_sqlx::ToSqlx::to_sqlx(now) as _
    )
    .execute(&mut *tx)
    .await?;
    audit::record(&mut *tx, Entry::new("email_verified", Outcome::Success).on("user", user_id).from_ip(ip)).await?;
    tx.commit().await?;
    let to = user.map_or("/login", |u| u.role.home());
    flash_redirect(&session, to, FlashKind::Success, page.t("verify-confirmed")).await
}

/// A signed-in family asks for a fresh link (at most 3 an hour).
pub async fn resend(
    State(state): State<AppState>,
    session: Session,
    user: CurrentUser,
    lang: Lang,
) -> Result<Response, AppError> {
    let home = user.role.home();
    if user.email_verified {
        return flash_redirect(&session, home, FlashKind::Info, lang.t("verify-already")).await;
    }
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    if tokens::issued_since(&mut tx, user.id, Purpose::VerifyEmail, now - SignedDuration::from_hours(1)).await? >= 3 {
        return flash_redirect(&session, home, FlashKind::Info, lang.t("verify-too-many")).await;
    }
    let token = tokens::issue(&mut tx, user.id, Purpose::VerifyEmail, now).await?;
    let link = format!("{}/verify-email?token={token}", state.config.base_url);
    notify::enqueue_sealed(&mut tx, &state.outbox_key, now, &user.email, &Email::VerifyEmail { link }).await?;
    tx.commit().await?;
    flash_redirect(&session, home, FlashKind::Success, lang.t("verify-resent")).await
}
