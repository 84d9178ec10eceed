//! `/admin`: staff accounts. New staff get an emailed link to choose their
//! own password; nobody else ever knows it.

use super::db;
use crate::audit::{self, Entry, Outcome};
use crate::auth::password::unusable_hash;
use crate::auth::tokens::{self, Purpose};
use crate::domain::{EmailAddress, PersonName, Role, UserId};
use crate::error::AppError;
use crate::notify::{self, Email};
use crate::state::AppState;
use crate::web::extract::{Admin, ClientIp, Path};
use crate::web::forms::{Form, FormErrors};
use crate::web::page::{FlashKind, PageContext, flash_redirect, html};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::SignedDuration;
use serde::Deserialize;
use tower_sessions::Session;

#[derive(Template)]
#[template(path = "admin/staff.html")]
pub struct StaffPage {
    page: PageContext,
    staff: Vec<db::StaffRow>,
    me: UserId,
    form: NewStaffForm,
    errors: FormErrors,
    roles: [Role; 4],
}

#[derive(Default, Deserialize)]
pub struct NewStaffForm {
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    specialty: String,
}

pub async fn staff_page(
    State(state): State<AppState>,
    page: PageContext,
    Admin(admin): Admin,
) -> Result<Response, AppError> {
    render(&state, page, admin.id, NewStaffForm::default(), FormErrors::default(), StatusCode::OK).await
}

async fn render(
    state: &AppState,
    page: PageContext,
    me: UserId,
    form: NewStaffForm,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let staff = db::staff(&state.db).await?;
    Ok((status, html(&StaffPage { page, staff, me, form, errors, roles: Role::STAFF })?).into_response())
}

pub async fn create_staff(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Admin(admin): Admin,
    ClientIp(ip): ClientIp,
    Form(form): Form<NewStaffForm>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::default();
    let name = errors.check("full_name", PersonName::parse(&form.full_name));
    let email = errors.check("email", EmailAddress::parse(&form.email));
    let role = Role::parse(&form.role).filter(|r| r.is_staff());
    if role.is_none() {
        errors.add("role", "Choose the staff role.");
    }
    let specialty = form.specialty.trim();
    if role == Some(Role::Specialist) && !(1..=120).contains(&specialty.chars().count()) {
        errors.add("specialty", "Enter the specialist's specialty, for example Pediatric cardiology.");
    }
    let (Some(name), Some(email), Some(role), true) = (name, email, role, errors.is_empty()) else {
        return render(&state, page, admin.id, form, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let Some(id) = crate::auth::db::insert_user(&mut tx, &email, name.as_str(), role, &unusable_hash(), true).await?
    else {
        drop(tx);
        errors.add("email", "There is already an account with this email address.");
        return render(&state, page, admin.id, form, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    if role == Role::Specialist {
        db::add_specialist(&mut tx, id, specialty).await?;
    }
    let token = tokens::issue_for(&mut tx, id, Purpose::ResetPassword, now + SignedDuration::from_hours(24)).await?;
    let link = format!("{}/password-reset/new?token={token}", state.config.base_url);
    notify::enqueue_sealed(&mut tx, &state.outbox_key, now, email.as_str(), &Email::StaffInvite { link }).await?;
    audit::record(
        &mut *tx,
        Entry::new("account_created", Outcome::Success).by(admin.id, admin.role).on("user", id).from_ip(ip),
    )
    .await?;
    tx.commit().await?;
    flash_redirect(
        &session,
        "/admin",
        FlashKind::Success,
        format!("Account created. {} will get an email to choose a password.", name.as_str()),
    )
    .await
}

pub async fn disable(
    state: State<AppState>,
    session: Session,
    admin: Admin,
    ip: ClientIp,
    id: Path<UserId>,
) -> Result<Response, AppError> {
    set_disabled(state, session, admin, ip, id, true).await
}

pub async fn enable(
    state: State<AppState>,
    session: Session,
    admin: Admin,
    ip: ClientIp,
    id: Path<UserId>,
) -> Result<Response, AppError> {
    set_disabled(state, session, admin, ip, id, false).await
}

async fn set_disabled(
    State(state): State<AppState>,
    session: Session,
    Admin(admin): Admin,
    ClientIp(ip): ClientIp,
    Path(id): Path<UserId>,
    disabled: bool,
) -> Result<Response, AppError> {
    let mut tx = state.db.begin().await?;
    if !db::set_disabled(&mut tx, id, admin.id, disabled, state.clock.now()).await? {
        return Err(AppError::NotFound);
    }
    let action = if disabled { "account_disabled" } else { "account_enabled" };
    audit::record(&mut *tx, Entry::new(action, Outcome::Success).by(admin.id, admin.role).on("user", id).from_ip(ip))
        .await?;
    tx.commit().await?;
    let message = if disabled { "Account disabled. Its sessions have ended." } else { "Account enabled again." };
    flash_redirect(&session, "/admin", FlashKind::Success, message).await
}
