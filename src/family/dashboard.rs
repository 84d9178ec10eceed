//! The family's dashboard: each child with their cases, status, next step
//! and expected dates.

use super::db;
use crate::cases::schedule::expected_window;
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
    pub expected: Option<(String, String)>,
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
    /// Years with payments, for the yearly statements.
    statement_years: Vec<i16>,
}

pub async fn dashboard(
    State(state): State<AppState>,
    page: PageContext,
    Family(user): Family,
) -> Result<Html<String>, AppError> {
    let today = crate::web::format::pacific_date(state.clock.now());
    let children = db::children(&state.db, user.id).await?;
    let mut cases = db::cases(&state.db, user.id).await?;
    let calendar = crate::cases::schedule::calendar(&state.db).await?;
    let children = children
        .into_iter()
        .map(|child| {
            let (mine, rest): (Vec<_>, Vec<_>) =
                std::mem::take(&mut cases).into_iter().partition(|c| c.child_id == child.id);
            cases = rest;
            let cases = mine
                .into_iter()
                .map(|case| CaseView {
                    expected: expected_window(&calendar, case.status, case.ready_for_review_at.map(Into::into)),
                    case,
                })
                .collect();
            ChildView { age: crate::domain::child::age_on(child.dob(), today), child, cases }
        })
        .collect();
    let statement_years = super::receipts::payment_years(&state, user.id).await?;
    html(&DashboardPage { page, email_verified: user.email_verified, children, statement_years })
}
