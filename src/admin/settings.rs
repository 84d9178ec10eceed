//! `/admin/settings`: what the admin owns without a deploy. The holiday
//! calendar (deadlines read the `holidays` table, and pages' copy of the
//! calendar is forgotten on every instance, so a change counts at once), the
//! case fee and the additional fees' defaults (`payments::price`), and the
//! program's names, numbers and texts (`program_settings.rs`). Every change
//! is audited, in the change's transaction.

use crate::audit::{self, Entry, Outcome};
use crate::domain::text::HolidayName;
use crate::domain::{Cents, FeeKind};
use crate::error::AppError;
use crate::payments::price::{self, FeeSchedule, Priced};
use crate::state::AppState;
use crate::web::extract::{Admin, ClientIp, CurrentUser, Query};
use crate::web::forms::{Form, FormErrors};
use crate::web::page::{FlashKind, PageContext, flash_redirect, html};
use askama::Template;
use axum::extract::State;
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
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub default_amount: String,
    #[serde(default)]
    pub default_effective_from: String,
}

/// Scheduled prices of one kind, newest first, with the withdraw button on those still to come.
pub struct ScheduleTable {
    caption: String,
    /// The day's and the amount's column headings.
    headings: (&'static str, &'static str),
    /// The additional fee's kind, sent with a withdrawal (none for the case fee).
    kind: Option<&'static str>,
    /// What a withdraw button takes back, for screen readers: "the fee", "the imaging re-review default".
    what: String,
    rows: Vec<ScheduleRow>,
}

pub struct ScheduleRow {
    day: Date,
    from: String,
    amount: Cents,
    withdrawable: bool,
}

#[derive(Template)]
#[template(path = "admin/settings.html")]
pub struct SettingsPage {
    page: PageContext,
    year: i16,
    holidays: Vec<HolidayRow>,
    today: Date,
    /// Today's case fee, and whether it is the configuration's (no price scheduled yet).
    fee_now: Cents,
    fee_from_config: bool,
    prices: FeeSchedule,
    program: crate::program::Overrides,
    typed: Typed,
    errors: FormErrors,
}

impl SettingsPage {
    pub fn long(&self, d: &Date) -> String {
        crate::web::format::long_date(*d)
    }
    /// The case fee's schedule, as a table.
    pub fn case_fee_table(&self) -> ScheduleTable {
        let caption = "Scheduled case fees, newest first".to_owned();
        self.table(Priced::CaseFee, caption, ("For cases started from", "Fee"), "the fee".to_owned())
    }
    pub fn fee_kinds(&self) -> [FeeKind; 2] {
        FeeKind::ALL
    }
    /// The kind's default today, if one is in effect.
    pub fn default_now(&self, kind: &FeeKind) -> Option<Cents> {
        self.prices.scheduled_on(Priced::Additional(*kind), self.today)
    }
    /// Each kind's scheduled defaults, as a table.
    pub fn default_tables(&self) -> Vec<ScheduleTable> {
        FeeKind::ALL
            .into_iter()
            .map(|k| {
                let caption = format!("{}: scheduled defaults, newest first", k.label());
                let what = format!("the {} default", k.label().to_lowercase());
                self.table(Priced::Additional(k), caption, ("From", "Amount"), what)
            })
            .collect()
    }
    fn table(
        &self,
        priced: Priced,
        caption: String,
        headings: (&'static str, &'static str),
        what: String,
    ) -> ScheduleTable {
        let rows = self
            .prices
            .of(priced)
            .map(|p| ScheduleRow {
                day: p.effective_from,
                from: crate::web::format::long_date(p.effective_from),
                amount: p.amount,
                withdrawable: p.effective_from > self.today,
            })
            .collect();
        let kind = match priced {
            Priced::CaseFee => None,
            Priced::Additional(kind) => Some(kind.as_str()),
        };
        ScheduleTable { caption, headings, kind, what, rows }
    }
    pub fn kind_checked(&self, kind: &FeeKind) -> bool {
        match self.typed.kind.as_str() {
            "" => *kind == FeeKind::Imaging,
            typed => typed == kind.as_str(),
        }
    }
    pub fn settings(&self) -> [crate::program::Setting; 12] {
        crate::program::Setting::ALL
    }
    pub fn set(&self, setting: &crate::program::Setting) -> Option<&crate::program::Override> {
        self.program.get(*setting)
    }
    pub fn in_effect(&self, setting: &crate::program::Setting) -> String {
        self.program.in_effect.value(*setting)
    }
    pub fn when(&self, t: &jiff::Timestamp) -> String {
        crate::web::format::date_time(*t)
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
    // The admin's page reads afresh: it is where a change is checked.
    let prices = FeeSchedule::load(&mut conn).await?;
    let fee_now = prices.on(today, state.config.case_fee);
    let fee_from_config = prices.scheduled_on(Priced::CaseFee, today).is_none();
    let program = <crate::program::Overrides as crate::reference_cache::Reference>::load(&mut conn).await?;
    Ok(SettingsPage { page, year, holidays, today, fee_now, fee_from_config, prices, program, typed, errors })
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
    let amount = parse_amount(&mut errors, Priced::CaseFee, "amount", &typed.amount);
    let day = parse_day(&mut errors, "effective_from", &typed.effective_from, "day the fee takes effect");
    let (Some(amount), Some(day)) = (amount, day) else {
        return refused(&state, page, None, typed, errors).await;
    };
    let outcome = schedule(&state, &admin, ip, Priced::CaseFee, day, amount).await?;
    if let Err(why) = outcome {
        errors.add("effective_from", why);
        return refused(&state, page, None, typed, errors).await;
    }
    let message =
        format!("The case fee will be {amount} for cases started from {} on.", crate::web::format::long_date(day));
    flash_redirect(&session, "/admin/settings", FlashKind::Success, &message).await
}

/// `POST /admin/settings/fee-default`: what the pricing form suggests for a
/// kind of additional fee, from a day on (today at the soonest).
pub async fn schedule_default(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Admin(admin): Admin,
    ClientIp(ip): ClientIp,
    Form(typed): Form<Typed>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::default();
    let kind = errors.check("kind", FeeKind::parse(&typed.kind).ok_or("Choose imaging or pathology."));
    let priced = Priced::Additional(kind.unwrap_or(FeeKind::Imaging));
    let amount = parse_amount(&mut errors, priced, "default_amount", &typed.default_amount);
    let day = parse_day(&mut errors, "default_effective_from", &typed.default_effective_from, "day it takes effect");
    let (Some(kind), Some(amount), Some(day)) = (kind, amount, day) else {
        return refused(&state, page, None, typed, errors).await;
    };
    let outcome = schedule(&state, &admin, ip, Priced::Additional(kind), day, amount).await?;
    if let Err(why) = outcome {
        errors.add("default_effective_from", why);
        return refused(&state, page, None, typed, errors).await;
    }
    let message = format!(
        "From {} on, the pricing form suggests {amount} for a {}.",
        crate::web::format::long_date(day),
        kind.label().to_lowercase()
    );
    flash_redirect(&session, "/admin/settings", FlashKind::Success, &message).await
}

fn parse_amount(errors: &mut FormErrors, priced: Priced, field: &'static str, raw: &str) -> Option<Cents> {
    let range = priced.range();
    let amount = Cents::parse_dollars(raw).filter(|a| range.contains(&a.0));
    if amount.is_none() {
        let (low, high) = (Cents(*range.start()), Cents(*range.end()));
        errors.add(field, format!("Enter the amount in dollars, between {low} and {high}, such as 250 or 250.00."));
    }
    amount
}

/// Schedules the price and audits it, or says why not (nothing written).
async fn schedule(
    state: &AppState,
    admin: &CurrentUser,
    ip: Option<String>,
    priced: Priced,
    day: Date,
    amount: Cents,
) -> Result<Result<(), &'static str>, AppError> {
    let mut tx = state.db.begin().await?;
    match price::add(&mut tx, priced, today(state), day, amount, admin.id).await? {
        Ok(()) => {}
        Err(price::Refused::TooSoon) => {
            return Ok(Err(match priced {
                Priced::CaseFee => {
                    "Choose a day after today: families who started a case today were shown today's fee."
                }
                Priced::Additional(_) => "Choose today or a day to come: a default can't start in the past.",
            }));
        }
        Err(price::Refused::DayTaken) => return Ok(Err("A price already takes effect that day. Withdraw it first.")),
    }
    let (action, entity, id) = audited(priced, Change::Scheduled, day);
    let entry = Entry::new(action, Outcome::Success)
        .by(admin.id, admin.role)
        .on(entity, format!("{id} {}", amount.0))
        .from_ip(ip);
    audit::record(&mut *tx, entry).await?;
    tx.commit().await?;
    // Every instance forgets its copy on the trigger's NOTIFY; this one at once.
    state.prices.forget();
    Ok(Ok(()))
}

