//! The rest of the family's Spanish: the core rules' refusals (a database
//! constraint's sentence, said in the reader's language), the password and
//! account pages, why a sign-in ended, and the time zones they choose from.

use crate::helpers::*;
use reqwest::StatusCode;
use second_opinion::domain::CaseStatus;
use sqlx::PgPool;

#[sqlx::test]
async fn a_sixth_question_is_refused_in_spanish_with_the_text_kept(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let (_, child) = family_with_child(&app).await;
    let case = draft_case(&app, &child).await;
    add_questions(&app, &case, 5).await;
    app.post_form("/language", &[("lang", "es"), ("back", "/family")]).await;
    let sixth = "¿Y la sexta cosa que olvidé?";
    let res = app.post_form(&format!("/family/cases/{case}/questions"), &[("body", sixth)]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = text(res).await;
    in_spanish(&body, &["Un caso puede tener como máximo 5 preguntas.", sixth], &["at most 5 questions"]);
    assert_eq!(app.count("select count(*) from case_questions").await, 5, "nothing added");
}

#[sqlx::test]
async fn a_case_in_review_can_t_be_cancelled_and_the_page_says_so_in_spanish(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let case = app.case().in_state(CaseStatus::InReview).create().await;
    let family = spanish_family(&app, &case).await;
    let res = family.post_form(&format!("/family/cases/{}/cancel", case.id), &[("confirmed", "yes")]).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    in_spanish(
        &text(res).await,
        &["Eso no se puede hacer ahora", "este caso ya no se puede cancelar"],
        &["can no longer be cancelled"],
    );
    assert_eq!(status_of(&app, &case.id).await, "in_review", "nothing changed");

    // A follow-on case is for what the case can no longer take: before that, the refusal is Spanish too.
    let open = app.case().in_state(CaseStatus::CollectingRecords).create().await;
    let family = spanish_family(&app, &open).await;
    let res = family.get(&format!("/family/cases/{}/follow-on", open.id)).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    in_spanish(&text(res).await, &["Este caso todavía acepta expedientes"], &["can still take new records"]);
}

#[sqlx::test]
async fn password_reset_and_sign_in_notices_are_in_spanish_for_a_visitor(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.post_form("/language", &[("lang", "es"), ("back", "/login")]).await;
    let body = app.page("/password-reset").await;
    in_spanish(&body, &["Restablecer su contraseña", "Enviar el enlace"], &["Reset your password", "Send the link"]);
    let res = app.post_form("/password-reset", &[("email", "no-es-un-correo")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    in_spanish(&text(res).await, &["Escriba un correo electrónico como", "no-es-un-correo"], &["Enter an email"]);
    let res = app.post_form("/password-reset", &[("email", "nadie@example.test")]).await;
    let body = app.page(&location(&res)).await;
    in_spanish(&body, &["Revise su correo", "funciona durante 30 minutos"], &["Check your email"]);
    let res = app.get("/password-reset/new?token=gastado").await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    in_spanish(
        &text(res).await,
        &["Este enlace no es válido o ya venció", "enlace para restablecer la contraseña ya se usó"],
        &["This link is invalid"],
    );
    for (reason, spanish) in [
        ("idle", "Cerramos su sesión después de un tiempo sin actividad"),
        ("expired", "llevaba 12 horas abierta"),
        ("signed_out", "Cerró su sesión."),
        ("password_reset", "Inicie sesión con su contraseña nueva."),
    ] {
        in_spanish(&app.page(&format!("/login?reason={reason}")).await, &[spanish], &["You were signed out"]);
    }
}

#[sqlx::test]
async fn the_account_and_password_pages_are_in_spanish_and_keep_their_refusals(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let case = app.case().in_state(CaseStatus::Submitted).create().await;
    let family = spanish_family(&app, &case).await;
    let body = family.page("/account").await;
    in_spanish(
        &body,
        &["Su cuenta", "Padre, madre o tutor", "después de 30 minutos sin actividad", "Cambiar su contraseña"],
        &["Your account", "Change your password"],
    );
    let before: String = sqlx::query_scalar("select password_hash from users where id = $1")
        .bind(case.family.id.0)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let res =
        family.post_form("/account/password", &[("current_password", "no es esta"), ("new_password", "corta")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    in_spanish(
        &text(res).await,
        &["Su contraseña actual no es correcta.", "Contraseña actual", "Al menos 12 caracteres"],
        &["Your current password is not right.", "Current password"],
    );
    let after: String = sqlx::query_scalar("select password_hash from users where id = $1")
        .bind(case.family.id.0)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(before, after, "nothing changed");
}

#[sqlx::test]
async fn the_time_zones_a_family_chooses_from_are_in_spanish(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let (_, child) = family_with_child(&app).await;
    let case = draft_case(&app, &child).await;
    app.post_form("/language", &[("lang", "es"), ("back", "/family")]).await;
    let body = app.page(&format!("/family/cases/{case}/details")).await;
    in_spanish(
        &body,
        &["Hora del Pacífico (EE. UU. y Canadá)", "Ciudad de México, Guadalajara, Monterrey"],
        &["Pacific Time (US and Canada)", "Mexico City"],
    );
}
