//! Adding and editing a child's profile.

use super::db::{self, ChildValues};
use crate::domain::child::{Sex, parse_date_of_birth, parse_name_part};
use crate::domain::{ChildId, Relationship};
use crate::error::AppError;
use crate::i18n::Msg;
use crate::state::AppState;
use crate::web::extract::{Family, Path, Query};
use crate::web::format::pacific_date;
use crate::web::forms::{Form, FormErrors};
use crate::web::page::{FlashKind, PageContext, flash_redirect, html};
use askama::Template;
use axum::extract::State;
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
    /// Adding a child: who the person is to them, and their confirmation.
    #[serde(default)]
    pub(super) relationship: String,
    #[serde(default)]
    pub(super) confirm_guardian: String,
}

/// The relationships a guardian can have (the database agrees).
pub const GUARDIAN_RELATIONSHIPS: [Relationship; 2] = [Relationship::Parent, Relationship::LegalGuardian];

/// The guardian's own answer: who they are to the child, confirmed.
pub(super) fn parse_guardian(relationship: &str, confirmed: &str, errors: &mut FormErrors) -> Option<Relationship> {
    let relationship = GUARDIAN_RELATIONSHIPS.into_iter().find(|r| r.as_str() == relationship);
    if relationship.is_none() {
        errors.add("relationship", Msg("child-relationship-missing"));
    }
    if confirmed != "yes" {
        errors.add("confirm_guardian", Msg("child-confirm-missing"));
    }
    relationship.filter(|_| confirmed == "yes")
}

#[derive(Template)]
#[template(path = "family/child_form.html")]
pub struct ChildFormPage {
    page: PageContext,
    action: String,
    /// The heading's message id.
    heading: &'static str,
    form: ChildForm,
    errors: FormErrors,
    sexes: [Sex; 4],
    /// Adding (who the person is to the child is asked), not editing.
    adding: bool,
    relationships: [Relationship; 2],
    /// The child's name and date of birth can't change here (a case is in review).
    frozen: bool,
}

impl ChildFormPage {
    fn new(page: PageContext, action: String, form: ChildForm, errors: FormErrors, adding: bool, frozen: bool) -> Self {
        let heading = if adding { "child-add-title" } else { "child-edit-title" };
        let relationships = GUARDIAN_RELATIONSHIPS;
        ChildFormPage { page, action, heading, form, errors, sexes: Sex::ALL, adding, relationships, frozen }
    }
}

/// The child's fields, their refusals added to `errors`.
fn parse(form: &ChildForm, state: &AppState, errors: &mut FormErrors) -> Option<ChildValues> {
    let first_name = errors.check("first_name", parse_name_part(&form.first_name, Msg("child-first-name-missing")));
    let last_name = errors.check("last_name", parse_name_part(&form.last_name, Msg("child-last-name-missing")));
    let preferred_name = if form.preferred_name.trim().is_empty() {
        Some(None)
    } else {
        errors.check("preferred_name", parse_name_part(&form.preferred_name, Msg("child-first-name-missing"))).map(Some)
    };
    let today = pacific_date(state.clock.now());
    let date_of_birth = errors.check("date_of_birth", parse_date_of_birth(&form.date_of_birth, today));
    let sex = Sex::parse(&form.sex);
    if sex.is_none() {
        errors.add("sex", Msg("child-sex-missing"));
    }
    match (first_name, last_name, preferred_name, date_of_birth, sex) {
        (Some(first_name), Some(last_name), Some(preferred_name), Some(date_of_birth), Some(sex)) => {
            Some(ChildValues { first_name, last_name, preferred_name, date_of_birth, sex })
        }
        _ => None,
    }
}

#[derive(Deserialize)]
pub struct ThenQuery {
    #[serde(default)]
    then: String,
}

pub async fn new_child_form(page: PageContext, _: Family, Query(q): Query<ThenQuery>) -> Result<Response, AppError> {
    let form = ChildForm { then: q.then, ..ChildForm::default() };
    let errors = FormErrors::new(page.lang);
    let page = ChildFormPage::new(page, "/family/children/new".into(), form, errors, true, false);
    Ok(html(&page)?.into_response())
}

pub async fn add_child(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Family(user): Family,
    Form(form): Form<ChildForm>,
) -> Result<Response, AppError> {
    let lang = page.lang;
    let mut errors = FormErrors::new(lang);
    let values = parse(&form, &state, &mut errors);
    let relationship = parse_guardian(&form.relationship, &form.confirm_guardian, &mut errors);
    let (Some(values), Some(relationship)) = (values, relationship) else {
        let page = ChildFormPage::new(page, "/family/children/new".into(), form, errors, true, false);
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)?).into_response());
    };
    let child = db::insert_child(&state.db, user.id, &values, relationship, state.clock.now()).await?;
    crate::audit::record(
        &state.db,
        crate::audit::Entry::new("child_added", crate::audit::Outcome::Success)
            .by(user.id, user.role)
            .on("child", child),
    )
    .await?;
    let to = if form.then == "new-case" { "/family/cases/new" } else { "/family" };
    flash_redirect(&session, to, FlashKind::Success, lang.t1("child-added", "name", &values.first_name)).await
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
        ..ChildForm::default()
    };
    let frozen = crate::cases::db::child_is_frozen(&state.db, id).await?;
    let errors = FormErrors::new(page.lang);
    let page = ChildFormPage::new(page, format!("/family/children/{id}"), form, errors, false, frozen);
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
    let lang = page.lang;
    let mut errors = FormErrors::new(lang);
    let Some(values) = parse(&form, &state, &mut errors) else {
        let page = ChildFormPage::new(page, format!("/family/children/{id}"), form, errors, false, false);
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)?).into_response());
    };
    match db::update_child(&state.db, user.id, id, &values).await {
        Ok(true) => {}
        Ok(false) => return Err(AppError::NotFound),
        // The database keeps the name and date of birth the specialist is reviewing under.
        Err(e) if crate::error::constraint_of(&e) == Some("children_frozen_in_review") => {
            let mut errors = FormErrors::new(lang);
            let field = if values.first_name != current.first_name {
                "first_name"
            } else if values.last_name != current.last_name {
                "last_name"
            } else {
                "date_of_birth"
            };
            errors.add(field, Msg("child-frozen-field"));
            let page = ChildFormPage::new(page, format!("/family/children/{id}"), form, errors, false, true);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)?).into_response());
        }
        Err(e) => return Err(e.into()),
    }
    crate::audit::record(
        &state.db,
        crate::audit::Entry::new("child_edited", crate::audit::Outcome::Success).by(user.id, user.role).on("child", id),
    )
    .await?;
    flash_redirect(&session, "/family", FlashKind::Success, lang.t("child-saved")).await
}
