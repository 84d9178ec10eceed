//! The specialist's side: assigned cases and opinions (built next).

use crate::error::AppError;
use crate::state::AppState;
use crate::web::StaffHomePage;
use crate::web::extract::Specialist;
use crate::web::page::{PageContext, html};
use axum::Router;
use axum::response::Html;
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
}

async fn home(page: PageContext, _: Specialist) -> Result<Html<String>, AppError> {
    html(&StaffHomePage {
        page,
        title: "Assigned cases",
        intro: "Cases sent to you for review will appear here with their due dates. You only ever see cases assigned to you.",
    })
}
