//! `/admin/reports`: each chart's numbers equal a direct count on seeded
//! cases, as the page's table, the CSV and the SVG show them.

use crate::helpers::*;
use jiff::{SignedDuration, Timestamp};
use reqwest::StatusCode;
use second_opinion::clock::Clock;
use second_opinion::domain::{CaseStatus, Role};
use sqlx::PgPool;

/// A delivered case whose records were complete at `ready` (Pacific) and whose opinion came at `delivered`.
async fn delivered(app: &TestApp, specialist: &TestUser, ready: &str, delivered: &str) {
    let ready: Timestamp = format!("{ready}T10:00:00-08:00").parse().unwrap();
    let delivered: Timestamp = format!("{delivered}T15:00:00-08:00").parse().unwrap();
    let case = app.case().in_state(CaseStatus::OpinionDelivered).specialist(specialist).at(ready).create().await;
    sqlx::query("update cases set opinion_delivered_at = $2 where id = $1")
        .bind(case.case_id.0)
        .bind(jiff_sqlx::Timestamp::from(delivered))
        .execute(&app.db)
        .await
        .unwrap();
}

async fn csv(app: &TestApp, path: &str) -> String {
    let res = app.get(path).await;
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    res.text().await.unwrap()
}

#[sqlx::test]
async fn the_on_time_report_counts_business_days_as_the_promise_does(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.clock.set("2026-12-01T09:00:00-08:00".parse().unwrap());
    let (first, second) = (app.create_user(Role::Specialist).await, app.create_user(Role::Specialist).await);
    delivered(&app, &first, "2026-11-02", "2026-11-06").await; // 4 business days
    delivered(&app, &second, "2026-11-02", "2026-11-12").await; // 7: Veterans Day does not count
    delivered(&app, &first, "2026-11-16", "2026-11-30").await; // 9: nor does Thanksgiving
    delivered(&app, &first, "2026-10-19", "2026-10-30").await; // before the range
    app.login_as(Role::Admin).await;

    let range = "from=2026-11-01&to=2026-11-30";
    let in_range = app
        .count("select count(*) from cases where opinion_delivered_at >= '2026-11-01T08:00Z' and opinion_delivered_at < '2026-12-01T08:00Z'")
        .await;
    assert_eq!(in_range, 3);
    let body = csv(&app, &format!("/admin/reports/on-time.csv?{range}")).await;
    let rows: Vec<&str> = body.lines().collect();
    assert_eq!(rows[0], "business_days,opinions");
    let counted: Vec<&str> = rows[1..].iter().copied().filter(|r| !r.ends_with(",0")).collect();
    assert_eq!(counted, ["4,1", "7,1", "9,1"]);
    let total: i64 = rows[1..].iter().map(|r| r.rsplit(',').next().unwrap().parse::<i64>().unwrap()).sum();
    assert_eq!(total, in_range);

    let page = app.page(&format!("/admin/reports?{range}")).await;
    assert!(page.contains("<strong>67%</strong> of 3 opinions delivered within 7 business days"), "{page}");
    assert!(page.contains(&format!("<bdi>{}</bdi></th><td>2</td><td>50%</td>", first.name)), "{page}");
    assert!(page.contains(&format!("<bdi>{}</bdi></th><td>1</td><td>100%</td>", second.name)), "{page}");

    let res = app.get(&format!("/admin/reports/on-time.svg?{range}")).await;
    assert_eq!(res.headers()["content-type"], "image/svg+xml");
    assert!(res.text().await.unwrap().starts_with("<svg"));
}

