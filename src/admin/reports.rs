//! `/admin/reports`: "are we on time, and where do cases wait". Each chart is
//! an SVG image (`reports_chart`) with the same numbers in a table beside it
//! and as a CSV download; all three come from one `reports_data` call.

use super::reports_calls::{CallsOnTime, calls_on_time};
use super::reports_chart::bars;
use super::reports_data::{self as data, AGE_BANDS, DAY_BUCKETS, OnTime, Waiting};
use super::reports_follow_ups::{FollowUpUse, follow_up_use};
use super::reports_views::{self as views, More};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::extract::{Admin, Query};
use crate::web::forms::FormErrors;
use crate::web::page::{PageContext, html};
use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use serde::Deserialize;

/// `?from=2026-11-01&to=2026-11-30`: Pacific days, both included.
#[derive(Deserialize, Default)]
pub struct RangeQuery {
    #[serde(default)]
    pub(super) from: String,
    #[serde(default)]
    pub(super) to: String,
}

/// A parsed range, as typed (for the form) and as instants (for the queries).
pub(super) struct Range {
    pub(super) from: Date,
    pub(super) to: Date,
}

impl Range {
    /// This month so far when nothing is given; a refusal per field otherwise.
    fn parse(q: &RangeQuery, today: Date, errors: &mut FormErrors) -> Range {
        let mut day = |field: &'static str, raw: &str, default: Date| match raw.trim() {
            "" => default,
            raw => raw.parse::<Date>().unwrap_or_else(|_| {
                errors.add(field, "Enter the day as a date, such as 2026-11-01.");
                default
            }),
        };
        let from = day("from", &q.from, today.first_of_month());
        let to = day("to", &q.to, today);
        if errors.is_empty() && to < from {
            errors.add("to", "The end of the range must not be before its start.");
        }
        Range { from, to }
    }

    pub(super) fn instants(&self) -> Result<(Timestamp, Timestamp), AppError> {
        let tz = crate::domain::business_days::time_zone();
        let start = self.from.to_zoned(tz.clone()).map_err(anyhow::Error::from)?.timestamp();
        let end = self.to.saturating_add(1.day()).to_zoned(tz.clone()).map_err(anyhow::Error::from)?.timestamp();
        Ok((start, end))
    }

    fn query(&self) -> String {
        format!("from={}&to={}", self.from, self.to)
    }
}

#[derive(Template)]
#[template(path = "admin/reports.html")]
pub struct ReportsPage {
    page: PageContext,
    from: String,
    to: String,
    query: String,
    errors: FormErrors,
    on_time: OnTime,
    waiting: Vec<Waiting>,
    follow_ups: FollowUpUse,
    calls: CallsOnTime,
    more: More,
    age_bands: [&'static str; 4],
}

impl ReportsPage {
    pub fn day_label(&self, i: &usize) -> String {
        day_label(*i)
    }
    pub fn share(&self, within: &u64, of: &u64) -> String {
        data::percent(*within, *of)
    }
    /// What follows the bold share: " of 3 opinions delivered within …".
    pub fn on_time_intro(&self) -> String {
        let of = match self.on_time.delivered {
            0 => String::new(),
            1 => " of 1 opinion".to_owned(),
            n => format!(" of {n} opinions"),
        };
        format!(
            "{of} delivered within 7 business days of the records being complete, among the opinions delivered in the range."
        )
    }
    pub fn calls_intro(&self) -> String {
        match self.calls.due {
            0 => ".".to_owned(),
            n => format!(" of {n} clinician calls due in the range completed by their deadline."),
        }
    }
}

fn day_label(i: usize) -> String {
    if i == DAY_BUCKETS - 1 { format!("over {}", DAY_BUCKETS - 2) } else { i.to_string() }
}

async fn load(state: &AppState, range: &Range) -> Result<(OnTime, Vec<Waiting>), AppError> {
    let (from, to) = range.instants()?;
    let mut conn = state.db.acquire().await?;
    let calendar = crate::cases::schedule::calendar(&mut *conn).await?;
    let on_time = data::on_time(&mut conn, &calendar, from, to).await?;
    let waiting = data::waiting(&mut conn, state.clock.now()).await?;
    Ok((on_time, waiting))
}

async fn load_follow_ups(state: &AppState, range: &Range) -> Result<FollowUpUse, AppError> {
    let (from, to) = range.instants()?;
    let mut conn = state.db.acquire().await?;
    Ok(follow_up_use(&mut conn, from, to).await?)
}

async fn load_calls(state: &AppState, range: &Range) -> Result<CallsOnTime, AppError> {
    let (from, to) = range.instants()?;
    let mut conn = state.db.acquire().await?;
    Ok(calls_on_time(&mut conn, from, to, state.clock.now()).await?)
}

fn today(state: &AppState) -> Date {
    crate::web::format::pacific_date(state.clock.now())
}

pub async fn reports_page(
    State(state): State<AppState>,
    page: PageContext,
    _: Admin,
    Query(q): Query<RangeQuery>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::default();
    let range = Range::parse(&q, today(&state), &mut errors);
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    // A refused range shows this month's numbers under the error, never a guess at what was meant.
    let shown = if errors.is_empty() {
        range
    } else {
        Range::parse(&RangeQuery::default(), today(&state), &mut FormErrors::default())
    };
    let (on_time, waiting) = load(&state, &shown).await?;
    let follow_ups = load_follow_ups(&state, &shown).await?;
    let calls = load_calls(&state, &shown).await?;
    let more = views::load(&state, &shown).await?;
    let page = ReportsPage {
        page,
        from: if q.from.is_empty() { shown.from.to_string() } else { q.from.clone() },
        to: if q.to.is_empty() { shown.to.to_string() } else { q.to.clone() },
        query: shown.query(),
        errors,
        on_time,
        waiting,
        follow_ups,
        calls,
        more,
        age_bands: AGE_BANDS,
    };
    Ok((status, html(&page)?).into_response())
}

/// The range of a chart or CSV link; a malformed one is a 404 like any made-up URL.
pub(super) fn range_of(state: &AppState, q: &RangeQuery) -> Result<Range, AppError> {
    let mut errors = FormErrors::default();
    let range = Range::parse(q, today(state), &mut errors);
    if errors.is_empty() { Ok(range) } else { Err(AppError::NotFound) }
}

fn on_time_bars(r: &OnTime) -> Vec<(String, u64)> {
    r.counts.iter().enumerate().map(|(i, n)| (day_label(i), *n)).collect()
}

fn waiting_bars(w: &[Waiting]) -> Vec<(String, u64)> {
    w.iter().map(|w| (w.status.label().to_owned(), w.total())).collect()
}

pub(super) fn svg(body: String) -> Response {
    ([(header::CONTENT_TYPE, "image/svg+xml")], body).into_response()
}

pub(super) fn csv(name: &str, body: String) -> Response {
    let disposition = format!("attachment; filename=\"{name}\"");
    ([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, disposition)], body)
        .into_response()
}

