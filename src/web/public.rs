//! The public landing page: how the program works, price, turnaround, FAQ.

use crate::error::AppError;
use crate::state::AppState;
use crate::web::page::{PageContext, html};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(landing)).route("/language", axum::routing::post(super::language::switch))
}

#[derive(Template)]
#[template(path = "public/landing.html")]
struct LandingPage {
    page: PageContext,
    fee: String,
    signed_in: bool,
    home: &'static str,
}

async fn landing(page: PageContext, State(state): State<AppState>) -> Result<Html<String>, AppError> {
    let fee = state.config.case_fee.to_string();
    html(&LandingPage { signed_in: page.signed_in(), home: page.home, page, fee })
}
