//! The family's side in two languages: every message is in both, and every
//! message a template or the code asks for exists. A missing Spanish
//! message would quietly show English (Fluent falls back), a missing id
//! would show the id itself: both are caught here, before a family sees it.

use fluent_templates::fluent_bundle::FluentResource;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const LANGS: [&str; 2] = ["en", "es"];

/// Every `.ftl` file of `lang`, by name, with the ids of its messages.
/// A file Fluent can't parse fails the test (it would lose messages).
fn messages(lang: &str) -> BTreeMap<String, BTreeSet<String>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales").join(lang);
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "ftl") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        if let Err((_, errors)) = FluentResource::try_new(text.clone()) {
            panic!("{}: Fluent syntax errors {errors:?}", path.display());
        }
        // A message starts a line with its id and ` =` (terms start with `-`,
        // comments with `#`, continuations with spaces).
        let ids = text
            .lines()
            .filter_map(|line| line.split_once(" ="))
            .map(|(id, _)| id)
            .filter(|id| id.starts_with(|c: char| c.is_ascii_lowercase()))
            .filter(|id| id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
            .map(str::to_owned)
            .collect();
        files.insert(path.file_name().unwrap().to_string_lossy().into_owned(), ids);
    }
    files
}

#[test]
fn every_message_is_in_both_languages() {
    let en = messages("en");
    let es = messages("es");
    assert!(!en.is_empty(), "no English messages found");
    assert_eq!(en.keys().collect::<Vec<_>>(), es.keys().collect::<Vec<_>>(), "the same files in each language");
    let mut missing = Vec::new();
    for (file, ids) in &en {
        for id in ids.symmetric_difference(&es[file]) {
            let only = if ids.contains(id) { "en" } else { "es" };
            missing.push(format!("{file}: {id} (only in {only})"));
        }
    }
    assert!(missing.is_empty(), "messages in one language only:\n{}", missing.join("\n"));
}

fn files_under(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

/// The ids `text` asks for: the first argument of `t("…")`, `t1("…"`,
/// `th2("…"` … (templates and code), of `Msg("…")`, and the ids the
/// `labels!` table gives domain values (`=> "…"` in `i18n/labels.rs`).
fn ids_asked_for(text: &str, labels: bool) -> Vec<String> {
    let mut calls: Vec<String> = ["t", "th", "ta"].iter().map(|f| format!("{f}(\"")).collect();
    for f in ["t", "th"] {
        for n in 1..=3 {
            calls.push(format!("{f}{n}(\""));
        }
    }
    calls.push("Msg(\"".into());
    if labels {
        calls.push("=> \"".into());
    }
    let mut ids = Vec::new();
    for call in &calls {
        let mut from = 0;
        while let Some(at) = text[from..].find(call.as_str()) {
            let start = from + at;
            from = start + call.len();
            // `.t("` or `{ t("`, never the tail of `expect("` or `format!("`.
            let before = text[..start].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let rest = &text[from..];
            let id: String = rest.chars().take_while(|c| *c != '"').collect();
            if !id.is_empty() && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
                ids.push(id);
            }
        }
    }
    ids
}

#[test]
fn no_page_or_email_asks_for_a_missing_message() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let known: BTreeSet<String> = messages("en").into_values().flatten().collect();
    let mut sources = Vec::new();
    files_under(&root.join("templates"), "html", &mut sources);
    files_under(&root.join("templates"), "txt", &mut sources);
    files_under(&root.join("src"), "rs", &mut sources);
    let mut asked = 0;
    let mut missing = Vec::new();
    for path in sources {
        let text = std::fs::read_to_string(&path).unwrap();
        // Unit tests may make up ids to test the lookup itself.
        let text = text.split("#[cfg(test)]").next().unwrap_or("");
        // Comments show calls as examples; `=> "…"` means a label only in `labels!`.
        let code: String = text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
        let labels = path.ends_with("src/i18n/labels.rs");
        let code =
            if labels { code.split_once("labels!(").map_or(code.clone(), |(_, tail)| tail.to_owned()) } else { code };
        for id in ids_asked_for(&code, labels) {
            asked += 1;
            if !known.contains(&id) {
                missing.push(format!("{}: {id}", path.strip_prefix(root).unwrap().display()));
            }
        }
    }
    assert!(asked > 100, "the scan found only {asked} ids: is it still reading the calls?");
    assert!(missing.is_empty(), "ids with no message:\n{}", missing.join("\n"));
}

#[test]
fn the_scan_sees_the_calls_it_should() {
    let ids = ids_asked_for(
        r#"{{ page.t("a-b") }} {{ page.th1("c-html", "n", x) }} Msg("d") .expect("no") t("Not an id")"#,
        false,
    );
    assert_eq!(ids, ["a-b", "c-html", "d"]);
    for lang in LANGS {
        assert!(!messages(lang).is_empty(), "{lang}");
    }
}