pub async fn on_time_svg(
    State(state): State<AppState>,
    _: Admin,
    Query(q): Query<RangeQuery>,
) -> Result<Response, AppError> {
    let (on_time, _) = load(&state, &range_of(&state, &q)?).await?;
    Ok(svg(bars("Business days from records complete to opinion", "Opinions", &on_time_bars(&on_time))))
}

pub async fn waiting_svg(
    State(state): State<AppState>,
    _: Admin,
    Query(q): Query<RangeQuery>,
) -> Result<Response, AppError> {
    let (_, waiting) = load(&state, &range_of(&state, &q)?).await?;
    Ok(svg(bars("State", "Open cases", &waiting_bars(&waiting))))
}

pub async fn on_time_csv(
    State(state): State<AppState>,
    _: Admin,
    Query(q): Query<RangeQuery>,
) -> Result<Response, AppError> {
    let range = range_of(&state, &q)?;
    let (on_time, _) = load(&state, &range).await?;
    let mut out = String::from("business_days,opinions\n");
    for (label, n) in on_time_bars(&on_time) {
        out.push_str(&format!("{label},{n}\n"));
    }
    Ok(csv(&format!("on-time-{}-{}.csv", range.from, range.to), out))
}

pub async fn waiting_csv(
    State(state): State<AppState>,
    _: Admin,
    Query(q): Query<RangeQuery>,
) -> Result<Response, AppError> {
    let (_, waiting) = load(&state, &range_of(&state, &q)?).await?;
    let mut out = String::from("state,under_2_days,2_to_6_days,7_to_13_days,14_days_or_more,total\n");
    for w in &waiting {
        let [a, b, c, d] = w.by_age;
        out.push_str(&format!("{},{a},{b},{c},{d},{}\n", w.status.as_str(), w.total()));
    }
    Ok(csv("open-cases.csv", out))
}

fn follow_up_bars(f: &FollowUpUse) -> Vec<(String, u64)> {
    f.rows().iter().map(|(_, label, n)| ((*label).to_owned(), *n)).collect()
}

pub async fn follow_ups_svg(
    State(state): State<AppState>,
    _: Admin,
    Query(q): Query<RangeQuery>,
) -> Result<Response, AppError> {
    let follow_ups = load_follow_ups(&state, &range_of(&state, &q)?).await?;
    Ok(svg(bars("Follow-up questions asked in the range", "Questions", &follow_up_bars(&follow_ups))))
}

pub async fn follow_ups_csv(
    State(state): State<AppState>,
    _: Admin,
    Query(q): Query<RangeQuery>,
) -> Result<Response, AppError> {
    let range = range_of(&state, &q)?;
    let follow_ups = load_follow_ups(&state, &range).await?;
    let mut out = String::from("follow_up_questions,count\n");
    for (key, _, n) in follow_ups.rows() {
        out.push_str(&format!("{key},{n}\n"));
    }
    Ok(csv(&format!("follow-ups-{}-{}.csv", range.from, range.to), out))
}

fn call_bars(c: &CallsOnTime) -> Vec<(String, u64)> {
    c.rows().iter().map(|(_, label, n)| ((*label).to_owned(), *n)).collect()
}

pub async fn calls_svg(
    State(state): State<AppState>,
    _: Admin,
    Query(q): Query<RangeQuery>,
) -> Result<Response, AppError> {
    let calls = load_calls(&state, &range_of(&state, &q)?).await?;
    Ok(svg(bars("Follow-up calls due in the range", "Calls", &call_bars(&calls))))
}

pub async fn calls_csv(
    State(state): State<AppState>,
    _: Admin,
    Query(q): Query<RangeQuery>,
) -> Result<Response, AppError> {
    let range = range_of(&state, &q)?;
    let calls = load_calls(&state, &range).await?;
    let mut out = String::from("follow_up_calls,count\n");
    for (key, _, n) in calls.rows() {
        out.push_str(&format!("{key},{n}\n"));
    }
    Ok(csv(&format!("calls-{}-{}.csv", range.from, range.to), out))
}
