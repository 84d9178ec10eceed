//! Sharing the opinion with the child's doctor: a link that works for 14
//! days, opens only with the date of birth (wrong ones throttled), is
//! read-only, can be withdrawn, and whose every view is audited and listed.

use crate::helpers::*;
use jiff::SignedDuration;
use reqwest::StatusCode;
use second_opinion::domain::{CaseStatus, Role};
use sqlx::PgPool;

/// The family makes a link and reads it off the page (it is shown once).
async fn make_link(family: &TestApp, case: &str) -> String {
    let res = family.post_form(&format!("/family/cases/{case}/shares"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = family.page(&format!("/family/cases/{case}/opinion")).await;
    let link = link_in(&page, &family.url("/shared/")).expect("the new link is shown");
    assert!(!family.page(&format!("/family/cases/{case}/opinion")).await.contains(&link), "only once");
    link.trim_start_matches(&family.base).to_owned()
}

#[sqlx::test]
async fn a_link_opens_only_with_the_date_of_birth_and_every_view_is_listed(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let case = app.case().in_state(CaseStatus::OpinionDelivered).create().await;
    let family = app.signed_in_as(&case.family).await;
    let link = make_link(&family, &case.id).await;

    let doctor = TestApp::spawn(db).await;
    let form = text(doctor.get(&link).await).await;
    assert!(
        form.contains("date of birth") && !form.contains("Mila") && !form.contains(&case.number),
        "nothing before the date"
    );
    let res = doctor.post_form(&link, &[("date_of_birth", "2015-02-01")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = text(res).await;
    assert!(body.contains("does not match") && body.contains("2015-02-01"));
    assert_eq!(app.audit_count("shared_opinion_unlock", "denied").await, 1);
    let res = doctor.post_form(&link, &[("date_of_birth", "2015-01-01")]).await;
    assert_eq!(location(&res), link);
    let opinion = text(doctor.get(&link).await).await;
    assert!(
        opinion.contains("Mila Okafor</bdi>, born January 1, 2015")
            && opinion.contains("All good")
            && opinion.contains("Read-only")
    );
    assert!(!opinion.contains("Send the question") && !opinion.contains("Withdraw"), "read-only");
    doctor.get(&link).await;
    assert_eq!(app.audit_count("view_shared_opinion", "success").await, 2, "each view is audited");
    let listed = text(family.get(&format!("/family/cases/{}/opinion", case.id)).await).await;
    assert!(listed.contains("Opened 2 times"));
    // Read-only: there is nothing to post but the date of birth.
    assert_eq!(
        doctor.post_form(&format!("/family/cases/{}/follow-ups", case.id), &[]).await.status(),
        StatusCode::SEE_OTHER,
        "to sign-in"
    );
}

#[sqlx::test]
async fn wrong_dates_of_birth_are_throttled(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let case = app.case().in_state(CaseStatus::OpinionDelivered).create().await;
    let link = make_link(&app.signed_in_as(&case.family).await, &case.id).await;
    let guesser = TestApp::spawn(db).await;
    for day in 2..=6 {
        let res = guesser.post_form(&link, &[("date_of_birth", &format!("2015-01-0{day}"))]).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let res = guesser.post_form(&link, &[("date_of_birth", "2015-01-01")]).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS, "even the right date waits");
    assert!(text(res).await.contains("Too many tries"));
    guesser.clock.advance(SignedDuration::from_mins(16));
    assert_eq!(location(&guesser.post_form(&link, &[("date_of_birth", "2015-01-01")]).await), link);
}

#[sqlx::test]
async fn withdrawn_and_expired_links_no_longer_open(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    let case = app.case().in_state(CaseStatus::OpinionDelivered).create().await;
    let family = app.signed_in_as(&case.family).await;
    let link = make_link(&family, &case.id).await;
    let share: uuid::Uuid = sqlx::query_scalar("select id from case_shares").fetch_one(&app.db).await.unwrap();

    let stranger = TestApp::spawn(db.clone()).await;
    stranger.login_as(Role::Family).await;
    let revoke = format!("/family/cases/{}/shares/{share}/revoke", case.id);
    assert_eq!(stranger.post_form(&revoke, &[]).await.status(), StatusCode::NOT_FOUND, "not theirs");
    assert_eq!(family.post_form(&revoke, &[]).await.status(), StatusCode::SEE_OTHER);
    let doctor = TestApp::spawn(db).await;
    let res = doctor.get(&link).await;
    assert_eq!(res.status(), StatusCode::GONE);
    assert!(text(res).await.contains("withdrew this link"));
    assert!(text(family.get(&format!("/family/cases/{}/opinion", case.id)).await).await.contains("withdrawn"));

    let second = make_link(&family, &case.id).await;
    doctor.clock.advance(SignedDuration::from_hours(24 * 14));
    let res = doctor.get(&second).await;
    assert_eq!(res.status(), StatusCode::GONE);
    assert!(text(res).await.contains("expired"));
    assert_eq!(doctor.get("/shared/not-a-token").await.status(), StatusCode::NOT_FOUND);

    // The database holds the rules: 14 days exactly, a signed opinion, withdrawn once.
    let constraint = |e: sqlx::Error| e.as_database_error().and_then(|d| d.constraint().map(str::to_owned));
    let longer = sqlx::query(
        "insert into case_shares (case_id, token_hash, created_by, created_at, expires_at) select id, sha256('a'), family_id, now(), now() + interval '30 days' from cases",
    )
    .execute(&app.db)
    .await;
    assert_eq!(longer.map_err(constraint).unwrap_err().as_deref(), Some("case_shares_fourteen_days"));
    let again =
        sqlx::query("update case_shares set revoked_at = now() where id = $1").bind(share).execute(&app.db).await;
    assert_eq!(again.map_err(constraint).unwrap_err().as_deref(), Some("case_shares_immutable"));
    let draft = app.case().in_state(CaseStatus::InReview).create().await;
    let unsigned = sqlx::query(
        "insert into case_shares (case_id, token_hash, created_by, created_at, expires_at) select id, sha256('b'), family_id, now(), now() + interval '14 days' from cases where id = $1::uuid",
    )
    .bind(&draft.id)
    .execute(&app.db)
    .await;
    assert_eq!(unsigned.map_err(constraint).unwrap_err().as_deref(), Some("case_shares_opinion_signed"));
}
