//! `POST /admin/users/{id}/second-factor/reset`: someone lost their phone
//! and their recovery codes. After a confirmation page, their second factor
//! is removed and every session of theirs ends; a staff member's next
//! sign-in goes to enrolment (nothing but enrolling is possible), a
//! family's is the password alone until they turn it on again.
//!
//! Staff are listed on `/admin`; a family is found by email on
//! `/admin/second-factor` (a POST: an email is not for URLs and logs).

use crate::audit::{self, Entry, Outcome};
use crate::domain::{EmailAddress, Role, UserId};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::confirm::{self, Confirm};
use crate::web::extract::{Admin, ClientIp, Path};
use crate::web::forms::{Form, FormErrors};
use crate::web::page::{FlashKind, PageContext, flash_redirect, html};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tower_sessions::Session;

#[derive(Deserialize)]
pub struct ResetForm {
    confirmed: Option<String>,
}

/// Where the admin finds an account by email.
const FIND: &str = "/admin/second-factor";

#[derive(Template)]
#[template(path = "admin/second_factor.html")]
pub struct FindPage {
    page: PageContext,
    email: String,
    found: Option<Account>,
    /// The admin's own can't be reset here (see [`reset`]).
    me: UserId,
    errors: FormErrors,
}

/// The account an email named.
pub struct Account {
    id: UserId,
    full_name: String,
    role: Role,
    enrolled: bool,
}

pub async fn find_page(page: PageContext, Admin(admin): Admin) -> Result<Response, AppError> {
    let find = FindPage { page, email: String::new(), found: None, me: admin.id, errors: FormErrors::default() };
    Ok(html(&find)?.into_response())
}

#[derive(Deserialize)]
pub struct FindForm {
    #[serde(default)]
    email: String,
}

/// `POST /admin/second-factor`: the account with this email, and whether it
/// has a second factor to reset. No account: the page again (422), the
/// email kept.
pub async fn find(
    State(state): State<AppState>,
    page: PageContext,
    Admin(admin): Admin,
    Form(form): Form<FindForm>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::default();
    let found = match errors.check("email", EmailAddress::parse(&form.email)) {
        Some(email) => {
            sqlx::query_as!(
                Account,
                r#"select id as "id: UserId", full_name, role as "role: Role",
                      exists (select 1 from second_factors f where f.user_id = users.id) as "enrolled!"
               from users where email = $1"#,
                email.as_str()
            )
            .fetch_optional(&state.db)
            .await?
        }
        None => None,
    };
    if found.is_none() && errors.is_empty() {
        errors.add("email", "No account has this email. Check it with the person.");
    }
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, html(&FindPage { page, email: form.email, found, me: admin.id, errors })?).into_response())
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
    // Anyone's but the admin's own (they would lock themselves in enrolment).
    let Some(person) = sqlx::query!(
        r#"select full_name, role as "role: Role" from users where id = $1 and id <> $2"#,
        id as UserId,
        admin.id as UserId
    )
    .fetch_optional(&state.db)
    .await?
    else {
        return Err(AppError::NotFound);
    };
    let (name, family) = (person.full_name, person.role == Role::Family);
    // Back to where the admin found them.
    let back = if family { FIND } else { "/admin" };
    if !confirm::confirmed(&form.confirmed) {
        let next = if family {
            "They will sign in with their password alone until they turn two-step sign-in on again."
        } else {
            "At their next sign-in they must enrol again before they can reach anything."
        };
        return Confirm {
            page,
            title: format!("Reset the two-step sign-in of {name}?"),
            consequences: vec![
                "Their authenticator app and recovery codes stop working.".into(),
                "Every session of theirs ends now.".into(),
                next.into(),
            ],
            warnings: vec!["Only do this when you have confirmed who is asking (in person or by a call back).".into()],
            action: format!("/admin/users/{id}/second-factor/reset"),
            fields: vec![],
            reason: None,
            button: "Yes, reset it".into(),
            danger: true,
            back: back.into(),
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
    let message = match (removed, family) {
        (true, true) => format!("Two-step sign-in reset. {name} signs in with their password alone now."),
        (true, false) => format!("Two-step sign-in reset. {name} must enrol again at their next sign-in."),
        (false, _) => format!("{name} had no two-step sign-in; their sessions have ended."),
    };
    flash_redirect(&session, back, FlashKind::Success, message).await
}
