//! `/account`: who you are, and changing your password (which needs the
//! current one and ends every other session).

use super::{db, session};
use crate::audit::{self, Entry, Outcome};
use crate::domain::NewPassword;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::notify::{self, Email};
use crate::state::AppState;
use crate::web::extract::{ClientIp, CurrentUser};
use crate::web::forms::{Form, FormErrors};
use crate::web::page::{FlashKind, PageContext, flash_redirect, html};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use tower_sessions::Session;

#[derive(Template)]
#[template(path = "auth/account.html")]
pub struct AccountPage {
    page: PageContext,
    user: CurrentUser,
    idle_minutes: i64,
}

pub async fn account_page(page: PageContext, user: CurrentUser) -> Result<Html<String>, AppError> {
    let idle_minutes = session::idle_minutes(user.role);
    html(&AccountPage { page, user, idle_minutes })
}

#[derive(Template)]
#[template(path = "auth/change_password.html")]
pub struct ChangePasswordPage {
    page: PageContext,
    errors: FormErrors,
}

pub async fn change_password_form(page: PageContext, _user: CurrentUser) -> Result<Html<String>, AppError> {
    let errors = FormErrors::new(page.lang);
    html(&ChangePasswordPage { page, errors })
}

#[derive(Deserialize)]
pub struct ChangePasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    Form(form): Form<ChangePasswordForm>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::new(page.lang);
    let stored = db::password_hash(&state.db, user.id).await?;
    if !state.hasher.verify(&form.current_password, Some(stored)).await? {
        errors.add("current_password", Msg("password-current-wrong"));
        audit::record(
            &state.db,
            Entry::new("password_change", Outcome::Failure)
                .by(user.id, user.role)
                .on("user", user.id)
                .from_ip(ip.clone()),
        )
        .await?;
    }
    let new = errors.check("new_password", NewPassword::parse(&form.new_password));
    let (Some(new), true) = (new, errors.is_empty()) else {
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&ChangePasswordPage { page, errors })?).into_response());
    };
    let phc = state.hasher.hash(new.expose()).await?;
    let mut tx = state.db.begin().await?;
    let generation = db::set_password(&mut tx, user.id, &phc).await?;
    notify::enqueue(&mut tx, state.clock.now(), &user.email, &Email::PasswordChanged).await?;
    audit::record(
        &mut *tx,
        Entry::new("password_change", Outcome::Success).by(user.id, user.role).on("user", user.id).from_ip(ip),
    )
    .await?;
    tx.commit().await?;
    session::adopt_generation(&session, generation).await?;
    flash_redirect(&session, "/account", FlashKind::Success, page.t("password-changed")).await
}
