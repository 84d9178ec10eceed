//! The clinician's side: follow-up calls that are due, and their cases.

use crate::domain::{CaseId, CaseStatus, UserId};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::extract::Clinician;
use crate::web::format::date_time;
use crate::web::page::{PageContext, html};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use time::OffsetDateTime;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
}

pub struct ClinicianCase {
    pub id: CaseId,
    pub case_number: String,
    pub status: CaseStatus,
    pub child_name: String,
    pub opinion_delivered_at: Option<OffsetDateTime>,
    pub call_done: bool,
}

impl ClinicianCase {
    pub fn delivered(&self) -> String {
        self.opinion_delivered_at.map(date_time).unwrap_or_default()
    }
}

#[derive(Template)]
#[template(path = "clinician/home.html")]
struct HomePage {
    page: PageContext,
    calls_due: Vec<ClinicianCase>,
    cases: Vec<ClinicianCase>,
}

async fn home(
    State(state): State<AppState>,
    page: PageContext,
    Clinician(me): Clinician,
) -> Result<Html<String>, AppError> {
    let all = sqlx::query_as!(
        ClinicianCase,
        r#"select c.id as "id: CaseId", c.case_number, c.status as "status: CaseStatus",
                  ch.first_name || ' ' || ch.last_name as "child_name!", c.opinion_delivered_at,
                  exists (select 1 from follow_up_calls f where f.case_id = c.id and f.completed_at is not null) as "call_done!"
           from cases c join children ch on ch.id = c.child_id
           where c.clinician_id = $1 and c.status not in ('closed', 'cancelled')
           order by c.opinion_delivered_at nulls last, c.created_at"#,
        me.id as UserId
    )
    .fetch_all(&state.db)
    .await?;
    let (calls_due, cases): (Vec<_>, Vec<_>) =
        all.into_iter().partition(|c| c.status == CaseStatus::OpinionDelivered && !c.call_done);
    html(&HomePage { page, calls_due, cases })
}
