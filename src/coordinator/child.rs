//! Correcting a child's name or date of birth once they are frozen (a case
//! of theirs is in review): only a coordinator can, with a reason, and the
//! database keeps what they were (`child_corrections`, migration 0023).

use super::actions::back;
use crate::audit::{self, Entry, Outcome};
use crate::domain::child::{parse_date_of_birth, parse_name_part};
use crate::domain::text::CorrectionReason;
use crate::domain::{CaseId, ChildId, UserId};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::extract::{ClientIp, Coordinator, Path};
use crate::web::format::pacific_date;
use crate::web::forms::{Form, FormErrors};
use crate::web::page::{FlashKind, PageContext, flash_redirect, html};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff_sqlx::ToSqlx;
use serde::Deserialize;
use tower_sessions::Session;

#[derive(Default, Deserialize)]
pub struct CorrectionForm {
    #[serde(default)]
    first_name: String,
    #[serde(default)]
    last_name: String,
    #[serde(default)]
    date_of_birth: String,
    #[serde(default)]
    reason: String,
}

#[derive(Template)]
#[template(path = "coordinator/child.html")]
pub struct CorrectionPage {
    page: PageContext,
    case_id: CaseId,
    case_number: String,
    form: CorrectionForm,
    errors: FormErrors,
}

/// The case's child as it stands (the case must exist and not be a draft).
struct Child {
    id: ChildId,
    case_number: String,
    first_name: String,
    last_name: String,
    date_of_birth: jiff_sqlx::Date,
}

async fn child_of(conn: &mut sqlx::PgConnection, case: CaseId, lock: bool) -> Result<Child, AppError> {
    if lock {
        // The case row first, as every change to a case takes it.
        sqlx::query!("select id from cases where id = $1 for no key update", case as CaseId)
            .fetch_optional(&mut *conn)
            .await?;
    }
    sqlx::query_as!(
        Child,
        r#"select ch.id as "id: ChildId", c.case_number, ch.first_name, ch.last_name,
                  ch.date_of_birth as "date_of_birth: jiff_sqlx::Date"
           from cases c join children ch on ch.id = c.child_id
           where c.id = $1 and c.status <> 'draft'"#,
        case as CaseId
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)
}

pub async fn correction_form(
    State(state): State<AppState>,
    page: PageContext,
    Coordinator(me): Coordinator,
    Path(id): Path<CaseId>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let child = child_of(&mut conn, id, false).await?;
    audit::record(
        &mut *conn,
        Entry::new("view_child_details", Outcome::Success).by(me.id, me.role).on("child", child.id).case(id),
    )
    .await?;
    let form = CorrectionForm {
        first_name: child.first_name,
        last_name: child.last_name,
        date_of_birth: child.date_of_birth.to_jiff().to_string(),
        reason: String::new(),
    };
    let page =
        CorrectionPage { page, case_id: id, case_number: child.case_number, form, errors: FormErrors::default() };
    Ok(html(&page)?.into_response())
}

pub async fn correct(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Coordinator(me): Coordinator,
    ClientIp(ip): ClientIp,
    Path(id): Path<CaseId>,
    Form(form): Form<CorrectionForm>,
) -> Result<Response, AppError> {
    let now = state.clock.now();
    let mut errors = FormErrors::default();
    let first =
        errors.check("first_name", parse_name_part(&form.first_name, crate::i18n::Msg("child-first-name-missing")));
    let last = errors.check("last_name", parse_name_part(&form.last_name, crate::i18n::Msg("child-last-name-missing")));
    let dob = errors.check("date_of_birth", parse_date_of_birth(&form.date_of_birth, pacific_date(now)));
    let reason: Option<CorrectionReason> = errors.required_text(
        "reason",
        &form.reason,
        "The reason",
        "Say why the details are corrected, and who said so.",
    );
    let mut tx = state.db.begin().await?;
    let child = child_of(&mut tx, id, true).await?;
    let (Some(first), Some(last), Some(dob), Some(reason), true) = (first, last, dob, reason, errors.is_empty()) else {
        drop(tx);
        let page = CorrectionPage { page, case_id: id, case_number: child.case_number, form, errors };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)?).into_response());
    };
    // The correction row first: the freeze lets this transaction's update through.
    sqlx::query!(
        r#"insert into child_corrections (child_id, case_id, corrected_by, reason, old_first_name, old_last_name,
                                          old_date_of_birth, at)
           values ($1, $2, $3, $4, $5, $6, $7, $8)"#,
        child.id as ChildId,
        id as CaseId,
        me.id as UserId,
        reason.as_str(),
        child.first_name,
        child.last_name,
        child.date_of_birth as _,
        now.to_sqlx() as _
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "update children set first_name = $2, last_name = $3, date_of_birth = $4 where id = $1",
        child.id as ChildId,
        first,
        last,
        dob.to_sqlx() as _
    )
    .execute(&mut *tx)
    .await?;
    let entry =
        Entry::new("child_corrected", Outcome::Success).by(me.id, me.role).on("child", child.id).case(id).from_ip(ip);
    audit::record(&mut *tx, entry).await?;
    tx.commit().await?;
    flash_redirect(
        &session,
        &back(id),
        FlashKind::Success,
        "The child's details were corrected; the reason is on record.",
    )
    .await
}
