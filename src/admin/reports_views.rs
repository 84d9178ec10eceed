//! The chart and CSV of the three reports that read money and movement:
//! days to collect records, cases entering and leaving each state per week,
//! and money by month. The page's tables read the same [`More`].

use super::reports::{Range, RangeQuery, csv, range_of, svg};
use super::reports_chart::series;
use super::reports_flow::{STATES, Week, case_flow};
use super::reports_money::{Month, money_by_month};
use super::reports_records::{BANDS, RecordsCollected, records_collected};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::extract::{Admin, Query};
use axum::extract::State;
use axum::response::Response;

/// The numbers of the three reports for one range.
pub struct More {
    pub records: RecordsCollected,
    pub weeks: Vec<Week>,
    pub months: Vec<Month>,
    pub bands: [&'static str; 5],
    pub states: [&'static str; 7],
}

pub async fn load(state: &AppState, range: &Range) -> Result<More, AppError> {
    let (from, to) = range.instants()?;
    let mut conn = state.db.acquire().await?;
    let calendar = crate::cases::schedule::calendar(&mut *conn).await?;
    Ok(More {
        records: records_collected(&mut conn, &calendar, from, to).await?,
        weeks: case_flow(&mut conn, from, to, range.from, range.to).await?,
        months: money_by_month(&mut conn, from, to, range.from, range.to).await?,
        bands: BANDS.map(|(label, _)| label),
        states: STATES.map(|s| s.label()),
    })
}

async fn of(state: &AppState, q: &RangeQuery) -> Result<(Range, More), AppError> {
    let range = range_of(state, q)?;
    let more = load(state, &range).await?;
    Ok((range, more))
}

pub async fn records_svg(
    State(state): State<AppState>,
    _: Admin,
    Query(q): Query<RangeQuery>,
) -> Result<Response, AppError> {
    let (_, more) = of(&state, &q).await?;
    let labels: Vec<String> = more.bands.iter().map(|b| (*b).to_owned()).collect();
    let data: Vec<(String, Vec<u64>)> =
        more.records.groups[..2].iter().map(|g| (g.label.to_owned(), g.by_band.to_vec())).collect();
    Ok(svg(series("Business days from asked for to received", "Record sources", &labels, &data, true)))
}

pub async fn records_csv(
    State(state): State<AppState>,
    _: Admin,
    Query(q): Query<RangeQuery>,
) -> Result<Response, AppError> {
    let (range, more) = of(&state, &q).await?;
    let mut out = String::from("category,sources,median_business_days,p90_business_days");
    for band in more.bands {
        out.push_str(&format!(",{}_days", band.to_lowercase().replace(' ', "_")));
    }
    out.push('\n');
    for (key, g) in ["english", "needs_translation", "all"].iter().zip(&more.records.groups) {
        out.push_str(&format!("{key},{},{},{}", g.count(), g.median(), g.p90()).replace('—', ""));
        for n in g.by_band {
            out.push_str(&format!(",{n}"));
        }
        out.push('\n');
    }
    Ok(csv(&format!("records-{}-{}.csv", range.from, range.to), out))
}

pub async fn flow_svg(
    State(state): State<AppState>,
    _: Admin,
    Query(q): Query<RangeQuery>,
) -> Result<Response, AppError> {
    let (_, more) = of(&state, &q).await?;
    let labels: Vec<String> = more.weeks.iter().map(|w| w.monday.strftime("%b %-d").to_string()).collect();
    let data: Vec<(String, Vec<u64>)> = STATES
        .iter()
        .enumerate()
        .map(|(i, s)| (s.label().to_owned(), more.weeks.iter().map(|w| w.entered[i]).collect()))
        .collect();
    Ok(svg(series("Week beginning", "Cases entering a state", &labels, &data, true)))
}

pub async fn flow_csv(
    State(state): State<AppState>,
    _: Admin,
    Query(q): Query<RangeQuery>,
) -> Result<Response, AppError> {
    let (range, more) = of(&state, &q).await?;
    let mut out = String::from("week_beginning");
    for s in STATES {
        out.push_str(&format!(",{0}_entered,{0}_left", s.as_str()));
    }
    out.push('\n');
    for w in &more.weeks {
        out.push_str(&w.monday.to_string());
        for i in 0..STATES.len() {
            out.push_str(&format!(",{},{}", w.entered[i], w.left[i]));
        }
        out.push('\n');
    }
    Ok(csv(&format!("states-{}-{}.csv", range.from, range.to), out))
}

pub async fn money_svg(
    State(state): State<AppState>,
    _: Admin,
    Query(q): Query<RangeQuery>,
) -> Result<Response, AppError> {
    let (_, more) = of(&state, &q).await?;
    let labels: Vec<String> = more.months.iter().map(|m| m.first.strftime("%b %Y").to_string()).collect();
    // Whole dollars on the chart; the table and the CSV carry the cents.
    let dollars = |f: fn(&Month) -> i64| more.months.iter().map(|m| (f(m).max(0) / 100) as u64).collect::<Vec<_>>();
    let data = vec![
        ("Case fees".to_owned(), dollars(|m| m.case_fees.0)),
        ("Additional review fees".to_owned(), dollars(|m| m.additional_fees.0)),
        ("Refunds".to_owned(), dollars(|m| m.refunds.0)),
    ];
    Ok(svg(series("Month", "US dollars", &labels, &data, false)))
}

pub async fn money_csv(
    State(state): State<AppState>,
    _: Admin,
    Query(q): Query<RangeQuery>,
) -> Result<Response, AppError> {
    let (range, more) = of(&state, &q).await?;
    let mut out = String::from("month,case_fees_cents,additional_fees_cents,refunds_cents,net_cents,anomalies\n");
    for m in &more.months {
        out.push_str(&format!(
            "{},{},{},{},{},{}\n",
            m.first.strftime("%Y-%m"),
            m.case_fees.0,
            m.additional_fees.0,
            m.refunds.0,
            m.net().0,
            m.anomalies
        ));
    }
    Ok(csv(&format!("money-{}-{}.csv", range.from, range.to), out))
}
