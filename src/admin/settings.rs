//! `/admin/settings`: what the admin owns without a deploy. The holiday
//! calendar (deadlines read the `holidays` table, and pages' copy of the
//! calendar is forgotten on every instance, so a change counts at once) and the case fee schedule
//! (`payments::price`). Every change is audited, in the change's transaction.

use crate::audit::{self, Entry, Outcome};
use crate::domain::text::HolidayName;
use crate::error::AppError;
use crate::payments::price;
use crate::state::AppState;
use crate::web::extract::{Admin, ClientIp};
use crate::web::forms::{Form, FormErrors};
use crate::web::page::{FlashKind, PageContext, flash_redirect, html};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use jiff_sqlx::ToSqlx;
use serde::Deserialize;
use tower_sessions::Session;

pub struct HolidayRow {
    pub day: Date,
    pub name: String,
}

/// What was typed into a refused form, to show it again.
#[derive(Default, Deserialize, Clone)]
pub struct Typed {
    #[serde(default)]
    pub day: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub amount: String,
    #[serde(default)]
    pub effective_from: String,
}

#[derive(Template)]
#[template(path = "admin/settings.html")]
pub struct SettingsPage {
    page: PageContext,
    year: i16,
    holidays: Vec<HolidayRow>,
    today: Date,
    /// Today's case fee, and whether it is the configuration's (no price scheduled yet).
    fee_now: crate::domain::Cents,
    fee_from_config: bool,
    schedule: Vec<price::Scheduled>,
    typed: Typed,
    errors: FormErrors,
}

impl SettingsPage {
    pub fn long(&self, d: &Date) -> String {
        crate::web::format::long_date(*d)
    }
    pub fn in_future(&self, d: &Date) -> bool {
        *d > self.today
    }
}

#[derive(Deserialize)]
pub struct YearQuery {
    year: Option<i16>,
}

fn today(state: &AppState) -> Date {
    crate::web::format::pacific_date(state.clock.now())
}

/// Builds the page for `year`, with a refused form's text and errors.
async fn build(
    state: &AppState,
    page: PageContext,
    year: Option<i16>,
    typed: Typed,
    errors: FormErrors,
) -> Result<SettingsPage, AppError> {
    let today = today(state);
    let year = year.filter(|y| (2000..=2100).contains(y)).unwrap_or(today.year());
    let mut conn = state.db.acquire().await?;
    let holidays = sqlx::query!(
        r#"select day as "day: jiff_sqlx::Date", name from holidays
           where day >= make_date($1, 1, 1) and day < make_date($1 + 1, 1, 1) order by day"#,
        i32::from(year)
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| HolidayRow { day: r.day.to_jiff(), name: r.name })
    .collect();
    let schedule = price::schedule(&mut conn).await?;
    let fee_now = price::on(&mut conn, state.config.case_fee, today).await?;
    let fee_from_config = !schedule.iter().any(|s| s.effective_from <= today);
    Ok(SettingsPage { page, year, holidays, today, fee_now, fee_from_config, schedule, typed, errors })
}

pub async fn settings_page(
    State(state): State<AppState>,
    page: PageContext,
    _: Admin,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    Ok(html(&build(&state, page, q.year, Typed::default(), FormErrors::default()).await?)?.into_response())
}

async fn refused(
    state: &AppState,
    page: PageContext,
    year: Option<i16>,
    typed: Typed,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let page = build(state, page, year, typed, errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)?).into_response())
}

fn parse_day(errors: &mut FormErrors, field: &'static str, raw: &str, what: &str) -> Option<Date> {
    match raw.trim() {
        "" => errors.add(field, format!("Enter the {what}.")),
        raw => match raw.parse::<Date>() {
            Ok(day) => return Some(day),
            Err(_) => errors.add(field, format!("Enter the {what} as a date, such as 2027-07-05.")),
        },
    }
    None
}

fn back_to(day: Date) -> String {
    format!("/admin/settings?year={}", day.year())
}

