//! How many emails a family wants: at every step of their case, or only
//! when they need to act or something is ready for them. Account emails
//! (confirming the address, passwords) and receipts always come.

use crate::audit::{self, Entry, Outcome};
use crate::domain::{EmailUpdates, UserId};
use crate::error::AppError;
use crate::i18n::Msg;
use crate::state::AppState;
use crate::web::extract::{ClientIp, Family};
use crate::web::forms::{Form, FormErrors};
use crate::web::page::{FlashKind, PageContext, flash_redirect, html};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

#[derive(Template)]
#[template(path = "family/emails.html")]
pub struct EmailsPage {
    page: PageContext,
    chosen: Option<EmailUpdates>,
    choices: [EmailUpdates; 2],
    errors: FormErrors,
}

impl EmailsPage {
    pub fn is_chosen(&self, e: &EmailUpdates) -> bool {
        self.chosen == Some(*e)
    }
}

pub async fn emails_page(
    State(state): State<AppState>,
    page: PageContext,
    Family(user): Family,
) -> Result<Response, AppError> {
    let chosen =
        sqlx::query_scalar!(r#"select email_updates as "e: EmailUpdates" from users where id = $1"#, user.id as UserId)
            .fetch_one(&state.db)
            .await?;
    let page = EmailsPage { page, chosen: Some(chosen), choices: EmailUpdates::ALL, errors: FormErrors::default() };
    Ok(html(&page)?.into_response())
}

#[derive(serde::Deserialize)]
pub struct EmailsForm {
    #[serde(default)]
    email_updates: String,
}

pub async fn save_emails(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Family(user): Family,
    ClientIp(ip): ClientIp,
    Form(form): Form<EmailsForm>,
) -> Result<Response, AppError> {
    let Some(chosen) = EmailUpdates::parse(&form.email_updates) else {
        let mut errors = FormErrors::new(page.lang);
        errors.add("email_updates", Msg("emails-choose"));
        let page = EmailsPage { page, chosen: None, choices: EmailUpdates::ALL, errors };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)?).into_response());
    };
    sqlx::query!("update users set email_updates = $2 where id = $1", user.id as UserId, chosen as EmailUpdates)
        .execute(&state.db)
        .await?;
    let entry = Entry::new("email_preference_changed", Outcome::Success).by(user.id, user.role).on("user", user.id);
    audit::record(&state.db, entry.from_ip(ip)).await?;
    flash_redirect(&session, "/family/emails", FlashKind::Success, page.t("emails-saved")).await
}
