//! `/admin/settings`: the holiday calendar (deadlines use it at once), the
//! case fee schedule (a case keeps the price it was shown) and the additional
//! fees' defaults (the coordinator's form starts from them). Every change audited.

use crate::helpers::*;
use jiff::{SignedDuration, Timestamp};
use reqwest::StatusCode;
use second_opinion::cases::schedule;
use second_opinion::domain::{CaseStatus, Role};
use sqlx::PgPool;

async fn due_date(app: &TestApp, case: &TestCase) -> jiff::civil::Date {
    let due: jiff_sqlx::Timestamp = sqlx::query_scalar("select due_at from cases where id = $1")
        .bind(case.case_id.0)
        .fetch_one(&app.db)
        .await
        .unwrap();
    second_opinion::web::format::pacific_date(due.to_jiff())
}

#[sqlx::test]
async fn a_holiday_the_admin_adds_moves_the_next_deadline_at_once(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    app.login_as(Role::Admin).await;
    // Wednesday 2 December 2026, 10:00 in Los Angeles: a new case is due to be taken on Thursday.
    let at: Timestamp = "2026-12-02T10:00:00-08:00".parse().unwrap();
    let before = app.case().in_state(CaseStatus::Submitted).at(at).create().await;
    assert_eq!(due_date(&app, &before).await.to_string(), "2026-12-03");

    let res = app.post_form("/admin/settings/holidays", &[("day", "2026-12-03"), ("name", "Winter closure")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/admin/settings?year=2026");
    let page = app.page("/admin/settings?year=2026").await;
    assert!(page.contains("Thursday, December 3, 2026") && page.contains("Winter closure"), "{page}");
    let after = app.case().in_state(CaseStatus::Submitted).at(at).create().await;
    assert_eq!(due_date(&app, &after).await.to_string(), "2026-12-04", "the holiday is skipped");
    assert_eq!(app.audit_count("holiday_added", "success").await, 1);

    let res = app.post_form("/admin/settings/holidays/remove", &[("day", "2026-12-03")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let again = app.case().in_state(CaseStatus::Submitted).at(at).create().await;
    assert_eq!(due_date(&app, &again).await.to_string(), "2026-12-03");
    assert!(schedule::calendar(&db).await.unwrap().is_business_day("2026-12-03".parse().unwrap()));
    assert_eq!(app.audit_count("holiday_removed", "success").await, 1);
}

#[sqlx::test]
async fn a_refused_holiday_says_why_and_keeps_what_was_typed(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.login_as(Role::Admin).await;
    let before = app.count("select count(*) from holidays").await;
    for (day, name, says) in [
        ("2026-12-05", "Saturday party", "That day is a weekend"),
        ("2026-12-25", "Christmas again", "That day is already a holiday."),
        ("next friday", "Closure", "as a date, such as 2027-07-05"),
        ("2026-12-07", "", "Enter the holiday's name."),
    ] {
        let res = app.post_form("/admin/settings/holidays", &[("day", day), ("name", name)]).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{day}");
        let body = text(res).await;
        assert!(body.contains(says), "{says}\n{body}");
        assert!(body.contains(&format!(r#"value="{day}""#)), "the typed day stays");
    }
    assert_eq!(app.count("select count(*) from holidays").await, before);
    assert_eq!(app.audit_count("holiday_added", "success").await, 0);
}

#[sqlx::test]
async fn a_case_keeps_the_fee_it_was_shown_when_the_admin_changes_it(db: PgPool) {
    let app = TestApp::spawn(db).await;
    // Ten minutes before midnight on a Tuesday in Los Angeles.
    app.clock.set("2026-12-08T23:50:00-08:00".parse().unwrap());
    let (_, child) = family_with_child(&app).await;
    let started = draft_case(&app, &child).await;
    assert!(app.page(&format!("/family/cases/{started}/review")).await.contains("$900"));

    let admin = app.create_user(Role::Admin).await;
    let admin_app = app.signed_in_as(&admin).await;
    let res = admin_app.post_form("/admin/settings/fee", &[("amount", "950"), ("effective_from", "2026-12-09")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(admin_app.audit_count("case_fee_scheduled", "success").await, 1);
    let page = admin_app.page("/admin/settings").await;
    assert!(page.contains("Today's case fee is <strong>$900</strong>"), "{page}");
    assert!(page.contains("Wednesday, December 9, 2026") && page.contains("$950"), "{page}");

    // After midnight the new fee is the price of new cases, and only theirs.
    app.clock.advance(SignedDuration::from_mins(11));
    assert!(app.page("/").await.contains("$950"));
    let later = draft_case(&app, &child).await;
    assert!(app.page(&format!("/family/cases/{later}/review")).await.contains("Submit and pay $950"));
    let review = app.page(&format!("/family/cases/{started}/review")).await;
    assert!(review.contains("Submit and pay $900") && !review.contains("$950"), "the first case keeps $900");
    let pay = app.page(&format!("/family/cases/{started}/pay")).await;
    assert!(pay.contains("$900") && !pay.contains("$950"), "{pay}");
}

/// The landing page reads the fee schedule from memory; a change made
/// anywhere — here by hand, as another instance would — reaches it through
/// the trigger's NOTIFY (migration 0049), not by a re-read on every view.
#[sqlx::test]
async fn a_fee_changed_anywhere_reaches_every_instances_landing_page(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.clock.set("2026-12-08T09:00:00-08:00".parse().unwrap());
    assert!(app.page("/").await.contains("$900"));
    let admin = app.create_user(Role::Admin).await;
    sqlx::query(
        "insert into case_fee_schedule (effective_from, amount_cents, set_by) values ('2026-12-01', 95000, $1)",
    )
    .bind(admin.id.0)
    .execute(&app.db)
    .await
    .unwrap();
    let landing = app.page_once_it_says("/", "$950").await;
    assert!(landing.contains("$950") && !landing.contains("$900"), "{landing}");
}

#[sqlx::test]
async fn a_refused_fee_says_why_and_changes_nothing(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.clock.set("2026-12-08T09:00:00-08:00".parse().unwrap());
    app.login_as(Role::Admin).await;
    for (amount, day, says) in [
        ("950", "2026-12-08", "Choose a day after today"),
        ("950", "2026-12-01", "Choose a day after today"),
        ("nine hundred", "2026-12-20", "Enter the amount in dollars"),
        ("0.10", "2026-12-20", "between $0.50 and $100,000"),
        ("950", "", "Enter the day the fee takes effect."),
    ] {
        let res = app.post_form("/admin/settings/fee", &[("amount", amount), ("effective_from", day)]).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{amount} {day}");
        let body = text(res).await;
        assert!(body.contains(says), "{says}\n{body}");
        assert!(body.contains(&format!(r#"value="{amount}""#)), "the typed amount stays");
    }
    assert_eq!(app.count("select count(*) from case_fee_schedule").await, 0);

    // A fee not yet in effect can be withdrawn; one day can't have two.
    let far = [("amount", "975"), ("effective_from", "2031-01-06")];
    assert_eq!(app.post_form("/admin/settings/fee", &far).await.status(), StatusCode::SEE_OTHER);
    let res = app.post_form("/admin/settings/fee", &far).await;
    assert!(text(res).await.contains("A price already takes effect that day."));
    let res = app.post_form("/admin/settings/fee/withdraw", &[("day", "2031-01-06")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.count("select count(*) from case_fee_schedule").await, 0);
    assert_eq!(app.audit_count("case_fee_withdrawn", "success").await, 1);
}

#[sqlx::test]
async fn a_fee_in_effect_cannot_be_changed_even_in_the_database(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let admin = app.create_user(Role::Admin).await;
    sqlx::query(
        "insert into case_fee_schedule (effective_from, amount_cents, set_by) values ('2026-01-05', 95000, $1)",
    )
    .bind(admin.id.0)
    .execute(&db)
    .await
    .unwrap();
    for sql in [
        "update case_fee_schedule set amount_cents = 1000",
        "delete from case_fee_schedule where effective_from = '2026-01-05'",
    ] {
        let e = sqlx::query(sql).execute(&db).await.unwrap_err();
        assert!(e.to_string().contains("never changed or removed"), "{sql}: {e}");
    }
}

#[sqlx::test]
async fn only_the_admin_changes_settings(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.login_as(Role::Coordinator).await;
    let before = app.audit_count("access_denied", "denied").await;
    assert_eq!(app.get("/admin/settings").await.status(), StatusCode::NOT_FOUND);
    let res = app.post_form("/admin/settings/holidays", &[("day", "2026-12-07"), ("name", "Closure")]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = app.post_form("/admin/settings/fee", &[("amount", "1"), ("effective_from", "2030-01-01")]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let default = [("kind", "imaging"), ("default_amount", "250"), ("default_effective_from", "2030-01-01")];
    assert_eq!(app.post_form("/admin/settings/fee-default", &default).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.count("select count(*) from additional_fee_defaults").await, 0);
    assert_eq!(app.count("select count(*) from holidays where day = '2026-12-07'").await, 0);
    assert_eq!(app.count("select count(*) from case_fee_schedule").await, 0);
    assert!(app.audit_count("access_denied", "denied").await >= before + 4);
}

#[sqlx::test]
async fn an_additional_fee_default_fills_the_coordinators_form_from_its_day(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    app.clock.set("2026-12-08T09:00:00-08:00".parse().unwrap());
    let admin_user = app.create_user(Role::Admin).await;
    let admin = app.signed_in_as(&admin_user).await;
    app.login_as(Role::Coordinator).await;
    let coordinator = &app;
    let case = app.case().create().await;
    move_case(&app, &case.id, &["collecting_records"]).await;
    let workspace = format!("/coordinator/cases/{}", case.id);
    let page = coordinator.page(&workspace).await;
    assert!(page.contains(r#"name="amount" type="text" value="""#) && !page.contains("Defaults today"), "{page}");

    let today = [("kind", "imaging"), ("default_amount", "250"), ("default_effective_from", "2026-12-08")];
    assert_eq!(admin.post_form("/admin/settings/fee-default", &today).await.status(), StatusCode::SEE_OTHER);
    let later = [("kind", "pathology"), ("default_amount", "$1,200.50"), ("default_effective_from", "2026-12-09")];
    assert_eq!(admin.post_form("/admin/settings/fee-default", &later).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(admin.audit_count("additional_fee_default_scheduled", "success").await, 2);
    let settings = admin.page("/admin/settings").await;
    assert!(settings.contains("$250") && settings.contains("No default yet"), "pathology starts tomorrow: {settings}");

    let page = coordinator.page(&workspace).await;
    assert!(page.contains(r#"value="$250""#) && page.contains("Defaults today: imaging re-review $250."), "{page}");
    assert!(!page.contains("$1,200.50"), "tomorrow's default is not yet in effect");
    // The next morning (both sign in again: a session lasts at most 12 hours).
    app.clock.set("2026-12-09T08:00:00-08:00".parse().unwrap());
    app.login_as(Role::Coordinator).await;
    let admin = app.signed_in_as(&admin_user).await;
    let page = coordinator.page(&workspace).await;
    assert!(page.contains("imaging re-review $250; pathology re-review $1,200.50"), "{page}");

    // A fee asked for keeps its amount; a default in effect is never changed, even by hand.
    let res = coordinator
        .post_form(&format!("{workspace}/fees"), &[("kind", "imaging"), ("amount", "300"), ("reason", "MRI")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let next = [("kind", "imaging"), ("default_amount", "275"), ("default_effective_from", "2026-12-10")];
    assert_eq!(admin.post_form("/admin/settings/fee-default", &next).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.count("select count(*) from fee_requests where amount_cents = 30000").await, 1);
    let e = sqlx::query("update additional_fee_defaults set amount_cents = 100").execute(&db).await.unwrap_err();
    assert!(e.to_string().contains("never changed or removed"), "{e}");
    let res = admin.post_form("/admin/settings/fee/withdraw", &[("day", "2026-12-10"), ("kind", "imaging")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(admin.audit_count("additional_fee_default_withdrawn", "success").await, 1);
    let res = admin.post_form("/admin/settings/fee/withdraw", &[("day", "2026-12-08"), ("kind", "imaging")]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "a default in effect stays");
    assert_eq!(app.count("select count(*) from additional_fee_defaults").await, 2);
}

#[sqlx::test]
async fn a_refused_default_says_why_and_changes_nothing(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.clock.set("2026-12-08T09:00:00-08:00".parse().unwrap());
    app.login_as(Role::Admin).await;
    for (kind, amount, day, says) in [
        ("imaging", "250", "2026-12-07", "Choose today or a day to come"),
        ("imaging", "0.50", "2026-12-20", "between $1 and $10,000"),
        ("imaging", "20000", "2026-12-20", "between $1 and $10,000"),
        ("x-ray", "250", "2026-12-20", "Choose imaging or pathology."),
        ("pathology", "250", "", "Enter the day it takes effect."),
    ] {
        let form = [("kind", kind), ("default_amount", amount), ("default_effective_from", day)];
        let res = app.post_form("/admin/settings/fee-default", &form).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{kind} {amount} {day}");
        let body = text(res).await;
        assert!(body.contains(says), "{says}\n{body}");
        assert!(body.contains(&format!(r#"value="{amount}""#)), "the typed amount stays");
    }
    assert_eq!(app.count("select count(*) from additional_fee_defaults").await, 0);
    assert_eq!(app.audit_count("additional_fee_default_scheduled", "success").await, 0);
    let form = [("kind", "imaging"), ("default_amount", "250"), ("default_effective_from", "2026-12-20")];
    assert_eq!(app.post_form("/admin/settings/fee-default", &form).await.status(), StatusCode::SEE_OTHER);
    let body = text(app.post_form("/admin/settings/fee-default", &form).await).await;
    assert!(body.contains("A price already takes effect that day."), "{body}");
    assert_eq!(app.count("select count(*) from additional_fee_defaults").await, 1);
}
