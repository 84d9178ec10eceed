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
    // The landing page must answer while the database is down (the outage
    // page links here); then it names no amount rather than a maybe-stale one.
    let today = crate::web::format::pacific_date(state.clock.now());
    // From memory: while the schedule is cached the page doesn't touch the database.
    let schedule = match state.prices.cached() {
        Some(schedule) => Some(schedule),
        None => match state.db.acquire().await {
            Ok(mut conn) => state.prices.get(&mut conn).await.ok(),
            Err(_) => None,
        },
    };
    let fee = schedule.map(|s| s.on(today, state.config.case_fee));
    let fee = fee.map_or_else(|| page.t("landing-fee-unknown"), |f| f.to_string());
    html(&LandingPage { signed_in: page.signed_in(), home: page.home, page, fee })
}
