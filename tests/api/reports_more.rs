//! `/admin/reports`, the reports of money and movement: days to collect
//! records, cases entering and leaving each state per week, money by month.
//! Each CSV's numbers are compared with a direct count on the seeded rows.

use crate::helpers::*;
use jiff::Timestamp;
use reqwest::StatusCode;
use second_opinion::domain::{CaseStatus, Role};
use sqlx::PgPool;

fn pacific(day: &str) -> jiff_sqlx::Timestamp {
    let at: Timestamp = format!("{day}T10:00:00-08:00").parse().unwrap();
    jiff_sqlx::Timestamp::from(at)
}

async fn csv(app: &TestApp, path: &str) -> Vec<String> {
    let res = app.get(path).await;
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    res.text().await.unwrap().lines().map(str::to_owned).collect()
}

/// Sets when a case's source `facility` was asked for and received (Pacific days).
async fn collected(
    app: &TestApp,
    case: &TestCase,
    facility: &str,
    asked: Option<&str>,
    received: &str,
    language: &str,
) {
    sqlx::query(
        "update record_sources set status = 'received', requested_at = $3, received_at = $4, language = $5
         where case_id = $1 and facility = $2",
    )
    .bind(case.case_id.0)
    .bind(facility)
    .bind(asked.map(pacific))
    .bind(pacific(received))
    .bind(language)
    .execute(&app.db)
    .await
    .unwrap();
}

#[sqlx::test]
async fn days_to_collect_records_are_counted_per_category_in_business_days(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let submitted: Timestamp = "2026-11-02T09:00:00-08:00".parse().unwrap();
    let (a, b) = (
        app.case().in_state(CaseStatus::CollectingRecords).at(submitted).create().await,
        app.case().in_state(CaseStatus::CollectingRecords).at(submitted).create().await,
    );
    collected(&app, &a, "North Clinic", Some("2026-11-02"), "2026-11-06", "English").await; // 4
    collected(&app, &a, "South Imaging", Some("2026-11-02"), "2026-11-20", "Spanish").await; // 13: not Veterans Day
    collected(&app, &b, "North Clinic", None, "2026-11-03", "English").await; // 1, from the submission
    collected(&app, &b, "South Imaging", Some("2026-10-01"), "2026-10-30", "English").await; // before the range
    app.login_as(Role::Admin).await;

    let range = "from=2026-11-01&to=2026-11-30";
    let direct = |translation: bool| {
        format!(
            "select count(*) from record_sources where translation_required = {translation}
             and received_at >= '2026-11-01T07:00Z' and received_at < '2026-12-01T08:00Z'"
        )
    };
    let (english, translated) = (app.count(&direct(false)).await, app.count(&direct(true)).await);
    assert_eq!((english, translated), (2, 1));
    let rows = csv(&app, &format!("/admin/reports/records.csv?{range}")).await;
    assert_eq!(
        rows[0],
        "category,sources,median_business_days,p90_business_days,0_to_2_days,3_to_5_days,6_to_10_days,11_to_20_days,over_20_days"
    );
    assert_eq!(rows[1], format!("english,{english},1,4,1,1,0,0,0"));
    assert_eq!(rows[2], format!("needs_translation,{translated},13,13,0,0,0,1,0"));
    assert_eq!(rows[3], format!("all,{},4,13,1,1,0,1,0", english + translated));

    let page = app.page(&format!("/admin/reports?{range}")).await;
    assert!(page.contains("How long do records take to collect?"), "{page}");
    assert!(
        page.contains("<th scope=\"row\">Records needing a translation</th><td>1</td><td>13</td><td>13</td>"),
        "{page}"
    );
    let svg = app.get(&format!("/admin/reports/records.svg?{range}")).await.text().await.unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("Records needing a translation"), "{svg}");
}

#[sqlx::test]
async fn cases_entering_and_leaving_states_are_counted_per_week(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let at = |s: &str| s.parse::<Timestamp>().unwrap();
    app.case().in_state(CaseStatus::InReview).at(at("2026-11-03T09:00:00-08:00")).create().await;
    app.case().in_state(CaseStatus::Submitted).at(at("2026-11-08T22:00:00-08:00")).create().await; // a Sunday night
    app.case().in_state(CaseStatus::Cancelled).at(at("2026-11-10T09:00:00-08:00")).create().await;
    app.case().in_state(CaseStatus::CollectingRecords).at(at("2026-10-20T09:00:00-07:00")).create().await;
    app.login_as(Role::Admin).await;
    // The report reads counts kept by a trigger (0051); they are the events'.
    let kept = app.count("select coalesce(sum(events), 0)::bigint from case_event_hours").await;
    assert_eq!(kept, app.count("select count(*) from case_events").await);

    let rows = csv(&app, "/admin/reports/states.csv?from=2026-11-02&to=2026-11-15").await;
    assert!(
        rows[0].starts_with("week_beginning,submitted_entered,submitted_left,collecting_records_entered"),
        "{rows:?}"
    );
    assert_eq!(rows.len(), 3, "two weeks: {rows:?}");
    let states = [
        "submitted",
        "collecting_records",
        "ready_for_review",
        "in_review",
        "opinion_delivered",
        "closed",
        "cancelled",
    ];
    for (row, (monday, next)) in rows[1..].iter().zip([("2026-11-02", "2026-11-09"), ("2026-11-09", "2026-11-16")]) {
        let mut expected = monday.to_string();
        for s in states {
            let week = format!("at >= '{monday}T08:00Z' and at < '{next}T08:00Z'");
            let entered =
                app.count(&format!("select count(*) from case_events where to_status = '{s}' and {week}")).await;
            let left =
                app.count(&format!("select count(*) from case_events where from_status = '{s}' and {week}")).await;
            expected.push_str(&format!(",{entered},{left}"));
        }
        assert_eq!(row, &expected);
    }
    assert!(rows[1].starts_with("2026-11-02,2,1,1,1,1,1,1,0,0,0,0,0,0,0"), "{rows:?}");
    assert!(rows[2].starts_with("2026-11-09,0,0,0,0"), "{rows:?}");
    assert!(rows[2].ends_with(",1,0"), "the cancelled draft: {rows:?}");
    let page = app.page("/admin/reports?from=2026-11-02&to=2026-11-15").await;
    assert!(
        page.contains("How do cases move from state to state?") && page.contains("<th scope=\"row\">2026-11-09</th>")
    );
}

