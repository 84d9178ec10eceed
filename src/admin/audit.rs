//! `/admin/audit`: the audit trail, newest first, filtered by person, case,
//! action and Pacific dates; and `/admin/audit/break-glass`, the
//! emergency openings of cases for the program to review.

use crate::cases::break_glass::{self, Opening};
use crate::domain::{BreakGlassId, CaseId, Role, UserId};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::extract::{Admin, Path, Query};
use crate::web::forms::FormErrors;
use crate::web::page::{FlashKind, PageContext, flash_redirect, html};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use jiff_sqlx::ToSqlx;
use serde::Deserialize;
use tower_sessions::Session;

/// Rows per page; older ones are a "next" link away.
const PAGE: i64 = 200;

/// The filters, as typed (kept on the page).
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct AuditQuery {
    person: String,
    case: String,
    action: String,
    from: String,
    to: String,
    before: Option<i64>,
}

impl AuditQuery {
    /// This query's link to the page after `last` (an audit row id).
    fn next(&self, last: i64) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in [("person", &self.person), ("case", &self.case), ("action", &self.action)] {
            s.append_pair(k, v.trim());
        }
        s.append_pair("from", self.from.trim()).append_pair("to", self.to.trim());
        s.append_pair("before", &last.to_string());
        format!("/admin/audit?{}", s.finish())
    }
}

/// One audit row with names for the ids.
pub struct AuditRow {
    pub id: i64,
    pub at: jiff_sqlx::Timestamp,
    pub actor_name: Option<String>,
    pub actor_email: Option<String>,
    pub actor_role: Option<Role>,
    pub action: String,
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    pub case_number: Option<String>,
    pub outcome: String,
    pub client_ip: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    page: PageContext,
    query: AuditQuery,
    rows: Vec<AuditRow>,
    next: Option<String>,
    errors: FormErrors,
}

/// A day typed in a date field (empty: no limit).
fn parse_day(raw: &str) -> Result<Option<jiff::civil::Date>, ()> {
    match raw.trim() {
        "" => Ok(None),
        raw => raw.parse().map(Some).map_err(|_| ()),
    }
}

fn pacific_midnight(day: jiff::civil::Date) -> Option<Timestamp> {
    day.to_zoned(crate::domain::business_days::time_zone().clone()).ok().map(|z| z.timestamp())
}

/// `GET /admin/audit`.
pub async fn audit_page(
    State(state): State<AppState>,
    page: PageContext,
    Admin(admin): Admin,
    Query(query): Query<AuditQuery>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::default();
    let mut conn = state.db.acquire().await?;
    let person = match query.person.trim() {
        "" => None,
        email => {
            let found =
                sqlx::query_scalar!(r#"select id as "id: UserId" from users where lower(email) = lower($1)"#, email)
                    .fetch_optional(&mut *conn)
                    .await?;
            if found.is_none() {
                errors.add("person", "No account has that email address.");
            }
            found
        }
    };
    let case = match query.case.trim() {
        "" => None,
        number => {
            let found =
                sqlx::query_scalar!(r#"select id as "id: CaseId" from cases where case_number = upper($1)"#, number)
                    .fetch_optional(&mut *conn)
                    .await?;
            if found.is_none() {
                errors.add("case", "No case has that number. Enter it whole, for example SO-2026-000123.");
            }
            found
        }
    };
    let from = parse_day(&query.from).unwrap_or_else(|()| {
        errors.add("from", "Enter the first day as a date, for example 2026-12-01.");
        None
    });
    let to = parse_day(&query.to).unwrap_or_else(|()| {
        errors.add("to", "Enter the last day as a date, for example 2026-12-31.");
        None
    });
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        errors.add("to", "The last day can't be before the first day.");
    }
    if !errors.is_empty() {
        let page = AuditPage { page, query, rows: Vec::new(), next: None, errors };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)?).into_response());
    }
    let since = from.and_then(pacific_midnight);
    let until = to.and_then(|d| d.tomorrow().ok()).and_then(pacific_midnight);
    let action = Some(query.action.trim()).filter(|a| !a.is_empty());
    let mut rows = sqlx::query_as!(
        AuditRow,
        r#"select a.id, a.at as "at: jiff_sqlx::Timestamp", u.full_name as "actor_name?", u.email as "actor_email?",
                  a.actor_role as "actor_role?: Role", a.action, a.entity_type, a.entity_id,
                  c.case_number as "case_number?", a.outcome, a.client_ip
           from audit_log a
           left join users u on u.id = a.actor_user_id
           left join cases c on c.id = a.case_id
           where ($1::uuid is null or a.actor_user_id = $1)
             and ($2::uuid is null or a.case_id = $2)
             and ($3::text is null or a.action = $3)
             and ($4::timestamptz is null or a.at >= $4)
             and ($5::timestamptz is null or a.at < $5)
             and ($6::bigint is null or a.id < $6)
           order by a.id desc
           limit $7"#,
        person as Option<UserId>,
        case as Option<CaseId>,
        action,
        since.map(|t| t.to_sqlx()) as _,
        until.map(|t| t.to_sqlx()) as _,
        query.before,
        PAGE + 1
    )
    .fetch_all(&mut *conn)
    .await?;
    // Reading the trail is itself on the trail.
    crate::audit::record(
        &mut *conn,
        crate::audit::Entry::new("view_audit_log", crate::audit::Outcome::Success).by(admin.id, admin.role),
    )
    .await?;
    let next = (rows.len() as i64 > PAGE).then(|| {
        rows.truncate(PAGE as usize);
        query.next(rows.last().map_or(0, |r| r.id))
    });
    Ok(html(&AuditPage { page, query, rows, next, errors })?.into_response())
}

#[derive(Template)]
#[template(path = "admin/audit_break_glass.html")]
struct BreakGlassPage {
    page: PageContext,
    openings: Vec<Opening>,
}

/// `GET /admin/audit/break-glass`: the emergency openings nobody has reviewed yet.
pub async fn break_glass_page(
    State(state): State<AppState>,
    page: PageContext,
    _: Admin,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let openings = break_glass::to_review(&mut conn).await?;
    Ok(html(&BreakGlassPage { page, openings })?.into_response())
}

/// `POST /admin/audit/break-glass/{id}/reviewed`.
pub async fn mark_reviewed(
    State(state): State<AppState>,
    session: Session,
    Admin(admin): Admin,
    Path(id): Path<BreakGlassId>,
) -> Result<Response, AppError> {
    let mut tx = state.db.begin().await?;
    if !break_glass::mark_reviewed(&mut tx, id, &admin, state.clock.now()).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    flash_redirect(&session, "/admin/audit/break-glass", FlashKind::Success, "Marked as reviewed.").await
}
