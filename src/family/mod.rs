//! The family's side: dashboard of children and cases (cases come next).

use crate::error::AppError;
use crate::state::AppState;
use crate::web::extract::Family;
use crate::web::page::{PageContext, html};
use askama::Template;
use axum::Router;
use axum::response::Html;
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(dashboard))
}

#[derive(Template)]
#[template(path = "family/dashboard.html")]
struct DashboardPage {
    page: PageContext,
    email_verified: bool,
}

async fn dashboard(page: PageContext, Family(user): Family) -> Result<Html<String>, AppError> {
    html(&DashboardPage { page, email_verified: user.email_verified })
}