#[sqlx::test]
async fn the_waiting_report_counts_open_cases_by_state_and_age(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let now = app.clock.now();
    let days_ago = |d: i64| now - SignedDuration::from_hours(24 * d) - SignedDuration::from_mins(5);
    app.case().in_state(CaseStatus::Submitted).at(days_ago(0)).create().await;
    app.case().in_state(CaseStatus::Submitted).at(days_ago(10)).create().await;
    app.case().in_state(CaseStatus::CollectingRecords).at(days_ago(3)).create().await;
    app.case().in_state(CaseStatus::InReview).at(days_ago(20)).create().await;
    app.case().in_state(CaseStatus::Closed).at(days_ago(20)).create().await;
    app.login_as(Role::Admin).await;

    let body = csv(&app, "/admin/reports/waiting.csv").await;
    assert!(body.contains("\nsubmitted,1,0,1,0,2\n"), "{body}");
    assert!(body.contains("\ncollecting_records,0,1,0,0,1\n"), "{body}");
    assert!(body.contains("\nin_review,0,0,0,1,1\n"), "{body}");
    assert!(!body.contains("closed"), "only open cases");
    for (status, n) in [("submitted", 2), ("collecting_records", 1), ("ready_for_review", 0), ("in_review", 1)] {
        let direct = app.count(&format!("select count(*) from cases where status = '{status}'")).await;
        assert_eq!(direct, n, "{status}");
        assert!(body.lines().any(|l| l.starts_with(&format!("{status},")) && l.ends_with(&format!(",{n}"))), "{body}");
    }
    let page = app.page("/admin/reports").await;
    assert!(page.contains("Where do cases wait?") && page.contains("/admin/reports/waiting.svg"), "{page}");
}

/// The counts are kept by a trigger (migration 0048), not counted per view:
/// they follow cases through every change of state, and a deleted draft.
#[sqlx::test]
async fn the_waiting_counts_follow_cases_from_state_to_state(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let moving = app.case().in_state(CaseStatus::Submitted).create().await;
    let cancelled = app.case().in_state(CaseStatus::CollectingRecords).create().await;
    app.case().in_state(CaseStatus::InReview).create().await;
    app.login_as(Role::Coordinator).await;
    app.coordinator_does(&moving.id, "take", &[]).await;
    app.coordinator_does(&cancelled.id, "cancel", &[]).await;
    assert_eq!(status_of(&app, &moving.id).await, "collecting_records");
    assert_eq!(status_of(&app, &cancelled.id).await, "cancelled");

    let kept = app.count("select coalesce(sum(cases), 0) from cases_waiting_hours").await;
    let direct = app.count("select count(*) from cases where case_entered_state(cases) is not null").await;
    assert_eq!((kept, direct), (2, 2), "the moved case counted once, the cancelled one not at all");
    let mismatched = app
        .count(
            "select count(*) from (select status, date_trunc('hour', case_entered_state(c), 'UTC') h, count(*) n
                                   from cases c where case_entered_state(c) is not null group by 1, 2) d
             full join cases_waiting_hours w on w.status = d.status and w.entered_hour = d.h
             where w.cases is distinct from d.n",
        )
        .await;
    assert_eq!(mismatched, 0, "per state and hour, the kept counts are the direct ones");

    app.login_as(Role::Admin).await;
    let body = csv(&app, "/admin/reports/waiting.csv").await;
    assert!(body.contains("\ncollecting_records,1,0,0,0,1\n") && body.contains("\nin_review,1,0,0,0,1\n"), "{body}");
    assert!(body.contains("\nsubmitted,0,0,0,0,0\n"), "{body}");
}

