//! The clinician's side: follow-up calls and clarifying questions (built next).

use crate::error::AppError;
use crate::state::AppState;
use crate::web::StaffHomePage;
use crate::web::extract::Clinician;
use crate::web::page::{PageContext, html};
use axum::Router;
use axum::response::Html;
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
}

async fn home(page: PageContext, _: Clinician) -> Result<Html<String>, AppError> {
    html(&StaffHomePage {
        page,
        title: "Follow-ups",
        intro: "Follow-up calls that are due and clarifying questions from families will appear here.",
    })
}