#[test]
fn every_email_is_written_in_both_languages() {
    use second_opinion::i18n::Lang;
    use second_opinion::notify::Email;
    let link = || "https://example.test/x".to_owned();
    let all = [
        Email::VerifyEmail { link: link() },
        Email::AccountExists { reset_link: link() },
        Email::ResetPassword { link: link() },
        Email::PasswordChanged,
        Email::StaffInvite { link: link() },
        Email::PaymentReceived { link: link() },
        Email::CaseUpdate { link: link() },
        Email::CaseAssigned { link: link() },
        Email::AdditionalFee { link: link() },
        Email::OpinionReady { link: link() },
        Email::FollowUpEscalated { link: link() },
        Email::RecordRequested { link: link() },
        Email::FamilyMessage { link: link() },
        Email::GuardianInvite { link: link() },
    ];
    for email in &all {
        let en = email.render(Lang::En).unwrap();
        let es = email.render(Lang::Es).unwrap();
        for (lang, r) in [("en", &en), ("es", &es)] {
            // A missing message shows as its id (`email-…`).
            for part in [&r.subject, &r.text, &r.html] {
                assert!(!part.contains("email-"), "{} in {lang} shows a message id:\n{part}", r.kind);
            }
        }
        // Staff's emails stay English; the family's are Spanish in Spanish.
        let to_staff =
            matches!(email, Email::CaseAssigned { .. } | Email::FollowUpEscalated { .. } | Email::FamilyMessage { .. });
        assert_eq!(en.subject == es.subject, to_staff, "{}: Spanish subject {:?}", en.kind, es.subject);
        assert!(es.html.contains("lang=\"es\""), "{}: the Spanish HTML says its language", es.kind);
    }
}

use crate::helpers::*;
use reqwest::StatusCode;
use second_opinion::domain::Role;
use sqlx::PgPool;

#[sqlx::test]
async fn the_browser_language_then_the_switch_choose_the_pages_language(db: PgPool) {
    let app = TestApp::spawn(db).await;
    // A visitor whose browser prefers Spanish reads the sign-up page in Spanish.
    let res =
        app.client.get(app.url("/register")).header("accept-language", "es-MX,es;q=0.9,en;q=0.5").send().await.unwrap();
    let body = text(res).await;
    assert!(body.contains("<html lang=\"es\">") && body.contains("Crear una cuenta"), "{body}");
    assert!(body.contains(">English</button>"), "the switch offers the other language");
    // No header: English, with the switch to Spanish.
    let body = app.page("/register").await;
    assert!(body.contains("<html lang=\"en\">") && body.contains("Create an account"));
    // The switch keeps the visitor on the same page, and the choice sticks.
    let res = app.post_form("/language", &[("lang", "es"), ("back", "/register")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/register");
    let body = app.page("/register").await;
    assert!(body.contains("<html lang=\"es\">") && body.contains("Crear una cuenta"));
    // Somewhere else is never where it goes back to; an unknown language is refused.
    let res = app.post_form("/language", &[("lang", "en"), ("back", "https://evil.test/")]).await;
    assert_eq!(location(&res), "/");
    let res = app.post_form("/language", &[("lang", "fr"), ("back", "/register")]).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(app.page("/register").await.contains("<html lang=\"en\">"));
}

#[sqlx::test]
async fn a_family_registering_in_spanish_is_written_to_in_spanish(db: PgPool) {
    let app = TestApp::spawn(db).await;
    app.post_form("/language", &[("lang", "es"), ("back", "/register")]).await;
    let email = format!("ana-{}@example.test", uuid::Uuid::new_v4().simple());
    // A refusal is in Spanish too, with what was typed kept.
    let res = app
        .post_form("/register", &[("full_name", "Ana Pérez"), ("email", "no-es-correo"), ("password", PASSWORD)])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = text(res).await;
    assert!(body.contains("Hay un problema") && body.contains("value=\"Ana Pérez\""), "{body}");
    assert_eq!(app.count("select count(*) from users where role = 'family'").await, 0);

    let res =
        app.post_form("/register", &[("full_name", "Ana Pérez"), ("email", &email), ("password", PASSWORD)]).await;
    assert_eq!(location(&res), "/register/check-email");
    assert!(app.page("/register/check-email").await.contains("Revise su correo"));
    let chosen: Option<String> = sqlx::query_scalar("select language::text from users where email = $1")
        .bind(&email)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(chosen.as_deref(), Some("es"), "the account keeps the language it registered in");
    assert_eq!(app.deliver_mail().await, 1);
    let mail = wait_for_mail(&email, 1).await;
    let (_, body) = &mail[0];
    assert!(body.contains("Gracias por crear una cuenta"), "{body}");
    assert!(!body.contains("Ana") && !body.contains("Pérez"), "emails never name the family");
}

#[sqlx::test]
async fn a_family_that_prefers_spanish_is_shown_so_to_staff_who_stay_in_english(db: PgPool) {
    let app = TestApp::spawn(db).await;
    let case = app.case().create().await;
    let family = app.signed_in_as(&case.family).await;
    let res = family.post_form("/language", &[("lang", "es"), ("back", "/family")]).await;
    assert_eq!(location(&res), "/family");
    // The account keeps it: pages on any device, and the case carries it for staff.
    assert!(family.page("/family").await.contains("Sus hijos y sus casos"));
    assert_eq!(app.count("select count(*) from users where language = 'es'").await, 1);
    let lang: String = sqlx::query_scalar("select family_language::text from cases where id = $1")
        .bind(case.case_id.0)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(lang, "es");

    app.login_as(Role::Coordinator).await;
    let res = app
        .client
        .get(app.url(&format!("/coordinator/cases/{}", case.id)))
        .header("accept-language", "es")
        .send()
        .await
        .unwrap();
    let body = text(res).await;
    assert!(body.contains("<html lang=\"en\">"), "staff pages stay English");
    assert!(body.contains("Prefers Spanish"), "the workspace says the family's language");
    assert!(!body.contains("language-switch"), "staff have no switch");
}