#[sqlx::test]
async fn money_is_counted_once_in_the_month_it_moved(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let at = |s: &str| s.parse::<Timestamp>().unwrap();
    app.case().in_state(CaseStatus::Submitted).at(at("2026-11-05T09:00:00-08:00")).create().await;
    let refunded = app.case().in_state(CaseStatus::Submitted).at(at("2026-10-15T09:00:00-07:00")).create().await;
    app.case().in_state(CaseStatus::Submitted).at(at("2026-09-15T09:00:00-07:00")).create().await; // before the range
    sqlx::query(
        "with p as (update payments set status = 'refunded' where case_id = $1 returning id, amount_cents)
         insert into refunds (payment_id, amount_cents, reason, status, attempts, requested_at, completed_at)
         select id, amount_cents, 'case_cancelled', 'succeeded', 1, $2, $2 from p",
    )
    .bind(refunded.case_id.0)
    .bind(pacific("2026-11-10"))
    .execute(&app.db)
    .await
    .unwrap();
    sqlx::query("insert into payment_anomalies (kind, provider_payment_id, detail, created_at) values ('unknown_payment', 'pi_x', 'Unknown', $1)")
        .bind(pacific("2026-11-12"))
        .execute(&app.db)
        .await
        .unwrap();
    app.login_as(Role::Admin).await;

    let rows = csv(&app, "/admin/reports/money.csv?from=2026-10-01&to=2026-11-30").await;
    assert_eq!(rows[0], "month,case_fees_cents,additional_fees_cents,refunds_cents,net_cents,anomalies");
    let month = |m: &str, next: &str| (format!("'2026-{m}-01T07:00Z'"), format!("'2026-{next}-01T07:00Z'"));
    for (row, (label, m, next)) in rows[1..].iter().zip([("2026-10", "10", "11"), ("2026-11", "11", "12")]) {
        let (start, end) = month(m, next);
        let end = if next == "12" { "'2026-12-01T08:00Z'".to_owned() } else { end };
        let fees = app.count(&format!("select coalesce(sum(amount_cents), 0)::bigint from payments where status in ('succeeded', 'refunded') and succeeded_at >= {start} and succeeded_at < {end}")).await;
        let back = app.count(&format!("select coalesce(sum(amount_cents), 0)::bigint from refunds where status = 'succeeded' and completed_at >= {start} and completed_at < {end}")).await;
        let odd = app
            .count(&format!(
                "select count(*) from payment_anomalies where created_at >= {start} and created_at < {end}"
            ))
            .await;
        assert_eq!(row, &format!("{label},{fees},0,{back},{},{odd}", fees - back));
    }
    assert_eq!(rows[1..], ["2026-10,90000,0,0,90000,0", "2026-11,90000,0,90000,0,1"]);
    let page = app.page("/admin/reports?from=2026-10-01&to=2026-11-30").await;
    assert!(
        page.contains("<th scope=\"row\">November 2026</th><td>$900</td><td>$0</td><td>$900</td><td>$0</td><td>1</td>"),
        "{page}"
    );
}

#[sqlx::test]
async fn each_section_says_what_the_range_selects(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.login_as(Role::Admin).await;
    let page = app.page("/admin/reports?from=2026-11-01&to=2026-11-30").await;
    assert!(!page.contains("Opinions delivered between"), "the range is not only the opinions'");
    assert!(page.contains("<legend>Date range (Pacific Time, both days included)</legend>"));
    assert_eq!(page.matches("<section aria-labelledby=").count(), 7, "{page}");
    assert!(page.contains("The date range does not change this report."));
    let res = app.get("/admin/reports?from=2026-11-01&to=the+30th").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = text(res).await;
    assert!(
        body.contains(r#"value="the 30th""#) && body.contains("What does the program take and give back?"),
        "{body}"
    );
    for path in ["records", "states", "money"] {
        assert_eq!(app.get(&format!("/admin/reports/{path}.csv?to=nope")).await.status(), StatusCode::NOT_FOUND);
    }
}
