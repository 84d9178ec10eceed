//! Rules with two sides, Rust's and the database's, checked against each
//! other: the drawn transitions, every free-text limit, every deadline.

use crate::helpers::*;
use jiff::Timestamp;
use second_opinion::cases::schedule;
use second_opinion::domain::CaseStatus::{self, *};
use second_opinion::domain::text::COLUMN_LIMITS;
use sqlx::PgPool;

const ALL: [CaseStatus; 8] =
    [Draft, Submitted, CollectingRecords, ReadyForReview, InReview, OpinionDelivered, Closed, Cancelled];

#[sqlx::test]
async fn the_rust_transitions_are_the_databases(db: PgPool) {
    for from in ALL {
        for to in ALL {
            let allowed: bool = sqlx::query_scalar("select case_transition_allowed($1, $2)")
                .bind(from)
                .bind(to)
                .fetch_one(&db)
                .await
                .unwrap();
            assert_eq!(from.can_move_to(to), allowed, "{from:?} → {to:?}");
        }
    }
}

/// The largest `n` in `char_length(column) <= n` (or `between 1 and n`,
/// which PostgreSQL prints as `<= n`) among the table's check constraints.
async fn database_limit(db: &PgPool, table: &str, column: &str) -> Option<usize> {
    let defs: Vec<String> = sqlx::query_scalar(
        "select pg_get_constraintdef(oid) from pg_constraint where conrelid = $1::regclass and contype = 'c'",
    )
    .bind(table)
    .fetch_all(db)
    .await
    .unwrap();
    let needles = [format!("char_length({column}) <= "), format!("char_length(btrim({column})) <= ")];
    defs.iter()
        .flat_map(|def| {
            needles.iter().filter_map(move |needle| {
                let at = def.find(needle.as_str())? + needle.len();
                def[at..].split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
            })
        })
        .max()
}

#[sqlx::test]
async fn every_text_limit_is_the_one_the_database_checks(db: PgPool) {
    for &(table, column, limit) in COLUMN_LIMITS {
        assert_eq!(database_limit(&db, table, column).await, Some(limit), "{table}.{column}");
    }
}

#[sqlx::test]
async fn a_long_note_for_the_primary_care_provider_is_refused_on_the_page_not_lost(db: PgPool) {
    // 10,000 characters is the database's limit; the form said 20,000 and a
    // longer note was a 500 with nothing saved.
    let app = TestApp::spawn(db).await;
    let specialist = app.login_as(second_opinion::domain::Role::Specialist).await;
    let case = app.case().in_state(InReview).specialist(&specialist).create().await;
    let long = "a".repeat(10_001);
    let res = app
        .post_form(&format!("/specialist/cases/{}/opinion", case.id), &[("pcp_notes", &long), ("summary", "Kept")])
        .await;
    assert_eq!(res.status(), reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    let body = text(res).await;
    assert!(body.contains("at most 10,000 characters") && body.contains(&long), "the text stays on the page");
    assert_eq!(app.count("select count(*) from opinions").await, 0);
}

#[sqlx::test]
async fn each_state_gets_its_deadline_from_transition(db: PgPool) {
    let app = TestApp::spawn(db.clone()).await;
    // A Wednesday afternoon in Los Angeles, the day before Thanksgiving 2026.
    let at: Timestamp = "2026-11-25T16:00:00-08:00".parse().unwrap();
    let calendar = schedule::calendar(&db).await.unwrap();
    for state in [Submitted, CollectingRecords, ReadyForReview, InReview, OpinionDelivered, Closed] {
        let case = app.case().in_state(state).at(at).create().await;
        let due: Option<jiff_sqlx::Timestamp> = sqlx::query_scalar("select due_at from cases where id = $1")
            .bind(case.case_id.0)
            .fetch_one(&db)
            .await
            .unwrap();
        let basis = schedule::Basis { records_complete_at: Some(at), extension_days: 0 };
        let expected = schedule::due_at(&calendar, state, at, basis);
        assert_eq!(due.map(jiff_sqlx::Timestamp::to_jiff), expected, "{state:?}");
        if let Some(due) = expected {
            let day = calendar.local_date(due);
            assert!(calendar.is_business_day(day), "{state:?} due on {day}");
        }
    }
}

#[test]
fn nothing_but_transition_writes_a_deadline() {
    // `due_at` has one owner: a second writer is how the deadlines drifted.
    let mut writers = Vec::new();
    for entry in walk(std::path::Path::new("src")) {
        let text = std::fs::read_to_string(&entry).unwrap();
        if text.contains("due_at = $") || text.contains("set due_at") {
            writers.push(entry.display().to_string());
        }
    }
    assert_eq!(writers, ["src/cases/transition.rs"]);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

#[test]
fn no_role_folder_imports_another() {
    let roles = ["family", "coordinator", "clinician", "specialist", "admin"];
    for role in roles {
        for file in walk(&std::path::Path::new("src").join(role)) {
            let text = std::fs::read_to_string(&file).unwrap();
            for other in roles.iter().filter(|r| **r != role) {
                assert!(!text.contains(&format!("crate::{other}::")), "{} imports {other}", file.display());
            }
        }
    }
}