#[sqlx::test]
async fn a_malformed_range_is_refused_on_the_page(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.login_as(Role::Admin).await;
    let res = app.get("/admin/reports?from=last+week&to=2026-11-30").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = text(res).await;
    assert!(body.contains("Enter the day as a date") && body.contains(r#"value="last week""#), "{body}");
    let res = app.get("/admin/reports?from=2026-11-30&to=2026-11-01").await;
    assert!(text(res).await.contains("must not be before its start"));
    assert_eq!(app.get("/admin/reports/on-time.csv?from=nope").await.status(), StatusCode::NOT_FOUND);
}

#[sqlx::test]
async fn only_the_admin_reads_reports(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.login_as(Role::Coordinator).await;
    let before = app.audit_count("access_denied", "denied").await;
    for path in [
        "/admin/reports",
        "/admin/reports/on-time.csv",
        "/admin/reports/waiting.svg",
        "/admin/reports/follow-ups.csv",
        "/admin/reports/follow-ups.svg",
        "/admin/reports/calls.csv",
        "/admin/reports/calls.svg",
        "/admin/reports/records.csv",
        "/admin/reports/records.svg",
        "/admin/reports/states.csv",
        "/admin/reports/states.svg",
        "/admin/reports/money.csv",
        "/admin/reports/money.svg",
    ] {
        assert_eq!(app.get(path).await.status(), StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(app.audit_count("access_denied", "denied").await, before + 13);
}

/// A follow-up question on `case` asked at `asked`, answered by `by` if given, escalated if `escalated`.
async fn follow_up(app: &TestApp, case: &TestCase, position: i16, asked: &str, by: Option<&TestUser>, escalated: bool) {
    let asked: Timestamp = format!("{asked}T10:00:00-08:00").parse().unwrap();
    sqlx::query(
        "insert into follow_up_questions (case_id, position, question_id, body, asked_at, answer, answered_by, answered_at, escalated_at)
         values ($1, $2, $3, 'Is the dose right?', $4, case when $5::uuid is null then null else 'Yes.' end, $5,
                 case when $5::uuid is null then null else $4 end, case when $6 then $4 end)",
    )
    .bind(case.case_id.0)
    .bind(position)
    .bind(case.questions[0])
    .bind(jiff_sqlx::Timestamp::from(asked))
    .bind(by.map(|u| u.id.0))
    .bind(escalated)
    .execute(&app.db)
    .await
    .unwrap();
}

#[sqlx::test]
async fn the_follow_up_report_counts_questions_and_who_answered_them(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.clock.set("2026-12-01T09:00:00-08:00".parse().unwrap());
    let (clinician, specialist) = (app.create_user(Role::Clinician).await, app.create_user(Role::Specialist).await);
    let one = app.case().in_state(CaseStatus::OpinionDelivered).specialist(&specialist).create().await;
    let two = app.case().in_state(CaseStatus::OpinionDelivered).specialist(&specialist).create().await;
    follow_up(&app, &one, 1, "2026-11-03", Some(&clinician), false).await;
    follow_up(&app, &one, 2, "2026-11-10", Some(&specialist), true).await;
    follow_up(&app, &one, 3, "2026-11-20", None, true).await;
    follow_up(&app, &two, 1, "2026-11-30", None, false).await;
    follow_up(&app, &two, 2, "2026-10-30", Some(&clinician), false).await; // before the range
    app.login_as(Role::Admin).await;

    let range = "from=2026-11-01&to=2026-11-30";
    let window = "asked_at >= '2026-11-01T08:00Z' and asked_at < '2026-12-01T08:00Z'";
    let direct = |filter: &str| {
        format!(
            "select count(*) from follow_up_questions f left join users u on u.id = f.answered_by where {window} {filter}"
        )
    };
    let expected = [
        ("asked", app.count(&direct("")).await),
        ("answered_by_clinician", app.count(&direct("and answer is not null and u.role = 'clinician'")).await),
        ("answered_by_specialist", app.count(&direct("and answer is not null and u.role = 'specialist'")).await),
        ("not_answered", app.count(&direct("and answer is null")).await),
        ("escalated", app.count(&direct("and escalated_at is not null")).await),
    ];
    assert_eq!(expected.map(|(_, n)| n), [4, 1, 1, 2, 2]);
    let body = csv(&app, &format!("/admin/reports/follow-ups.csv?{range}")).await;
    let mut want = String::from("follow_up_questions,count\n");
    for (key, n) in expected {
        want.push_str(&format!("{key},{n}\n"));
    }
    assert_eq!(body, want);

    let page = app.page(&format!("/admin/reports?{range}")).await;
    assert!(page.contains("<th scope=\"row\">Answered by the specialist</th><td>1</td>"), "{page}");
    assert!(page.contains("<th scope=\"row\">Not answered yet</th><td>2</td>"), "{page}");
    let res = app.get(&format!("/admin/reports/follow-ups.svg?{range}")).await;
    assert_eq!(res.headers()["content-type"], "image/svg+xml");
    assert!(res.text().await.unwrap().contains("Answered by the clinician"));
}

/// A delivered case whose call is due at `due` (Pacific noon) and, if `completed`, was completed then.
async fn call_due(app: &TestApp, clinician: &TestUser, due: &str, completed: Option<&str>) {
    let at = |day: &str| jiff_sqlx::Timestamp::from(format!("{day}T12:00:00-08:00").parse::<Timestamp>().unwrap());
    let case = app.case().in_state(CaseStatus::OpinionDelivered).clinician(clinician).create().await;
    sqlx::query("update cases set call_due_at = $2 where id = $1")
        .bind(case.case_id.0)
        .bind(at(due))
        .execute(&app.db)
        .await
        .unwrap();
    // A missed attempt first: only the completed one counts.
    sqlx::query("insert into follow_up_calls (case_id, clinician_id, outcome, at) values ($1, $2, 'no_answer', $3)")
        .bind(case.case_id.0)
        .bind(clinician.id.0)
        .bind(at("2026-11-01"))
        .execute(&app.db)
        .await
        .unwrap();
    if let Some(day) = completed {
        sqlx::query(
            "insert into follow_up_calls (case_id, clinician_id, outcome, at) values ($1, $2, 'completed', $3)",
        )
        .bind(case.case_id.0)
        .bind(clinician.id.0)
        .bind(at(day))
        .execute(&app.db)
        .await
        .unwrap();
    }
}

#[sqlx::test]
async fn the_calls_report_counts_calls_completed_by_their_deadline(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.clock.set("2026-11-25T09:00:00-08:00".parse().unwrap());
    let clinician = app.create_user(Role::Clinician).await;
    call_due(&app, &clinician, "2026-11-05", Some("2026-11-04")).await; // on time
    call_due(&app, &clinician, "2026-11-10", Some("2026-11-10")).await; // on the deadline itself
    call_due(&app, &clinician, "2026-11-12", Some("2026-11-16")).await; // late
    call_due(&app, &clinician, "2026-11-20", None).await; // missed
    call_due(&app, &clinician, "2026-11-27", None).await; // not yet due
    call_due(&app, &clinician, "2026-10-20", Some("2026-10-19")).await; // before the range
    app.login_as(Role::Admin).await;

    let range = "from=2026-11-01&to=2026-11-30";
    let window = "c.call_due_at >= '2026-11-01T08:00Z' and c.call_due_at < '2026-12-01T08:00Z'";
    let first = "(select min(at) from follow_up_calls k where k.case_id = c.id and k.outcome = 'completed')";
    let direct = |filter: String| format!("select count(*) from cases c where {window} {filter}");
    let now = "'2026-11-25T17:00Z'";
    let expected = [
        ("due", app.count(&direct(String::new())).await),
        ("completed_on_time", app.count(&direct(format!("and {first} <= c.call_due_at"))).await),
        ("completed_late", app.count(&direct(format!("and {first} > c.call_due_at"))).await),
        (
            "not_completed_past_deadline",
            app.count(&direct(format!("and {first} is null and c.call_due_at < {now}"))).await,
        ),
        (
            "not_completed_not_yet_due",
            app.count(&direct(format!("and {first} is null and c.call_due_at >= {now}"))).await,
        ),
    ];
    assert_eq!(expected.map(|(_, n)| n), [5, 2, 1, 1, 1]);
    let body = csv(&app, &format!("/admin/reports/calls.csv?{range}")).await;
    let mut want = String::from("follow_up_calls,count\n");
    for (key, n) in expected {
        want.push_str(&format!("{key},{n}\n"));
    }
    assert_eq!(body, want);

    let page = app.page(&format!("/admin/reports?{range}")).await;
    assert!(
        page.contains("<strong>40%</strong> of 5 clinician calls due in the range completed by their deadline"),
        "{page}"
    );
    let res = app.get(&format!("/admin/reports/calls.svg?{range}")).await;
    assert_eq!(res.headers()["content-type"], "image/svg+xml");
    assert!(res.text().await.unwrap().contains("Completed by the deadline"));
}
