//! The family's dashboard: each child with their cases, status, next step
//! and expected dates.

use super::db;
use super::progress::{Situation, situations};
use crate::domain::CaseStatus;
use crate::error::AppError;
use crate::state::AppState;
use crate::web::extract::Family;
use crate::web::page::{PageContext, html};
use askama::Template;
use axum::extract::State;
use axum::response::Html;

pub struct ChildView {
    pub child: db::ChildRow,
    pub age: i16,
    pub cases: Vec<CaseView>,
}

pub struct CaseView {
    pub case: db::CaseSummary,
    pub situation: Situation,
}

impl CaseView {
    pub fn status(&self) -> CaseStatus {
        self.case.status
    }
}

#[derive(Template)]
#[template(path = "family/dashboard.html")]
struct DashboardPage {
    page: PageContext,
    email_verified: bool,
    children: Vec<ChildView>,
    /// Invitations to share a child, sent to this person's address.
    invitations: Vec<super::invitation::Pending>,
    /// Years with payments, for the yearly statements.
    statement_years: Vec<i16>,
}

pub async fn dashboard(
    State(state): State<AppState>,
    page: PageContext,
    Family(user): Family,
) -> Result<Html<String>, AppError> {
    let now = state.clock.now();
    let today = crate::web::format::pacific_date(now);
    let mut conn = state.db.acquire().await?;
    let children = db::children(&mut *conn, user.id).await?;
    let calendar = state.calendar.get(&mut conn).await?;
    let summaries = db::cases(&mut *conn, user.id).await?;
    let ids: Vec<_> = summaries.iter().map(|c| c.id).collect();
    let situations = situations(&mut conn, &ids, user.email_verified, &calendar, now).await?;
    let mut cases: Vec<_> =
        summaries.into_iter().zip(situations).map(|(case, situation)| CaseView { case, situation }).collect();
    let invitations = super::invitation::pending(&mut conn, user.id, &user.email, now).await?;
    drop(conn);
    let children = children
        .into_iter()
        .map(|child| {
            let (mine, rest): (Vec<_>, Vec<_>) =
                std::mem::take(&mut cases).into_iter().partition(|c| c.case.child_id == child.id);
            cases = rest;
            ChildView { age: crate::domain::child::age_on(child.dob(), today), child, cases: mine }
        })
        .collect();
    let statement_years = super::receipts::payment_years(&state, user.id).await?;
    html(&DashboardPage { page, email_verified: user.email_verified, invitations, children, statement_years })
}
