//! The care coordinator's side: the case queue and workspace (built next).

use crate::error::AppError;
use crate::state::AppState;
use crate::web::StaffHomePage;
use crate::web::extract::Coordinator;
use crate::web::page::{PageContext, html};
use axum::Router;
use axum::response::Html;
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
}

async fn home(page: PageContext, _: Coordinator) -> Result<Html<String>, AppError> {
    html(&StaffHomePage {
        page,
        title: "Case queue",
        intro: "Submitted cases waiting for records, a specialist or a decision will appear here, oldest due date first.",
    })
}
