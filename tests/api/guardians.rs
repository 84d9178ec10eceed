//! A second guardian on the same child (issue 14): the invitation by email,
//! accepting it with the invited address, both guardians acting with every
//! action their own, removal ending access at the next request, and each
//! refusal (another address, expired, withdrawn, used, staff, not theirs).

use crate::helpers::*;
use jiff::SignedDuration;
use reqwest::StatusCode;
use second_opinion::clock::Clock;
use second_opinion::domain::{CaseStatus, Role, UserId};
use sqlx::PgPool;

/// The guardians page of `case`'s child, and its path.
async fn guardians_path(app: &TestApp, case: &TestCase) -> String {
    format!("/family/children/{}/guardians", app.child_of(&case.id).await)
}

/// The inviter invites `email`; the link from the email the sink received
/// (a path: `/family/invitation?token=…`).
async fn invite(app: &TestApp, inviter: &TestApp, path: &str, email: &str) -> String {
    let res = inviter.post_form(path, &[("email", email)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "the invitation is sent");
    app.deliver_mail().await;
    let mail = wait_for_mail(&email.to_lowercase(), 1).await;
    let (_, body) = mail.last().unwrap();
    link_in(body, "/family/invitation?token=").expect("the email carries the link")
}

async fn guardians_of(app: &TestApp, case: &TestCase) -> i64 {
    sqlx::query_scalar(
        "select count(*) from guardianships g join cases c on c.child_id = g.child_id
         where c.id = $1 and g.removed_at is null",
    )
    .bind(case.case_id.0)
    .fetch_one(&app.db)
    .await
    .unwrap()
}

const ACCEPT: [(&str, &str); 2] = [("relationship", "parent"), ("confirm_guardian", "yes")];

#[sqlx::test]
async fn two_guardians_share_a_child_from_invitation_to_removal(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.login_as(Role::Coordinator).await;
    let case = app.case().child("Mila", "Okafor").create().await;
    let id = case.id.as_str();
    move_case(&app, id, &["collecting_records"]).await;
    let inviter = app.signed_in_as(&case.family).await;
    let path = guardians_path(&app, &case).await;
    assert!(text(inviter.get(&path).await).await.contains("Invite the child's other parent or guardian"));
    let second = app.create_user(Role::Family).await;

    let res = inviter.post_form(&path, &[("email", &second.email.to_uppercase())]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let sealed = "select count(*) from email_outbox where kind = 'guardian_invite' and body_sealed is not null
                  and body_text is null and to_address = '";
    assert_eq!(app.count(&format!("{sealed}{}'", second.email)).await, 1, "the link is sealed in the outbox");
    app.deliver_mail().await;
    let mail = wait_for_mail(&second.email, 1).await;
    let link = link_in(&mail[0].1, "/family/invitation?token=").expect("the email carries the link");
    assert_no_health_information(&mail);
    assert!(!mail[0].1.contains(&case.family.name), "the email does not name the inviter either");
    let token = link.split("token=").nth(1).unwrap().to_owned();
    let stored: Vec<u8> =
        sqlx::query_scalar("select token_hash from guardian_invitations").fetch_one(&app.db).await.unwrap();
    assert_eq!(stored.len(), 32, "only the SHA-256 of the token is kept");
    assert!(!stored.iter().map(|b| format!("{b:02x}")).collect::<String>().contains(&token));
    assert!(text(inviter.get(&path).await).await.contains(&second.email), "the open invitation is listed");

    // Accepting: who they are to the child is asked and kept when missing.
    let invitee = app.signed_in_as(&second).await;
    let page = text(invitee.get(&link).await).await;
    assert!(page.contains("Accept the invitation") && page.contains(&case.family.name) && page.contains("Mila"));
    let res = invitee.post_form("/family/invitation", &[("token", &token), ("relationship", "parent")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = text(res).await;
    assert!(page.contains("Confirm that you are this child's parent or legal guardian."));
    assert!(page.contains(&format!("value=\"{token}\"")) && page.contains("value=\"parent\" checked"), "kept");
    assert_eq!(guardians_of(&app, &case).await, 1, "nothing changed");
    let res = invitee.post_form("/family/invitation", &[&[("token", token.as_str())][..], &ACCEPT].concat()).await;
    assert_eq!(location(&res), "/family");
    assert_eq!(guardians_of(&app, &case).await, 2);
    assert_eq!(app.audit_count("guardian_invitation_accept", "success").await, 1);

    // Both see the case; the second pays a fee and writes, as themselves.
    assert!(text(invitee.get("/family").await).await.contains(&case.number));
    invitee.page(&format!("/family/cases/{id}")).await;
    inviter.page(&format!("/family/cases/{id}")).await;
    let fee = app.ask_additional_fee(id).await;
    invitee.page(&format!("/family/cases/{id}/fees/{fee}/pay")).await;
    let res = invitee.post_form(&format!("/family/cases/{id}/fees/{fee}/pay"), &[("outcome", "approve")]).await;
    assert_eq!(location(&res), format!("/family/cases/{id}"));
    let (payment, paid_by): (uuid::Uuid, Option<uuid::Uuid>) =
        sqlx::query_as("select id, paid_by from payments where purpose = 'additional_fee' and status = 'succeeded'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(paid_by, Some(second.id.0), "the payment records who paid");
    let receipt = text(inviter.get(&format!("/family/payments/{payment}/receipt")).await).await;
    assert!(receipt.contains(&second.name), "the receipt names the payer, whoever reads it");
    let year = second_opinion::web::format::pacific_date(app.clock.now()).year();
    let statement = text(inviter.get(&format!("/family/statements/{year}")).await).await;
    assert!(statement.contains(&format!("<td><bdi>{}</bdi></td>", second.name)), "each row names who paid it");
    assert!(statement.contains(&format!("<dd><bdi>{}</bdi></dd>", case.family.name)), "prepared for the reader");
    let thread = format!("/family/cases/{id}/messages");
    let res = invitee.post_multipart(&thread, &[("body", "I am Mila's other parent.")], None).await;
    assert_eq!(location(&res), thread);
    let author: uuid::Uuid =
        sqlx::query_scalar("select author_id from case_messages").fetch_one(&app.db).await.unwrap();
    assert_eq!(author, second.id.0);
    let seen_by_inviter = text(inviter.get(&thread).await).await;
    assert!(seen_by_inviter.contains("I am Mila's other parent.") && seen_by_inviter.contains(&second.name));

    // The link accepts once.
    let res = invitee.get(&link).await;
    assert_eq!(res.status(), StatusCode::GONE);
    assert!(text(res).await.contains("already accepted"));

    // Removal: a confirmation first (nothing changes), then access ends.
    let remove = format!("{path}/{}/remove", second.id);
    let res = inviter.post_form(&remove, &[]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(text(res).await.contains(&format!("Remove {}?", second.name)));
    assert_eq!(guardians_of(&app, &case).await, 2, "not before the second press");
    let res = inviter.post_form(&remove, &[("confirmed", "yes")]).await;
    assert_eq!(location(&res), path);
    assert_eq!(guardians_of(&app, &case).await, 1);
    let denied = app.audit_count("access_denied", "denied").await;
    assert_eq!(invitee.get(&format!("/family/cases/{id}")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(invitee.get(&thread).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(invitee.get(&format!("/family/payments/{payment}/receipt")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.audit_count("access_denied", "denied").await, denied + 3, "each denial is audited");
    assert_eq!(app.audit_count("guardian_removed", "success").await, 1);
    let kept: uuid::Uuid = sqlx::query_scalar("select author_id from case_messages").fetch_one(&app.db).await.unwrap();
    assert_eq!(kept, second.id.0, "what they wrote stays theirs");
}

#[sqlx::test]
async fn an_invitation_is_refused_to_another_address_and_audited(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let case = app.case().create().await;
    let inviter = app.signed_in_as(&case.family).await;
    let path = guardians_path(&app, &case).await;
    let invited = app.create_user(Role::Family).await;
    let link = invite(&app, &inviter, &path, &invited.email).await;
    let token = link.split("token=").nth(1).unwrap().to_owned();

    let other = app.signed_in_as(&app.create_user(Role::Family).await).await;
    let res = other.get(&link).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let page = text(res).await;
    assert!(page.contains("sent to another email address") && !page.contains("Accept the invitation"));
    let res = other.post_form("/family/invitation", &[&[("token", token.as_str())][..], &ACCEPT].concat()).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.audit_count("guardian_invitation_accept", "denied").await, 2, "each try is audited");
    assert_eq!(guardians_of(&app, &case).await, 1);
    assert_eq!(app.count("select count(*) from guardian_invitations where accepted_at is null").await, 1);

    // A care team account is refused too (and audited), even to its own address.
    let coordinator = app.create_user(Role::Coordinator).await;
    let link = invite(&app, &inviter, &path, &coordinator.email).await;
    let staff = app.signed_in_as(&coordinator).await;
    let res = staff.get(&link).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(text(res).await.contains("care team account"));
    assert_eq!(app.audit_count("guardian_invitation_accept", "denied").await, 3);
    assert_eq!(
        app.count("select count(*) from guardian_invitations where withdrawn_at is not null").await,
        1,
        "the new invitation replaced the open one"
    );
}

#[sqlx::test]
async fn an_invitation_expires_after_a_week_and_a_withdrawn_one_is_dead(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let case = app.case().create().await;
    let inviter = app.signed_in_as(&case.family).await;
    let path = guardians_path(&app, &case).await;
    let second = app.create_user(Role::Family).await;

    let link = invite(&app, &inviter, &path, &second.email).await;
    app.clock.advance(SignedDuration::from_hours(7 * 24 + 1));
    // Signed in after the week (a session lasts 12 hours at most).
    let (invitee, inviter) = (app.signed_in_as(&second).await, app.signed_in_as(&case.family).await);
    let res = invitee.get(&link).await;
    assert_eq!(res.status(), StatusCode::GONE);
    assert!(text(res).await.contains("This invitation expired on"));
    let token = link.split("token=").nth(1).unwrap().to_owned();
    let res = invitee.post_form("/family/invitation", &[&[("token", token.as_str())][..], &ACCEPT].concat()).await;
    assert_eq!(res.status(), StatusCode::GONE);
    assert_eq!(guardians_of(&app, &case).await, 1);
    assert!(text(inviter.get(&path).await).await.contains("expired"), "the inviter sees it ran out");

    // A new one, withdrawn: its link stops working at once.
    let link = invite(&app, &inviter, &path, &second.email).await;
    let open: uuid::Uuid = sqlx::query_scalar("select id from guardian_invitations where withdrawn_at is null")
        .fetch_one(&app.db)
        .await
        .unwrap();
    let res = inviter
        .post_form(&format!("/family/children/{}/invitations/{open}/revoke", app.child_of(&case.id).await), &[])
        .await;
    assert_eq!(location(&res), path);
    let res = invitee.get(&link).await;
    assert_eq!(res.status(), StatusCode::GONE);
    assert!(text(res).await.contains("withdrawn"));
    assert_eq!(app.audit_count("guardian_invitation_withdrawn", "success").await, 1);
}

#[sqlx::test]
async fn an_invitation_accepts_once_even_in_the_database(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let case = app.case().create().await;
    let inviter = app.signed_in_as(&case.family).await;
    let path = guardians_path(&app, &case).await;
    let second = app.create_user(Role::Family).await;
    let link = invite(&app, &inviter, &path, &second.email).await;
    let token = link.split("token=").nth(1).unwrap().to_owned();
    let invitee = app.signed_in_as(&second).await;
    let accept = [&[("token", token.as_str())][..], &ACCEPT].concat();
    assert_eq!(location(&invitee.post_form("/family/invitation", &accept).await), "/family");
    let res = invitee.post_form("/family/invitation", &accept).await;
    assert_eq!(res.status(), StatusCode::GONE, "a second press is refused");
    assert_eq!(guardians_of(&app, &case).await, 2);
    // Even a direct write can't settle it again.
    let again = sqlx::query("update guardian_invitations set accepted_at = now(), accepted_by = $1")
        .bind(case.family.id.0)
        .execute(&app.db)
        .await;
    let e = again.expect_err("the database refuses a second settlement");
    assert_eq!(e.as_database_error().and_then(|d| d.constraint()), Some("guardian_invitations_settle_once"));
}

#[sqlx::test]
async fn another_family_cannot_invite_onto_a_child_not_theirs(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let case = app.case().create().await;
    let path = guardians_path(&app, &case).await;
    let stranger = app.signed_in_as(&app.create_user(Role::Family).await).await;
    let denied = app.audit_count("access_denied", "denied").await;
    assert_eq!(stranger.get(&path).await.status(), StatusCode::NOT_FOUND);
    let res = stranger.post_form(&path, &[("email", "someone@example.test")]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.audit_count("access_denied", "denied").await, denied + 2);
    assert_eq!(app.count("select count(*) from guardian_invitations").await, 0);
    assert_eq!(app.count("select count(*) from email_outbox where kind = 'guardian_invite'").await, 0);
}

#[sqlx::test]
async fn a_refused_invitation_keeps_what_was_typed(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let case = app.case().create().await;
    let inviter = app.signed_in_as(&case.family).await;
    let path = guardians_path(&app, &case).await;
    let res = inviter.post_form(&path, &[("email", "not an address")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = text(res).await;
    assert!(page.contains("value=\"not an address\"") && page.contains("href=\"#email\""), "kept, and linked");
    // Their own address: they already share the child.
    let res = inviter.post_form(&path, &[("email", &case.family.email)]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(res).await.contains("This person already shares this child."));
    assert_eq!(app.count("select count(*) from guardian_invitations").await, 0);
    assert_eq!(app.count("select count(*) from email_outbox where kind = 'guardian_invite'").await, 0);
}

#[sqlx::test]
async fn the_invited_guardian_can_leave_but_not_remove_or_invite(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let case = app.case().in_state(CaseStatus::Draft).create().await;
    let inviter = app.signed_in_as(&case.family).await;
    let path = guardians_path(&app, &case).await;
    let second = app.create_user(Role::Family).await;
    let link = invite(&app, &inviter, &path, &second.email).await;
    let token = link.split("token=").nth(1).unwrap().to_owned();
    let invitee = app.signed_in_as(&second).await;
    invitee.post_form("/family/invitation", &[&[("token", token.as_str())][..], &ACCEPT].concat()).await;

    let page = text(invitee.get(&path).await).await;
    assert!(page.contains("Stop sharing this child") && !page.contains("Send the invitation"));
    let first: UserId = case.family.id;
    assert_eq!(
        invitee.post_form(&format!("{path}/{first}/remove"), &[("confirmed", "yes")]).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(invitee.post_form(&path, &[("email", "third@example.test")]).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(guardians_of(&app, &case).await, 2);
    let leave = path.replace("/guardians", "/leave");
    assert_eq!(invitee.post_form(&leave, &[]).await.status(), StatusCode::OK, "a confirmation first");
    assert_eq!(location(&invitee.post_form(&leave, &[("confirmed", "yes")]).await), "/family");
    assert_eq!(guardians_of(&app, &case).await, 1);
    assert_eq!(app.audit_count("guardian_left", "success").await, 1);
    assert_eq!(invitee.get(&format!("/family/cases/{}", case.id)).await.status(), StatusCode::NOT_FOUND);
}

#[sqlx::test]
async fn the_link_survives_signing_in_and_registering(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let case = app.case().create().await;
    let inviter = app.signed_in_as(&case.family).await;
    let path = guardians_path(&app, &case).await;
    let email = format!("new-parent-{}@example.test", &uuid::Uuid::new_v4().simple().to_string()[..12]);
    let link = invite(&app, &inviter, &path, &email).await;
    let token = link.split("token=").nth(1).unwrap().to_owned();
    let next = format!("/family/invitation%3Ftoken%3D{token}");

    let visitor = TestApp::spawn(app.db.clone()).await;
    let page = text(visitor.get(&link).await).await;
    assert!(page.contains(&format!("/login?next={next}")) && page.contains(&format!("/register?next={next}")));
    assert!(!page.contains(&case.family.name), "nothing about the family before signing in");
    let res = visitor
        .post_form(
            "/register",
            &[
                ("full_name", "Noa Okafor"),
                ("email", email.as_str()),
                ("password", PASSWORD),
                ("next", &format!("/family/invitation?token={token}")),
            ],
        )
        .await;
    let check = location(&res);
    assert!(check.starts_with("/register/check-email?next="), "{check}");
    let page = text(visitor.get(&check).await).await;
    assert!(page.contains("/login?next=%2Ffamily%2Finvitation%3Ftoken%3D"), "the sign-in button comes back");
    let res = visitor
        .post_form(
            "/login",
            &[
                ("email", email.as_str()),
                ("password", PASSWORD),
                ("next", &format!("/family/invitation?token={token}")),
            ],
        )
        .await;
    assert_eq!(location(&res), format!("/family/invitation?token={token}"));
    assert!(text(visitor.get(&location(&res)).await).await.contains("Accept the invitation"));
}

#[sqlx::test]
async fn what_the_second_guardian_writes_and_consents_to_is_theirs(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let (first, child) = family_with_child(&app).await;
    let case = draft_case(&app, &child).await;
    add_questions(&app, &case, 1).await;
    let second = app.create_user(Role::Family).await;
    let link = invite(&app, &app, &format!("/family/children/{child}/guardians"), &second.email).await;
    let token = link.split("token=").nth(1).unwrap().to_owned();
    let invitee = app.signed_in_as(&second).await;
    invitee.post_form("/family/invitation", &[&[("token", token.as_str())][..], &ACCEPT].concat()).await;

    add_questions(&invitee, &case, 1).await;
    let writers: Vec<(String, Option<uuid::Uuid>)> =
        sqlx::query_as("select body, written_by from case_questions order by position")
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(writers[0].1, Some(first.id.0), "{writers:?}");
    assert_eq!(writers[1].1, Some(second.id.0), "{writers:?}");
    let res = invitee.post_form(&format!("/family/cases/{case}/submit"), &CONSENTS).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let consented: Option<uuid::Uuid> = sqlx::query_scalar("select consented_by from cases where id = $1::uuid")
        .bind(&case)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(consented, Some(second.id.0), "the consent is the second guardian's");
}

/// `user` accepts an invitation to `child` sent by `inviter`: their own signed-in app.
async fn join_as_second(app: &TestApp, inviter: &TestApp, child: &str, user: &TestUser) -> TestApp {
    let link = invite(app, inviter, &format!("/family/children/{child}/guardians"), &user.email).await;
    let token = link.split("token=").nth(1).unwrap().to_owned();
    let invitee = app.signed_in_as(user).await;
    let res = invitee.post_form("/family/invitation", &[&[("token", token.as_str())][..], &ACCEPT].concat()).await;
    assert_eq!(location(&res), "/family", "the invitation is accepted");
    invitee
}

#[sqlx::test]
async fn follow_ups_and_referral_requests_name_the_guardian_who_asked(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let clinician = app.create_user(Role::Clinician).await;
    let case = app.case().in_state(CaseStatus::OpinionDelivered).clinician(&clinician).create().await;
    let first = app.signed_in_as(&case.family).await;
    let second = app.create_user(Role::Family).await;
    let invitee = join_as_second(&app, &first, &app.child_of(&case.id).await, &second).await;

    let (path, question) = (format!("/family/cases/{}/follow-ups", case.id), case.questions[0].to_string());
    for (who, body) in [(&first, "Which dose, exactly?"), (&invitee, "For how long?")] {
        let res = who.post_form(&path, &[("question_id", question.as_str()), ("body", body)]).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{body}");
    }
    let askers: Vec<(String, Option<uuid::Uuid>)> =
        sqlx::query_as("select body, asked_by from follow_up_questions order by position")
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(
        askers,
        vec![("Which dose, exactly?".into(), Some(case.family.id.0)), ("For how long?".into(), Some(second.id.0))]
    );

    let res = invitee.post_form(&format!("/family/cases/{}/referral", case.id), &[("note", "We live in Fresno")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let requester: Option<uuid::Uuid> =
        sqlx::query_scalar("select requested_by from referral_requests").fetch_one(&app.db).await.unwrap();
    assert_eq!(requester, Some(second.id.0), "the referral request is the second guardian's");
}

#[sqlx::test]
async fn a_signed_in_invitee_finds_the_invitation_on_their_dashboard(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let (first, child) = family_with_child(&app).await;
    let second = app.create_user(Role::Family).await;
    invite(&app, &app, &format!("/family/children/{child}/guardians"), &second.email).await;
    let invitation: uuid::Uuid =
        sqlx::query_scalar("select id from guardian_invitations").fetch_one(&app.db).await.unwrap();
    let open = format!("/family/invitations/{invitation}");

    let invitee = app.signed_in_as(&second).await;
    let dashboard = invitee.page("/family").await;
    assert!(dashboard.contains(&format!("{} invited you to follow their child", first.name)), "{dashboard}");
    assert!(dashboard.contains(&format!("href=\"{open}\"")), "with a link to accept");
    let page = invitee.page(&open).await;
    assert!(page.contains("Accept the invitation") && page.contains(&format!("value=\"{invitation}\"")));

    // Another family: the id is no secret, so it is the same 404 as a stranger's.
    let stranger = app.signed_in_as(&app.create_user(Role::Family).await).await;
    assert!(!stranger.page("/family").await.contains("invited you"));
    let denied = app.audit_count("access_denied", "denied").await;
    assert_eq!(stranger.get(&open).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.audit_count("access_denied", "denied").await, denied + 1);
    let invitation = invitation.to_string();
    let res =
        stranger.post_form("/family/invitation", &[&[("invitation", invitation.as_str())][..], &ACCEPT].concat()).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST, "no invitation to that address");
    assert_eq!(app.count("select count(*) from guardianships where removed_at is null").await, 1, "nothing changed");

    // Refused input keeps the id; then it accepts, and leaves the dashboard.
    let res = invitee
        .post_form("/family/invitation", &[("invitation", invitation.as_str()), ("relationship", "parent")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(res).await.contains(&format!("value=\"{invitation}\"")), "the id is kept");
    let res =
        invitee.post_form("/family/invitation", &[&[("invitation", invitation.as_str())][..], &ACCEPT].concat()).await;
    assert_eq!(location(&res), "/family");
    assert_eq!(app.count("select count(*) from guardianships where removed_at is null").await, 2);
    let dashboard = invitee.page("/family").await;
    assert!(!dashboard.contains("invited you") && dashboard.contains("Mila"), "the child is theirs now");
}