/// `POST /admin/settings/holidays`: adds a day the hospital is closed.
pub async fn add_holiday(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Admin(admin): Admin,
    ClientIp(ip): ClientIp,
    Form(typed): Form<Typed>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::default();
    let day = parse_day(&mut errors, "day", &typed.day, "day");
    let name: Option<HolidayName> =
        errors.required_text("name", &typed.name, "The holiday's name", "Enter the holiday's name.");
    let (Some(day), Some(name)) = (day, name) else {
        return refused(&state, page, day.map(|d| d.year()), typed, errors).await;
    };
    if matches!(day.weekday(), jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday) {
        errors.add("day", "That day is a weekend, which never counts as a business day. Enter a weekday.");
        return refused(&state, page, Some(day.year()), typed, errors).await;
    }
    let mut tx = state.db.begin().await?;
    let added = sqlx::query!(
        "insert into holidays (day, name) values ($1, $2) on conflict (day) do nothing",
        day.to_sqlx() as _,
        name.as_str()
    )
    .execute(&mut *tx)
    .await?;
    if added.rows_affected() == 0 {
        drop(tx);
        errors.add("day", "That day is already a holiday.");
        return refused(&state, page, Some(day.year()), typed, errors).await;
    }
    let entry = Entry::new("holiday_added", Outcome::Success).by(admin.id, admin.role).on("holiday", day).from_ip(ip);
    audit::record(&mut *tx, entry).await?;
    tx.commit().await?;
    // Every instance forgets its calendar on the trigger's NOTIFY; this one at once.
    state.calendar.forget();
    let message = format!("{} is now a holiday. Deadlines from now on skip it.", crate::web::format::long_date(day));
    flash_redirect(&session, &back_to(day), FlashKind::Success, &message).await
}

#[derive(Deserialize)]
pub struct DayForm {
    day: Date,
}

/// `POST /admin/settings/holidays/remove`: the day counts as a business day again.
pub async fn remove_holiday(
    State(state): State<AppState>,
    session: Session,
    Admin(admin): Admin,
    ClientIp(ip): ClientIp,
    Form(form): Form<DayForm>,
) -> Result<Response, AppError> {
    let mut tx = state.db.begin().await?;
    let removed =
        sqlx::query!("delete from holidays where day = $1", form.day.to_sqlx() as _).execute(&mut *tx).await?;
    if removed.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    let entry =
        Entry::new("holiday_removed", Outcome::Success).by(admin.id, admin.role).on("holiday", form.day).from_ip(ip);
    audit::record(&mut *tx, entry).await?;
    tx.commit().await?;
    state.calendar.forget();
    let message = format!("{} is a business day again.", crate::web::format::long_date(form.day));
    flash_redirect(&session, &back_to(form.day), FlashKind::Success, &message).await
}

/// `POST /admin/settings/fee`: schedules a new case fee from a day to come.
pub async fn schedule_fee(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Admin(admin): Admin,
    ClientIp(ip): ClientIp,
    Form(typed): Form<Typed>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::default();
    let amount = match crate::domain::Cents::parse_dollars(&typed.amount) {
        Some(a) if (50..=10_000_000).contains(&a.0) => Some(a),
        _ => {
            errors.add("amount", "Enter the fee in dollars, between $0.50 and $100,000, such as 950 or 950.00.");
            None
        }
    };
    let day = parse_day(&mut errors, "effective_from", &typed.effective_from, "day the fee takes effect");
    let (Some(amount), Some(day)) = (amount, day) else {
        return refused(&state, page, None, typed, errors).await;
    };
    let mut tx = state.db.begin().await?;
    match price::add(&mut tx, today(&state), day, amount, admin.id).await? {
        Ok(()) => {}
        Err(why) => {
            drop(tx);
            let message = match why {
                price::Refused::NotInTheFuture => {
                    "Choose a day after today: families who started a case today were shown today's fee."
                }
                price::Refused::DayTaken => "A fee already takes effect that day. Withdraw it first.",
            };
            errors.add("effective_from", message);
            return refused(&state, page, None, typed, errors).await;
        }
    }
    let entry = Entry::new("case_fee_scheduled", Outcome::Success)
        .by(admin.id, admin.role)
        .on("case_fee", format!("{day} {}", amount.0))
        .from_ip(ip);
    audit::record(&mut *tx, entry).await?;
    tx.commit().await?;
    // Every instance forgets its copy on the trigger's NOTIFY; this one at once.
    state.case_fees.forget();
    let message =
        format!("The case fee will be {amount} for cases started from {} on.", crate::web::format::long_date(day));
    flash_redirect(&session, "/admin/settings", FlashKind::Success, &message).await
}

/// `POST /admin/settings/fee/withdraw`: a fee not yet in effect is taken back.
pub async fn withdraw_fee(
    State(state): State<AppState>,
    session: Session,
    Admin(admin): Admin,
    ClientIp(ip): ClientIp,
    Form(form): Form<DayForm>,
) -> Result<Response, AppError> {
    let mut tx = state.db.begin().await?;
    if !price::withdraw(&mut tx, today(&state), form.day).await? {
        return Err(AppError::NotFound);
    }
    let entry = Entry::new("case_fee_withdrawn", Outcome::Success)
        .by(admin.id, admin.role)
        .on("case_fee", form.day)
        .from_ip(ip);
    audit::record(&mut *tx, entry).await?;
    tx.commit().await?;
    state.case_fees.forget();
    flash_redirect(&session, "/admin/settings", FlashKind::Success, "The scheduled fee was withdrawn.").await
}
