//! Records releases: signed with each location, required for every one
//! before submission (by the database too), kept exactly as signed, and
//! printed by the coordinator as a one-page letter to the provider.

use crate::helpers::*;
use reqwest::StatusCode;
use second_opinion::domain::{CaseStatus, Role};
use sqlx::PgPool;

fn constraint(e: sqlx::Error) -> Option<String> {
    e.as_database_error().and_then(|d| d.constraint().map(str::to_owned))
}

#[sqlx::test]
async fn a_location_is_added_only_with_its_signed_release(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let (_, child) = family_with_child(&app).await;
    let case = draft_case(&app, &child).await;
    let location_only =
        [("facility", "Riverside Imaging"), ("records_description", "MRI of the abdomen"), ("language", "English")];
    let res = app.post_form(&format!("/family/cases/{case}/records"), &location_only).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = text(res).await;
    for why in ["Type your full name to sign the release.", "Say who you are to the child.", "Tick the box"] {
        assert!(body.contains(why), "{why}");
    }
    assert!(body.contains("value=\"Riverside Imaging\""), "what was typed is kept");
    assert_eq!(app.count("select count(*) from record_sources").await, 1, "nothing was added");

    let res = app.post_form(&format!("/family/cases/{case}/records"), &with_release(&location_only)).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (signer, relationship, expires_in_days, ip_kept): (String, String, i32, bool) = sqlx::query_as(
        r#"select r.signer_name, r.relationship::text, r.expires_on - (r.signed_at at time zone 'America/Los_Angeles')::date,
                  r.signer_ip is not null
           from record_releases r join record_sources s on s.id = r.record_source_id where s.facility = 'Riverside Imaging'"#,
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!((signer.as_str(), relationship.as_str(), ip_kept), ("Grace Okafor", "parent", true));
    assert!((365..=366).contains(&expires_in_days), "a year unless chosen otherwise");
    let page = text(app.get(&format!("/family/cases/{case}/records")).await).await;
    assert!(page.contains("Signed by <bdi>Grace Okafor</bdi>"));
}

#[sqlx::test]
async fn a_case_is_submitted_only_with_a_release_for_every_location(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let (_, child) = family_with_child(&app).await;
    let case = draft_case(&app, &child).await;
    add_questions(&app, &case, 1).await;
    // A location that came without one (an older draft).
    sqlx::query(
        "insert into record_sources (case_id, facility, records_description) values ($1::uuid, 'Old Clinic', 'Notes')",
    )
    .bind(&case)
    .execute(&app.db)
    .await
    .unwrap();
    let res = app.post_form(&format!("/family/cases/{case}/submit"), &CONSENTS).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(res).await.contains("Sign the release for Old Clinic"));
    assert_eq!(app.count("select count(*) from payments").await, 0);
    assert!(text(app.get("/family").await).await.contains("Sign the release for Old Clinic"));

    // The database refuses too, whoever tries.
    let mut tx = app.db.begin().await.unwrap();
    let refused = second_opinion::cases::transition(
        &mut tx,
        second_opinion::domain::CaseId(case.parse().unwrap()),
        CaseStatus::Draft,
        CaseStatus::Submitted,
        None,
        None,
        jiff::Timestamp::now(),
    )
    .await;
    assert!(refused.is_err());
    drop(tx);
    let raw = sqlx::query("update cases set status = 'submitted', consented_at = now() where id = $1::uuid")
        .bind(&case)
        .execute(&app.db)
        .await;
    assert_eq!(raw.map_err(constraint).unwrap_err().as_deref(), Some("cases_releases_signed"));

    // Signed from its card on the records page, the case goes through.
    let old: uuid::Uuid = sqlx::query_scalar("select id from record_sources where facility = 'Old Clinic'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let path = format!("/family/cases/{case}/records/{old}/release");
    let res = app.post_form(&path, &[("release_signer", "Grace Okafor"), ("release_expires_on", "1999-01-01")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = text(res).await;
    assert!(body.contains("must end after today") && body.contains("value=\"Grace Okafor\""));
    assert_eq!(location(&app.post_form(&path, &RELEASE).await), format!("/family/cases/{case}/records"));
    assert_eq!(app.post_form(&path, &RELEASE).await.status(), StatusCode::CONFLICT, "signed once");
    let res = app.post_form(&format!("/family/cases/{case}/submit"), &CONSENTS).await;
    assert_eq!(location(&res), format!("/family/cases/{case}/pay"));
}

#[sqlx::test]
async fn a_signed_release_cannot_be_changed_and_outlives_its_location(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let (_, child) = family_with_child(&app).await;
    let case = draft_case(&app, &child).await;
    let edit = sqlx::query("update record_releases set signer_name = 'Someone else'").execute(&app.db).await;
    assert_eq!(edit.map_err(constraint).unwrap_err().as_deref(), Some("record_releases_immutable"));
    let delete = sqlx::query("delete from record_releases").execute(&app.db).await;
    assert_eq!(delete.map_err(constraint).unwrap_err().as_deref(), Some("record_releases_immutable"));
    let too_long = sqlx::query(
        r#"insert into record_releases (case_id, provider_name, records_description, date_range, expires_on, signer_name,
                                        relationship, signed_by, signed_at)
           select id, 'x', 'y', '', current_date + 1000, 'A', 'parent', family_id, now() from cases"#,
    )
    .execute(&app.db)
    .await;
    assert_eq!(too_long.map_err(constraint).unwrap_err().as_deref(), Some("record_releases_expiry"));

    let source = app.sources_of(&case).await[0];
    let res = app.post_form(&format!("/family/cases/{case}/records/{source}/delete"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let kept: (Option<uuid::Uuid>, String) =
        sqlx::query_as("select record_source_id, provider_name from record_releases").fetch_one(&app.db).await.unwrap();
    assert_eq!(kept, (None, "Valley Children's Clinic".to_owned()), "the signed release stays on file");
}

#[sqlx::test]
async fn the_coordinator_sees_each_release_and_prints_its_letter(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.login_as(Role::Coordinator).await;
    let case = app.case().in_state(CaseStatus::CollectingRecords).create().await;
    let id = case.id.as_str();
    let source = app.sources_of(id).await[0];
    assert!(text(app.get(&format!("/coordinator/cases/{id}")).await).await.contains("Print the authorization letter"));
    let letter = text(app.get(&format!("/coordinator/cases/{id}/sources/{source}/release")).await).await;
    for fact in [
        "Authorization to release medical records",
        "North Clinic",
        "Mila Okafor",
        "January 1, 2015",
        "Second opinion",
        "Test Parent",
        &case.number,
    ] {
        assert!(letter.contains(fact), "{fact}");
    }
    assert_eq!(app.audit_count("view_release_letter", "success").await, 1);

    // A location the coordinator adds: the family is asked to sign its release; no letter until then.
    let add = [("facility", "Lab Partners"), ("records_description", "Blood tests"), ("language", "English")];
    app.post_form(&format!("/coordinator/cases/{id}/sources"), &add).await;
    let added: uuid::Uuid = sqlx::query_scalar("select id from record_sources where facility = 'Lab Partners'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(
        app.get(&format!("/coordinator/cases/{id}/sources/{added}/release")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.outbox_kinds(&case.family.email).await, ["case_update"], "the family is told to sign it");
    let family = app.signed_in_as(&case.family).await;
    let page = text(family.get(&format!("/family/cases/{id}")).await).await;
    assert!(page.contains("Please sign the release for Lab Partners"));
    let res = family.post_form(&format!("/family/cases/{id}/records/{added}/release"), &RELEASE).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get(&format!("/coordinator/cases/{id}/sources/{added}/release")).await.status(), StatusCode::OK);
    // The family can't print staff letters.
    assert_eq!(
        family.get(&format!("/coordinator/cases/{id}/sources/{added}/release")).await.status(),
        StatusCode::NOT_FOUND
    );
}
