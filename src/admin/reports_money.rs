//! Money by month, for `/admin/reports`: each payment counted once, in the
//! Pacific month the money was taken (`succeeded_at`; a payment later refunded
//! stays counted there), each refund in the month the gateway confirmed it
//! (`completed_at` of a `succeeded` refund; one asked for, failed or left for
//! a person is not money given back yet), and the anomalies recorded. Three
//! grouped reads through the indexes of 0050.

use crate::domain::Cents;
use crate::domain::payment::PurposeKind;
use jiff::Timestamp;
use jiff::civil::Date;
use jiff_sqlx::ToSqlx;
use sqlx::PgConnection;

/// One Pacific month (its first day).
#[derive(Debug, PartialEq, Eq)]
pub struct Month {
    pub first: Date,
    pub case_fees: Cents,
    pub additional_fees: Cents,
    pub refunds: Cents,
    pub anomalies: u64,
}

impl Month {
    /// Taken less given back.
    pub fn net(&self) -> Cents {
        Cents(self.case_fees.0 + self.additional_fees.0 - self.refunds.0)
    }

    /// "November 2026".
    pub fn label(&self) -> String {
        self.first.strftime("%B %Y").to_string()
    }
}

/// Every month that overlaps `first..=last`, in order, even the quiet ones.
pub async fn money_by_month(
    conn: &mut PgConnection,
    from: Timestamp,
    to: Timestamp,
    first: Date,
    last: Date,
) -> sqlx::Result<Vec<Month>> {
    let tz = crate::domain::business_days::TIME_ZONE;
    let mut months = Vec::new();
    let mut month = first.first_of_month();
    while month <= last {
        months.push(Month {
            first: month,
            case_fees: Cents(0),
            additional_fees: Cents(0),
            refunds: Cents(0),
            anomalies: 0,
        });
        month = month.last_of_month().saturating_add(jiff::Span::new().days(1));
    }
    let taken = sqlx::query!(
        r#"select (date_trunc('month', succeeded_at at time zone $3))::date as "month!: jiff_sqlx::Date",
                  purpose as "purpose: PurposeKind", sum(amount_cents)::bigint as "cents!"
           from payments
           where status in ('succeeded', 'refunded') and succeeded_at >= $1 and succeeded_at < $2
           group by 1, 2"#,
        from.to_sqlx() as _,
        to.to_sqlx() as _,
        tz
    )
    .fetch_all(&mut *conn)
    .await?;
    for r in taken {
        if let Some(m) = months.iter_mut().find(|m| m.first == r.month.to_jiff()) {
            match r.purpose {
                PurposeKind::CaseFee => m.case_fees.0 += r.cents,
                PurposeKind::AdditionalFee => m.additional_fees.0 += r.cents,
            }
        }
    }
    let refunded = sqlx::query!(
        r#"select (date_trunc('month', completed_at at time zone $3))::date as "month!: jiff_sqlx::Date",
                  sum(amount_cents)::bigint as "cents!"
           from refunds where status = 'succeeded' and completed_at >= $1 and completed_at < $2
           group by 1"#,
        from.to_sqlx() as _,
        to.to_sqlx() as _,
        tz
    )
    .fetch_all(&mut *conn)
    .await?;
    for r in refunded {
        if let Some(m) = months.iter_mut().find(|m| m.first == r.month.to_jiff()) {
            m.refunds.0 += r.cents;
        }
    }
    let anomalies = sqlx::query!(
        r#"select (date_trunc('month', created_at at time zone $3))::date as "month!: jiff_sqlx::Date",
                  count(*) as "n!"
           from payment_anomalies where created_at >= $1 and created_at < $2
           group by 1"#,
        from.to_sqlx() as _,
        to.to_sqlx() as _,
        tz
    )
    .fetch_all(&mut *conn)
    .await?;
    for r in anomalies {
        if let Some(m) = months.iter_mut().find(|m| m.first == r.month.to_jiff()) {
            m.anomalies += r.n.max(0) as u64;
        }
    }
    Ok(months)
}