#[derive(Clone, Copy)]
enum Change {
    Scheduled,
    Withdrawn,
}

/// The audit row's action, entity and id for a price scheduled or withdrawn.
fn audited(priced: Priced, change: Change, day: Date) -> (&'static str, &'static str, String) {
    match (priced, change) {
        (Priced::CaseFee, Change::Scheduled) => ("case_fee_scheduled", "case_fee", day.to_string()),
        (Priced::CaseFee, Change::Withdrawn) => ("case_fee_withdrawn", "case_fee", day.to_string()),
        (Priced::Additional(kind), Change::Scheduled) => {
            ("additional_fee_default_scheduled", "additional_fee_default", format!("{} {day}", kind.as_str()))
        }
        (Priced::Additional(kind), Change::Withdrawn) => {
            ("additional_fee_default_withdrawn", "additional_fee_default", format!("{} {day}", kind.as_str()))
        }
    }
}

#[derive(Deserialize)]
pub struct WithdrawForm {
    day: Date,
    /// A kind of additional fee; absent for the case fee.
    #[serde(default)]
    kind: Option<FeeKind>,
}

/// `POST /admin/settings/fee/withdraw`: a price not yet in effect is taken back.
pub async fn withdraw_fee(
    State(state): State<AppState>,
    session: Session,
    Admin(admin): Admin,
    ClientIp(ip): ClientIp,
    Form(form): Form<WithdrawForm>,
) -> Result<Response, AppError> {
    let priced = form.kind.map_or(Priced::CaseFee, Priced::Additional);
    let mut tx = state.db.begin().await?;
    if !price::withdraw(&mut tx, priced, today(&state), form.day).await? {
        return Err(AppError::NotFound);
    }
    let (action, entity, id) = audited(priced, Change::Withdrawn, form.day);
    let entry = Entry::new(action, Outcome::Success).by(admin.id, admin.role).on(entity, id).from_ip(ip);
    audit::record(&mut *tx, entry).await?;
    tx.commit().await?;
    state.prices.forget();
    let message = match priced {
        Priced::CaseFee => "The scheduled fee was withdrawn.",
        Priced::Additional(_) => "The scheduled default was withdrawn.",
    };
    flash_redirect(&session, "/admin/settings", FlashKind::Success, message).await
}
