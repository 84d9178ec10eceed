//! `/admin/specialists`: the directory coordinators choose from, and the
//! profile families read (credentials, clinical focus), through `directory`.

use super::db;
use crate::audit::{self, Entry, Outcome};
use crate::directory::{self, ProfileForm};
use crate::domain::UserId;
use crate::error::AppError;
use crate::state::AppState;
use crate::web::extract::{Admin, ClientIp, Path};
use crate::web::forms::{Form, FormErrors};
use crate::web::page::{FlashKind, PageContext, flash_redirect, html};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tower_sessions::Session;

#[derive(Template)]
#[template(path = "admin/specialists.html")]
pub struct SpecialistsPage {
    page: PageContext,
    specialists: Vec<db::SpecialistRow>,
    /// A refused change: whose, what was typed, why.
    refused: Option<(UserId, ProfileForm, FormErrors)>,
}

impl SpecialistsPage {
    pub fn form_for(&self, s: &db::SpecialistRow) -> ProfileForm {
        match &self.refused {
            Some((id, form, _)) if *id == s.id => form.clone(),
            _ => ProfileForm {
                specialty: s.specialty.clone(),
                credentials: s.credentials.clone(),
                clinical_focus: s.clinical_focus.clone(),
            },
        }
    }
    pub fn error_for(&self, s: &db::SpecialistRow, field: &str) -> Option<&str> {
        match &self.refused {
            Some((id, _, errors)) if *id == s.id => errors.get(field),
            _ => None,
        }
    }
}

pub async fn specialists_page(
    State(state): State<AppState>,
    page: PageContext,
    _: Admin,
) -> Result<Response, AppError> {
    let specialists = db::specialists(&state.db).await?;
    Ok(html(&SpecialistsPage { page, specialists, refused: None })?.into_response())
}

#[derive(Deserialize)]
pub struct SpecialistForm {
    #[serde(flatten)]
    profile: ProfileForm,
    /// A checkbox: present ("on") when ticked, absent otherwise.
    accepting_cases: Option<String>,
}

pub async fn update_specialist(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Admin(admin): Admin,
    ClientIp(ip): ClientIp,
    Path(id): Path<UserId>,
    Form(form): Form<SpecialistForm>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::default();
    let Some(profile) = form.profile.parse(&mut errors) else {
        let specialists = db::specialists(&state.db).await?;
        let page = SpecialistsPage { page, specialists, refused: Some((id, form.profile, errors)) };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)?).into_response());
    };
    directory::update(&state.db, id, &profile, Some(form.accepting_cases.is_some())).await?;
    audit::record(
        &state.db,
        Entry::new("specialist_updated", Outcome::Success).by(admin.id, admin.role).on("user", id).from_ip(ip),
    )
    .await?;
    flash_redirect(&session, "/admin/specialists", FlashKind::Success, "Specialist updated.").await
}
