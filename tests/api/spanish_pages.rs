//! The family's pages in Spanish: for an account that chose Spanish, and
//! for a visitor whose browser asks for it. A few key sentences are there,
//! and the English ones they replace are not (a page half in English would
//! pass the first check alone).

use crate::helpers::*;
use reqwest::StatusCode;
use second_opinion::domain::CaseStatus;
use sqlx::PgPool;

#[sqlx::test]
async fn the_case_page_is_in_spanish_for_an_account_that_chose_it(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let case = app.case().in_state(CaseStatus::CollectingRecords).create().await;
    let family = spanish_family(&app, &case).await;
    let body = family.page(&format!("/family/cases/{}", case.id)).await;
    in_spanish(
        &body,
        &[
            "Lo que sigue",
            "Su equipo de atención",
            "está reuniendo los expedientes médicos de su hijo",
            "La opinión escrita suele llegar de 5 a 7 días hábiles",
            "Cronología",
            "Se envió el caso y se pagó la tarifa.",
            "Cancelar este caso",
            "Tarifa del caso: $900, pagado el ",
        ],
        &["What happens next", "Your care team", "Timeline", "Cancel this case", "Case fee", "Records:"],
    );
    // What the family wrote is shown as written.
    let question: String = sqlx::query_scalar("select body from case_questions where case_id = $1 limit 1")
        .bind(case.case_id.0)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(body.contains(&question), "the family's own question, untranslated");
    // The dashboard says the same in Spanish.
    let dashboard = family.page("/family").await;
    in_spanish(&dashboard, &["está reuniendo los expedientes médicos"], &["is collecting your child's records"]);
}

#[sqlx::test]
async fn accept_language_alone_gives_spanish_pages_and_dates(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let case = app.case().in_state(CaseStatus::InReview).create().await;
    let family = app.signed_in_as(&case.family).await;
    let res = family
        .client
        .get(family.url(&format!("/family/cases/{}", case.id)))
        .header("accept-language", "es-MX,es;q=0.9")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body = text(res).await;
    in_spanish(
        &body,
        &["El especialista está revisando el caso.", "Se espera la opinión entre el <strong>", " de 20"],
        &["The specialist is reviewing the case", "Opinion expected between"],
    );
    // Spanish weekday names, lower case as Spanish writes them.
    assert!(
        ["lunes", "martes", "miércoles", "jueves", "viernes"].iter().any(|d| body.contains(&format!("<strong>{d}, "))),
        "{body}"
    );
    // Without the header the same account reads English: nothing was saved.
    assert!(family.page(&format!("/family/cases/{}", case.id)).await.contains("What happens next"));
}

