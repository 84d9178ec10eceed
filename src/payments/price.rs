//! What things cost: the case fee, and the amounts the coordinator's
//! pricing form suggests for an additional fee. The admin schedules prices,
//! each from a Pacific day on (`case_fee_schedule`, `additional_fee_defaults`).
//!
//! A case costs the price in effect on the Pacific day the family started
//! it, so every page of one case shows one price and a change never reaches
//! a case already begun: "a case keeps the price it was shown". Before the
//! first scheduled case fee, `CASE_FEE_CENTS` is the price. An additional fee
//! keeps the amount it was asked with; its default only fills the form.

use crate::domain::business_days::TIME_ZONE;
use crate::domain::{CaseId, Cents, FeeKind, UserId};
use jiff::civil::Date;
use jiff_sqlx::ToSqlx;
use sqlx::PgConnection;
use std::ops::RangeInclusive;

/// What a scheduled price is the price of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Priced {
    CaseFee,
    /// The default the pricing form suggests for this kind of re-review.
    Additional(FeeKind),
}

impl Priced {
    /// The amounts the database allows (the tables' `amount_range` checks).
    pub fn range(self) -> RangeInclusive<i64> {
        match self {
            // Stripe's card minimum is $0.50; above $100,000 is a typo.
            Priced::CaseFee => 50..=10_000_000,
            Priced::Additional(_) => crate::domain::ADDITIONAL_FEE_RANGE,
        }
    }

    /// The first day a new price may take effect. A case started today was
    /// shown today's fee, so a new fee waits for tomorrow; a default only
    /// fills a form, so it may start today.
    pub fn earliest(self, today: Date) -> Date {
        match self {
            Priced::CaseFee => today.tomorrow().expect("a hospital's today has a tomorrow"),
            Priced::Additional(_) => today,
        }
    }
}

/// One scheduled price.
pub struct Scheduled {
    pub priced: Priced,
    pub effective_from: Date,
    pub amount: Cents,
}

/// Every scheduled price, newest first: the one owner of "the price in
/// effect on a day". Pages read it from memory (`reference_cache`);
/// payments read it afresh, in their transaction.
pub struct FeeSchedule {
    prices: Vec<Scheduled>,
}

impl FeeSchedule {
    pub async fn load(conn: &mut PgConnection) -> sqlx::Result<Self> {
        let rows = sqlx::query!(
            r#"select null::fee_kind as "kind: FeeKind", effective_from as "day!: jiff_sqlx::Date",
                      amount_cents as "amount!: Cents"
               from case_fee_schedule
               union all
               select kind, effective_from, amount_cents from additional_fee_defaults
               order by 2 desc"#
        )
        .fetch_all(conn)
        .await?;
        let prices = rows
            .into_iter()
            .map(|r| Scheduled {
                priced: r.kind.map_or(Priced::CaseFee, Priced::Additional),
                effective_from: r.day.to_jiff(),
                amount: r.amount,
            })
            .collect();
        Ok(FeeSchedule { prices })
    }

    /// What `priced` costs from `day` on, if anything was scheduled by then.
    pub fn scheduled_on(&self, priced: Priced, day: Date) -> Option<Cents> {
        self.of(priced).find(|p| p.effective_from <= day).map(|p| p.amount)
    }

    /// The price for a case started on `day`; before the first scheduled
    /// price, `default` (`CASE_FEE_CENTS`).
    pub fn on(&self, day: Date, default: Cents) -> Cents {
        self.scheduled_on(Priced::CaseFee, day).unwrap_or(default)
    }

    /// The prices scheduled for `priced`, newest first.
    pub fn of(&self, priced: Priced) -> impl Iterator<Item = &Scheduled> {
        self.prices.iter().filter(move |p| p.priced == priced)
    }
}

/// The price for a case started on `day`, read afresh.
pub async fn on(conn: &mut PgConnection, default: Cents, day: Date) -> sqlx::Result<Cents> {
    Ok(FeeSchedule::load(conn).await?.on(day, default))
}

/// The price of this case: the one in effect on the (Pacific) day it was started.
pub async fn of_case(conn: &mut PgConnection, default: Cents, case: CaseId) -> sqlx::Result<Cents> {
    let started = sqlx::query_scalar!(
        r#"select (created_at at time zone $2)::date as "day!: jiff_sqlx::Date" from cases where id = $1"#,
        case as CaseId,
        TIME_ZONE
    )
    .fetch_one(&mut *conn)
    .await?;
    on(conn, default, started.to_jiff()).await
}

/// Why a price could not be scheduled.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// Before `Priced::earliest`: a case started today was already shown today's price.
    TooSoon,
    /// That day already has a price (withdraw it first).
    DayTaken,
}

/// Schedules `amount` for `priced` from `day` on.
pub async fn add(
    conn: &mut PgConnection,
    priced: Priced,
    today: Date,
    day: Date,
    amount: Cents,
    by: UserId,
) -> sqlx::Result<Result<(), Refused>> {
    if day < priced.earliest(today) {
        return Ok(Err(Refused::TooSoon));
    }
    let inserted = match priced {
        Priced::CaseFee => sqlx::query!(
            "insert into case_fee_schedule (effective_from, amount_cents, set_by) values ($1, $2, $3)
             on conflict (effective_from) do nothing",
            day.to_sqlx() as _,
            amount.0,
            by as UserId
        )
        .execute(conn)
        .await?
        .rows_affected(),
        Priced::Additional(kind) => sqlx::query!(
            "insert into additional_fee_defaults (kind, effective_from, amount_cents, set_by) values ($1, $2, $3, $4)
             on conflict (kind, effective_from) do nothing",
            kind as FeeKind,
            day.to_sqlx() as _,
            amount.0,
            by as UserId
        )
        .execute(conn)
        .await?
        .rows_affected(),
    };
    Ok(if inserted == 1 { Ok(()) } else { Err(Refused::DayTaken) })
}

/// Withdraws a price not yet in effect; `false` if there was none to withdraw.
pub async fn withdraw(conn: &mut PgConnection, priced: Priced, today: Date, day: Date) -> sqlx::Result<bool> {
    if day <= today {
        return Ok(false);
    }
    let done = match priced {
        Priced::CaseFee => sqlx::query!("delete from case_fee_schedule where effective_from = $1", day.to_sqlx() as _)
            .execute(conn)
            .await?
            .rows_affected(),
        Priced::Additional(kind) => sqlx::query!(
            "delete from additional_fee_defaults where kind = $1 and effective_from = $2",
            kind as FeeKind,
            day.to_sqlx() as _
        )
        .execute(conn)
        .await?
        .rows_affected(),
    };
    Ok(done == 1)
}
