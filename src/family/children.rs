//! Adding and editing a child's profile.

use super::db::{self, ChildValues};
use crate::cases::db::CHILD_FROZEN;
use crate::domain::ChildId;
use crate::domain::child::{Sex, parse_date_of_birth, parse_name_part};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::extract::{Family, Path};
use crate::web::format::pacific_date;
use crate::web::forms::{Form, FormErrors};
use crate::web::page::{FlashKind, PageContext, flash_redirect, html};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tower_sessions::Session;

#[derive(Default, Deserialize)]
pub struct ChildForm {
    #[serde(default)]
    first_name: String,
    #[serde(default)]
    last_name: String,
    #[serde(default)]
    preferred_name: String,
    #[serde(default)]
    date_of_birth: String,
    #[serde(default)]
    sex: String,
    /// Where to go after saving: the case wizard sends people here and back.
    #[serde(default)]
    then: String,
}

#[derive(Template)]
#[template(path = "family/child_form.html")]
pub struct ChildFormPage {
    page: PageContext,
    action: String,
    heading: &'static str,
    form: ChildForm,
    errors: FormErrors,
    sexes: [Sex; 4],
    /// The child's name and date of birth can't change here (a case is in review).
    frozen: Option<&'static str>,
}

fn parse(form: &ChildForm, state: &AppState) -> Result<ChildValues, FormErrors> {
    let mut errors = FormErrors::default();
    let first_name = errors.check("first_name", parse_name_part(&form.first_name, "Enter the child's first name."));
    let last_name = errors.check("last_name", parse_name_part(&form.last_name, "Enter the child's last name."));
    let preferred_name = if form.preferred_name.trim().is_empty() {
        Some(None)
    } else {
        errors.check("preferred_name", parse_name_part(&form.preferred_name, "")).map(Some)
    };
    let today = pacific_date(state.clock.now());
    let date_of_birth = errors.check("date_of_birth", parse_date_of_birth(&form.date_of_birth, today));
    let sex = Sex::parse(&form.sex);
    if sex.is_none() {
        errors.add("sex", "Choose the child's sex, or \"Prefer not to say\".");
    }
    match (first_name, last_name, preferred_name, date_of_birth, sex) {
        (Some(first_name), Some(last_name), Some(preferred_name), Some(date_of_birth), Some(sex))
            if errors.is_empty() =>
        {
            Ok(ChildValues { first_name, last_name, preferred_name, date_of_birth, sex })
        }
        _ => Err(errors),
    }
}

#[derive(Deserialize)]
pub struct ThenQuery {
    #[serde(default)]
    then: String,
}

pub async fn new_child_form(page: PageContext, _: Family, Query(q): Query<ThenQuery>) -> Result<Response, AppError> {
    let form = ChildForm { then: q.then, ..ChildForm::default() };
    let page = ChildFormPage {
        page,
        action: "/family/children/new".into(),
        heading: "Add a child",
        form,
        errors: FormErrors::default(),
        sexes: Sex::ALL,
        frozen: None,
    };
    Ok(html(&page)?.into_response())
}

pub async fn add_child(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Family(user): Family,
    Form(form): Form<ChildForm>,
) -> Result<Response, AppError> {
    let values = match parse(&form, &state) {
        Ok(values) => values,
        Err(errors) => {
            let page = ChildFormPage {
                page,
                action: "/family/children/new".into(),
                heading: "Add a child",
                form,
                errors,
                sexes: Sex::ALL,
                frozen: None,
            };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)?).into_response());
        }
    };
    let child = db::insert_child(&state.db, user.id, &values).await?;
    crate::audit::record(
        &state.db,
        crate::audit::Entry::new("child_added", crate::audit::Outcome::Success)
            .by(user.id, user.role)
            .on("child", child),
    )
    .await?;
    let to = if form.then == "new-case" { "/family/cases/new" } else { "/family" };
    flash_redirect(&session, to, FlashKind::Success, format!("{} was added.", values.first_name)).await
}

pub async fn edit_child_form(
    State(state): State<AppState>,
    page: PageContext,
    Family(user): Family,
    Path(id): Path<ChildId>,
) -> Result<Response, AppError> {
    let child = db::child(&state.db, user.id, id).await?.ok_or(AppError::NotFound)?;
    let form = ChildForm {
        date_of_birth: child.dob().to_string(),
        sex: child.sex.as_str().to_owned(),
        first_name: child.first_name,
        last_name: child.last_name,
        preferred_name: child.preferred_name.unwrap_or_default(),
        then: String::new(),
    };
    let frozen = crate::cases::db::child_is_frozen(&state.db, id).await?.then_some(CHILD_FROZEN);
    let page = ChildFormPage {
        page,
        action: format!("/family/children/{id}"),
        heading: "Edit child's details",
        form,
        errors: FormErrors::default(),
        sexes: Sex::ALL,
        frozen,
    };
    Ok(html(&page)?.into_response())
}

pub async fn edit_child(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Family(user): Family,
    Path(id): Path<ChildId>,
    Form(form): Form<ChildForm>,
) -> Result<Response, AppError> {
    let current = db::child(&state.db, user.id, id).await?.ok_or(AppError::NotFound)?;
    let values = match parse(&form, &state) {
        Ok(values) => values,
        Err(errors) => {
            let page = ChildFormPage {
                page,
                action: format!("/family/children/{id}"),
                heading: "Edit child's details",
                form,
                errors,
                sexes: Sex::ALL,
                frozen: None,
            };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)?).into_response());
        }
    };
    match db::update_child(&state.db, user.id, id, &values).await {
        Ok(true) => {}
        Ok(false) => return Err(AppError::NotFound),
        // The database keeps the name and date of birth the specialist is reviewing under.
        Err(e) if crate::error::constraint_of(&e) == Some("children_frozen_in_review") => {
            let mut errors = FormErrors::default();
            let field = if values.first_name != current.first_name {
                "first_name"
            } else if values.last_name != current.last_name {
                "last_name"
            } else {
                "date_of_birth"
            };
            errors.add(field, "This can't be changed now: your care coordinator can correct it (see above).");
            let page = ChildFormPage {
                page,
                action: format!("/family/children/{id}"),
                heading: "Edit child's details",
                form,
                errors,
                sexes: Sex::ALL,
                frozen: Some(CHILD_FROZEN),
            };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)?).into_response());
        }
        Err(e) => return Err(e.into()),
    }
    crate::audit::record(
        &state.db,
        crate::audit::Entry::new("child_edited", crate::audit::Outcome::Success).by(user.id, user.role).on("child", id),
    )
    .await?;
    flash_redirect(&session, "/family", FlashKind::Success, "The child's details were saved.").await
}
