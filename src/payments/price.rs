//! The case fee. The admin schedules prices (`case_fee_schedule`, each from a
//! Pacific day on); before the first, `CASE_FEE_CENTS` is the price. A case
//! costs the price in effect on the Pacific day the family started it, so
//! every page of one case shows one price and a change never reaches a case
//! already begun: "a case keeps the price it was shown".

use crate::domain::business_days::TIME_ZONE;
use crate::domain::{CaseId, Cents, UserId};
use jiff::civil::Date;
use jiff_sqlx::ToSqlx;
use sqlx::PgConnection;

/// One scheduled price.
pub struct Scheduled {
    pub effective_from: Date,
    pub amount: Cents,
}

/// The admin's scheduled prices, newest first: the one owner of "the price
/// in effect on a day". Pages read it from memory (`reference_cache`);
/// payments read it afresh, in their transaction.
pub struct FeeSchedule {
    prices: Vec<Scheduled>,
}

impl FeeSchedule {
    pub async fn load(conn: &mut PgConnection) -> sqlx::Result<Self> {
        Ok(FeeSchedule { prices: schedule(conn).await? })
    }

    /// The price for a case started on `day`; before the first scheduled
    /// price, `default` (`CASE_FEE_CENTS`).
    pub fn on(&self, day: Date, default: Cents) -> Cents {
        self.prices.iter().find(|p| p.effective_from <= day).map_or(default, |p| p.amount)
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

/// Every scheduled price, newest first.
pub async fn schedule(conn: &mut PgConnection) -> sqlx::Result<Vec<Scheduled>> {
    let rows = sqlx::query!(
        r#"select effective_from as "day: jiff_sqlx::Date", amount_cents as "amount: Cents"
           from case_fee_schedule order by effective_from desc"#
    )
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| Scheduled { effective_from: r.day.to_jiff(), amount: r.amount }).collect())
}

/// Why a price could not be scheduled.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// Only a day still to come: a case started today was already shown today's price.
    NotInTheFuture,
    /// That day already has a price (withdraw it first).
    DayTaken,
}

/// Schedules `amount` from `day` on (a day after `today`).
pub async fn add(
    conn: &mut PgConnection,
    today: Date,
    day: Date,
    amount: Cents,
    by: UserId,
) -> sqlx::Result<Result<(), Refused>> {
    if day <= today {
        return Ok(Err(Refused::NotInTheFuture));
    }
    let inserted = sqlx::query!(
        "insert into case_fee_schedule (effective_from, amount_cents, set_by) values ($1, $2, $3)
         on conflict (effective_from) do nothing",
        day.to_sqlx() as _,
        amount.0,
        by as UserId
    )
    .execute(conn)
    .await?;
    Ok(if inserted.rows_affected() == 1 { Ok(()) } else { Err(Refused::DayTaken) })
}

/// Withdraws a price not yet in effect; `false` if there was none to withdraw.
pub async fn withdraw(conn: &mut PgConnection, today: Date, day: Date) -> sqlx::Result<bool> {
    if day <= today {
        return Ok(false);
    }
    let done = sqlx::query!("delete from case_fee_schedule where effective_from = $1", day.to_sqlx() as _)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}
