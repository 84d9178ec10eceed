//! `/specialist/profile`: the specialist's own entry in the directory, as
//! families read it once a case is sent to them (whether they take new
//! cases stays the admin's to set).

use crate::audit::{self, Entry, Outcome};
use crate::directory::{self, ProfileForm};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::extract::{ClientIp, Specialist};
use crate::web::forms::{Form, FormErrors};
use crate::web::page::{FlashKind, PageContext, flash_redirect, html};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

#[derive(Template)]
#[template(path = "specialist/profile.html")]
pub struct ProfilePage {
    page: PageContext,
    form: ProfileForm,
    errors: FormErrors,
}

pub async fn profile_page(
    State(state): State<AppState>,
    page: PageContext,
    Specialist(me): Specialist,
) -> Result<Response, AppError> {
    let profile = directory::profile(&state.db, me.id).await?.ok_or(AppError::NotFound)?;
    Ok(html(&ProfilePage { page, form: ProfileForm::of(&profile), errors: FormErrors::default() })?.into_response())
}

pub async fn save_profile(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Specialist(me): Specialist,
    ClientIp(ip): ClientIp,
    Form(form): Form<ProfileForm>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::default();
    let Some(profile) = form.parse(&mut errors) else {
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&ProfilePage { page, form, errors })?).into_response());
    };
    directory::update(&state.db, me.id, &profile, None).await?;
    let entry = Entry::new("specialist_profile_updated", Outcome::Success).by(me.id, me.role).on("user", me.id);
    audit::record(&state.db, entry.from_ip(ip)).await?;
    flash_redirect(&session, "/specialist/profile", FlashKind::Success, "Your profile is saved.").await
}
