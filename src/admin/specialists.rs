//! `/admin/specialists`: the directory coordinators choose from.

use super::db;
use crate::audit::{self, Entry, Outcome};
use crate::domain::UserId;
use crate::domain::text::Specialty;
use crate::error::AppError;
use crate::state::AppState;
use crate::web::extract::{Admin, ClientIp, Path};
use crate::web::forms::Form;
use crate::web::page::{FlashKind, PageContext, flash_redirect, html};
use askama::Template;
use axum::extract::State;
use axum::response::{Html, Response};
use serde::Deserialize;
use tower_sessions::Session;

#[derive(Template)]
#[template(path = "admin/specialists.html")]
pub struct SpecialistsPage {
    page: PageContext,
    specialists: Vec<db::SpecialistRow>,
}

pub async fn specialists_page(
    State(state): State<AppState>,
    page: PageContext,
    _: Admin,
) -> Result<Html<String>, AppError> {
    let specialists = db::specialists(&state.db).await?;
    html(&SpecialistsPage { page, specialists })
}

#[derive(Deserialize)]
pub struct SpecialistForm {
    #[serde(default)]
    specialty: String,
    /// A checkbox: present ("on") when ticked, absent otherwise.
    accepting_cases: Option<String>,
}

pub async fn update_specialist(
    State(state): State<AppState>,
    session: Session,
    Admin(admin): Admin,
    ClientIp(ip): ClientIp,
    Path(id): Path<UserId>,
    Form(form): Form<SpecialistForm>,
) -> Result<Response, AppError> {
    let Ok(specialty) = Specialty::parse_required(&form.specialty) else {
        return flash_redirect(
            &session,
            "/admin/specialists",
            FlashKind::Error,
            "Nothing was changed: the specialty must be 1 to 120 characters of plain text.",
        )
        .await;
    };
    if !db::update_specialist(&state.db, id, specialty.as_str(), form.accepting_cases.is_some()).await? {
        return Err(AppError::NotFound);
    }
    audit::record(
        &state.db,
        Entry::new("specialist_updated", Outcome::Success).by(admin.id, admin.role).on("user", id).from_ip(ip),
    )
    .await?;
    flash_redirect(&session, "/admin/specialists", FlashKind::Success, "Specialist updated.").await
}