#[sqlx::test]
async fn the_receipt_and_statement_are_in_spanish_with_hsa_fsa_wording(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let case = app.case().in_state(CaseStatus::Submitted).create().await;
    let family = spanish_family(&app, &case).await;
    let payment: uuid::Uuid = sqlx::query_scalar("select id from payments where case_id = $1")
        .bind(case.case_id.0)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let receipt = family.page(&format!("/family/payments/{payment}/receipt")).await;
    in_spanish(
        &receipt,
        &[
            "cuenta de ahorros para la salud (HSA)",
            "cuenta de gastos flexibles (FSA)",
            "Segunda opinión en línea: revisión de expedientes médicos y consulta por escrito",
            "$900 (dólares estadounidenses)",
            "Imprimir este recibo",
            "fecha de nacimiento: ",
        ],
        &["Keep this receipt", "Online second opinion", "US dollars", "Print this receipt", "born "],
    );
    let year: i16 = sqlx::query_scalar(
        "select extract(year from succeeded_at at time zone 'America/Los_Angeles')::smallint from payments",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let statement = family.page(&format!("/family/statements/{year}")).await;
    in_spanish(
        &statement,
        &[&format!("Estado de cuenta de pagos de {year}"), "Total después de reembolsos", "su HSA o su FSA"],
        &["Payment statement", "Total after refunds"],
    );
}

#[sqlx::test]
async fn the_opinion_page_says_it_is_in_english_and_offers_an_interpreter(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let case = app.case().in_state(CaseStatus::OpinionDelivered).create().await;
    let family = spanish_family(&app, &case).await;
    let body = family.page(&format!("/family/cases/{}/opinion", case.id)).await;
    in_spanish(
        &body,
        &[
            "El especialista escribe la opinión en inglés",
            "puede conseguir un intérprete para la llamada",
            "La conclusión del especialista",
            "El especialista está de acuerdo con el diagnóstico y el plan de tratamiento de su hijo.",
            "Respuestas a sus preguntas",
            "Qué hacer ahora",
            "Compártala con el médico de su hijo",
            "Le quedan 3 de 3.",
        ],
        &["What to do now", "The specialist's conclusion", "Share it with your child's doctor", "left.</strong>"],
    );
    // What the specialist wrote is shown as written, marked as English.
    assert!(body.contains("<div class=\"answer\" lang=\"en\">"), "{body}");
    assert!(body.contains("All good"));
    // A refused clarifying question comes back in Spanish, with what was typed.
    let res = family
        .post_form(&format!("/family/cases/{}/follow-ups", case.id), &[("question_id", ""), ("body", "¿Y la dosis?")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = text(res).await;
    assert!(body.contains("Elija qué pregunta suya aclara.") && body.contains("¿Y la dosis?"), "{body}");
    assert_eq!(app.count("select count(*) from follow_up_questions").await, 0);
    // English for the same page, for an English account: the interpreter line is only for other languages.
    let res = family.post_form("/language", &[("lang", "en"), ("back", "/family")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let english = family.page(&format!("/family/cases/{}/opinion", case.id)).await;
    assert!(english.contains("What to do now") && !english.contains("interpreter"));
}

#[sqlx::test]
async fn the_cancel_confirmation_and_its_flash_are_in_spanish(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let case = app.case().in_state(CaseStatus::Submitted).create().await;
    let family = spanish_family(&app, &case).await;
    let res = family.post_form(&format!("/family/cases/{}/cancel", case.id), &[]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let body = text(res).await;
    in_spanish(
        &body,
        &[&format!("¿Cancelar el caso {}?", case.number), "Lo que va a pasar", "Sí, cancelar y reembolsar"],
        &["What will happen", "Yes, cancel", "Go back without changing anything"],
    );
    assert_eq!(status_of(&app, &case.id).await, "submitted", "nothing changed yet");
    let res = family.post_form(&format!("/family/cases/{}/cancel", case.id), &[("confirmed", "yes")]).await;
    assert_eq!(location(&res), "/family");
    let dashboard = family.page("/family").await;
    assert!(dashboard.contains("El caso está cancelado"), "{dashboard}");
}

#[sqlx::test]
async fn paying_in_spanish_from_the_card_page_to_the_flash(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let (_, child) = family_with_child(&app).await;
    let case = draft_case(&app, &child).await;
    add_questions(&app, &case, 1).await;
    app.post_form("/language", &[("lang", "es"), ("back", "/family")]).await;
    app.post_form(&format!("/family/cases/{case}/submit"), &CONSENTS).await;
    let body = app.page(&format!("/family/cases/{case}/pay")).await;
    in_spanish(
        &body,
        &["Pagar la tarifa del caso: $900", "Las tarjetas HSA y FSA también sirven.", "Pagar $900 (prueba)"],
        &["Pay the case fee", "Pay $900 (test)", "Simulate a declined card"],
    );
    // A declined card: the page again, in Spanish, and nothing paid.
    let res = app.post_form(&format!("/family/cases/{case}/pay"), &[("outcome", "decline")]).await;
    assert_eq!(res.status(), StatusCode::PAYMENT_REQUIRED);
    let body = text(res).await;
    assert!(body.contains("El pago no se realizó") && body.contains("No se le cobró nada."), "{body}");
    assert_eq!(app.count("select count(*) from payments where status = 'succeeded'").await, 0);
    let res = app.post_form(&format!("/family/cases/{case}/pay"), &[("outcome", "approve")]).await;
    assert_eq!(location(&res), format!("/family/cases/{case}"));
    let body = app.page(&format!("/family/cases/{case}")).await;
    assert!(body.contains("Recibimos el pago. Su caso está enviado"), "{body}");
    assert!(body.contains("Se rechazó un pago con tarjeta."), "the declined card is on the timeline, in Spanish");
}

#[sqlx::test]
async fn messages_who_has_seen_and_email_choices_are_in_spanish(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let case = app.case().in_state(CaseStatus::CollectingRecords).create().await;
    let family = spanish_family(&app, &case).await;
    let messages = family.page(&format!("/family/cases/{}/messages", case.id)).await;
    in_spanish(
        &messages,
        &["Mensajes con su equipo de atención", "No es para emergencias", "Adjuntar un archivo (opcional)"],
        &["Messages with your care team", "Not for emergencies", "Attach a file"],
    );
    let seen = family.page(&format!("/family/cases/{}/seen", case.id)).await;
    in_spanish(&seen, &["Quién ha visto el caso de su hijo"], &["Who has seen", "If you see a name"]);
    let emails = family.page("/family/emails").await;
    in_spanish(
        &emails,
        &["Correos sobre sus casos", "En cada paso", "siempre se envían"],
        &["Emails about your cases", "Email me", "always come"],
    );
    // A refused choice comes back in Spanish, and nothing changed.
    let res = family.post_form("/family/emails", &[("email_updates", "sometimes")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(res).await.contains("Elija qué correos quiere recibir."));
    assert_eq!(app.count("select count(*) from users where email_updates = 'essential'").await, 0);
}

#[sqlx::test]
async fn the_case_wizard_is_in_spanish_and_so_are_its_refusals(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let (_, child) = family_with_child(&app).await;
    let case = draft_case(&app, &child).await;
    let res = app.post_form("/language", &[("lang", "es"), ("back", "/family")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let steps = ["Datos básicos", "Dónde están los expedientes", "Sus preguntas", "Revisar y pagar"];
    for (step, spanish, english) in [
        (
            "details",
            vec!["El diagnóstico de su hijo (necesario antes de enviar)", "Guardar y continuar"],
            vec!["Basic information", "Save and continue"],
        ),
        (
            "records",
            vec!["Dónde están los expedientes de su hijo", "Su nombre completo, como firma"],
            vec!["Add this location", "Your full name, as your signature"],
        ),
        (
            "questions",
            vec!["Sus preguntas para el especialista", "Cómo escribir una buena pregunta"],
            vec!["Add question", "How to write a good question"],
        ),
        (
            "specialist",
            vec!["¿Desea un especialista en particular?", "Sin preferencia: que elija el equipo"],
            vec!["No preference"],
        ),
        (
            "review",
            vec!["Por favor, confirme", "Esto no es una emergencia médica.", "Enviar y pagar $900"],
            vec!["Please confirm", "Submit and pay"],
        ),
    ] {
        let body = app.page(&format!("/family/cases/{case}/{step}")).await;
        in_spanish(&body, &[spanish, steps.to_vec()].concat(), &[english, vec!["Case steps"]].concat());
    }

    // A refused submit says why in Spanish, and nothing is paid or moved.
    let res = app.post_form(&format!("/family/cases/{case}/submit"), &[]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = text(res).await;
    in_spanish(
        &body,
        &["Confirme que esto no es una emergencia médica.", "Escriba al menos una pregunta para el especialista."],
        &["Confirm that this is not a medical emergency.", "Please enter at least one question"],
    );
    assert_eq!(status_of(&app, &case).await, "draft");

    // A refused details form too, with what was typed kept.
    let long = "x".repeat(3000);
    let res = app
        .post_form(
            &format!("/family/cases/{case}/details"),
            &[("contact_time_zone", "Nowhere/Atlantis"), ("call_times", long.as_str())],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = text(res).await;
    in_spanish(&body, &["Elija dónde vive", "Los horarios para llamarle"], &["Choose where you live"]);
}

#[sqlx::test]
async fn sign_in_and_register_refusals_are_in_spanish(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let res = app.post_form("/language", &[("lang", "es"), ("back", "/login")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = app.post_form("/login", &[("email", "nadie"), ("password", "")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    in_spanish(&text(res).await, &["Escriba su contraseña."], &["Enter your password.", "There is a problem"]);
    let res = app.post_form("/login", &[("email", "nadie@example.test"), ("password", "no es esta")]).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    in_spanish(
        &text(res).await,
        &["El correo o la contraseña no son correctos."],
        &["The email or password is not right."],
    );
}

#[sqlx::test]
async fn the_landing_page_and_its_questions_are_in_spanish(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let res = app.post_form("/language", &[("lang", "es"), ("back", "/")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let body = app.page("/").await;
    in_spanish(
        &body,
        &[
            "Segundas opiniones en línea para niños",
            "Preguntas frecuentes",
            "¿Cuántas preguntas puedo hacerle al especialista?",
            "Una segunda opinión en línea cuesta <strong>$900</strong>.",
        ],
        &["Online second opinions for children", "Frequently asked questions", "How it works"],
    );
}

#[sqlx::test]
async fn a_follow_on_case_is_offered_and_opened_in_spanish(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let case = app.case().in_state(CaseStatus::OpinionDelivered).create().await;
    let family = spanish_family(&app, &case).await;
    let body = family.page(&format!("/family/cases/{}/follow-on", case.id)).await;
    in_spanish(
        &body,
        &["¿Abrir un caso nuevo para información nueva?", "Con qué empieza el caso nuevo", "Abrir el caso nuevo"],
        &["Open a new case for new information?", "What the new case starts with", "Not now"],
    );
    let res = family
        .post_form(&format!("/family/cases/{}/follow-on", case.id), &[("emergency", "no"), ("decision_soon", "no")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let body = family.page(&location(&res)).await;
    in_spanish(&body, &["Se abrió un caso nuevo, vinculado al anterior"], &["A new case is open"]);
}

#[sqlx::test]
async fn error_pages_speak_the_family_s_language(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let case = app.case().in_state(CaseStatus::Submitted).create().await;
    let family = spanish_family(&app, &case).await;
    let res = family.get("/family/cases/00000000-0000-0000-0000-000000000000").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    in_spanish(&text(res).await, &["No encontramos la página", "Ir a su página principal"], &["Page not found"]);
    // A visitor who chose Spanish, not signed in.
    let visitor = TestApp::spawn(app.db.clone()).await;
    visitor.post_form("/language", &[("lang", "es"), ("back", "/")]).await;
    let res = visitor.get("/no-such-page").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    in_spanish(&text(res).await, &["No encontramos la página", "Ir a la página de inicio"], &["Page not found"]);
}
