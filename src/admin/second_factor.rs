//! `POST /admin/users/{id}/second-factor/reset`: a staff member lost their
//! phone and their recovery codes. After a confirmation page, their second
//! factor is removed and every session of theirs ends; their next sign-in
//! goes to enrolment, where nothing but enrolling is possible.

use crate::audit::{self, Entry, Outcome};
use crate::domain::UserId;
use crate::error::AppError;
use crate::state::AppState;
use crate::web::confirm::{self, Confirm};
use crate::web::extract::{Admin, ClientIp, Path};
use crate::web::forms::Form;
use crate::web::page::{FlashKind, PageContext, flash_redirect};
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use tower_sessions::Session;

#[derive(Deserialize)]
pub struct ResetForm {
    confirmed: Option<String>,
}

pub async fn reset(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Admin(admin): Admin,
    ClientIp(ip): ClientIp,
    Path(id): Path<UserId>,
    Form(form): Form<ResetForm>,
) -> Result<Response, AppError> {
    // Staff only, and never the admin's own (they would lock themselves in enrolment).
    let Some(name) = sqlx::query_scalar!(
        "select full_name from users where id = $1 and role <> 'family' and id <> $2",
        id as UserId,
        admin.id as UserId
    )
    .fetch_optional(&state.db)
    .await?
    else {
        return Err(AppError::NotFound);
    };
    if !confirm::confirmed(&form.confirmed) {
        return Confirm {
            page,
            title: format!("Reset the two-step sign-in of {name}?"),
            consequences: vec![
                "Their authenticator app and recovery codes stop working.".into(),
                "Every session of theirs ends now.".into(),
                "At their next sign-in they must enrol again before they can reach anything.".into(),
            ],
            warnings: vec!["Only do this when you have confirmed who is asking (in person or by a call back).".into()],
            action: format!("/admin/users/{id}/second-factor/reset"),
            fields: vec![],
            reason: None,
            button: "Yes, reset it".into(),
            danger: true,
            back: "/admin".into(),
        }
        .render();
    }
    let mut tx = state.db.begin().await?;
    let removed = crate::auth::second_factor::remove(&mut tx, id).await?;
    // A new generation ends every session of theirs, half signed in or not.
    sqlx::query!("update users set session_generation = session_generation + 1 where id = $1", id as UserId)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut *tx,
        Entry::new("second_factor_reset", Outcome::Success).by(admin.id, admin.role).on("user", id).from_ip(ip),
    )
    .await?;
    tx.commit().await?;
    let message = if removed {
        format!("Two-step sign-in reset. {name} must enrol again at their next sign-in.")
    } else {
        format!("{name} had no two-step sign-in; their sessions have ended.")
    };
    flash_redirect(&session, "/admin", FlashKind::Success, message).await
}
