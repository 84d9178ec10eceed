//! The binary's account subcommand, against this test's own database.

use crate::helpers::PASSWORD;
use sqlx::PgPool;
use std::io::Write;
use std::process::{Command, Stdio};

/// `DATABASE_URL` of the server, pointed at this test's database.
fn url_for(db: &PgPool) -> String {
    let base = std::env::var("DATABASE_URL").expect("DATABASE_URL");
    let name = db.connect_options().get_database().expect("a test database").to_owned();
    let (server, rest) = base.rsplit_once('/').expect("a database URL");
    let query = rest.split_once('?').map(|(_, q)| format!("?{q}")).unwrap_or_default();
    format!("{server}/{name}{query}")
}

fn create_user(db: &PgPool, email: &str, stdin: &str) -> (bool, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_second-opinion"))
        .args(["create-user", "--role", "coordinator", "--email", email, "--name", "Casey Coordinator"])
        .env("DATABASE_URL", url_for(db))
        .env("RUST_LOG", "error")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[sqlx::test]
async fn create_user_reads_the_password_from_standard_input(db: PgPool) {
    let (ok, err) = create_user(&db, "casey@example.test", &format!("{PASSWORD}\n{PASSWORD}\n"));
    assert!(ok, "create-user failed: {err}");
    let (role, verified): (String, bool) = sqlx::query_as(
        "select role::text, email_verified_at is not null from users where email = 'casey@example.test'",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!((role.as_str(), verified), ("coordinator", true));

    let (ok, err) = create_user(&db, "casey@example.test", &format!("{PASSWORD}\n"));
    assert!(!ok && err.contains("already exists"), "{err}");
    let (ok, err) = create_user(&db, "other@example.test", &format!("{PASSWORD}\nsomething else entirely\n"));
    assert!(!ok && err.contains("differ"), "{err}");
    let (ok, err) = create_user(&db, "other@example.test", "password1234\n");
    assert!(!ok && err.contains("too common"), "{err}");
    let count: i64 = sqlx::query_scalar("select count(*) from users").fetch_one(&db).await.unwrap();
    assert_eq!(count, 1);
}

/// `seed-demo` with `APP_ENV` set as given, in a directory of its own.
fn seed_demo(db: &PgPool, env: &str) -> (bool, String) {
    let var = std::env::temp_dir().join(format!("so-seed-{}", uuid::Uuid::new_v4().simple()));
    let out = Command::new(env!("CARGO_BIN_EXE_second-opinion"))
        .arg("seed-demo")
        .env("DATABASE_URL", url_for(db))
        .env("APP_ENV", env)
        .env("VAR_DIR", &var)
        .env("APP_SECRET_KEY", "11".repeat(32))
        .env("RUST_LOG", "error")
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&var);
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

#[sqlx::test]
async fn seed_demo_enrols_the_demo_staff_in_the_second_factor_and_production_refuses_it(db: PgPool) {
    let (ok, said) = seed_demo(&db, "production");
    assert!(!ok, "refused in production: {said}");
    let users: i64 = sqlx::query_scalar("select count(*) from users").fetch_one(&db).await.unwrap();
    assert_eq!(users, 0, "nothing seeded");

    let (ok, said) = seed_demo(&db, "test");
    assert!(ok, "{said}");
    assert!(said.contains(second_opinion::auth::second_factor::DEMO_SECRET), "it says the secret: {said}");
    let (staff, enrolled): (i64, i64) = sqlx::query_as(
        "select count(*), count(f.user_id) from users u left join second_factors f on f.user_id = u.id
         where u.role <> 'family'",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert!(staff >= 5 && enrolled == staff, "{enrolled} of {staff} staff enrolled");
    let family: i64 = sqlx::query_scalar(
        "select count(*) from second_factors f join users u on u.id = f.user_id where u.role = 'family'",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(family, 0, "the demo family signs in with a password only");
    // Running it again changes nothing.
    assert!(seed_demo(&db, "test").0);
}

/// The binary run with `args` against `db`; (success, stdout, stderr).
fn run(db: &PgPool, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_second-opinion"))
        .args(args)
        .env("DATABASE_URL", url_for(db))
        .env("APP_ENV", "test")
        .env("RUST_LOG", "error")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.success(), text(&out.stdout), text(&out.stderr))
}

/// The last line a command printed on stdout: its summary.
fn summary(stdout: &str) -> &str {
    stdout.lines().last().unwrap_or("")
}

#[sqlx::test(migrations = false)]
async fn migrate_ends_with_how_many_it_applied_and_how_long_it_took(db: PgPool) {
    let known = second_opinion::startup::MIGRATOR.iter().count();
    let (ok, out, err) = run(&db, &["migrate"]);
    assert!(ok, "migrate failed: {err}");
    let line = summary(&out);
    let head = format!("migrated {known} migrations ({known} known) in ");
    assert!(line.starts_with(&head) && line.ends_with(" s"), "{line:?}");
    assert!(!err.contains("migrating ["), "no bar when stderr is a pipe: {err:?}");
    let applied: i64 = sqlx::query_scalar("select count(*) from _sqlx_migrations").fetch_one(&db).await.unwrap();
    assert_eq!(applied as usize, known);

    // Again: nothing left to apply, and it says so.
    let (ok, out, err) = run(&db, &["migrate"]);
    assert!(ok, "{err}");
    assert!(summary(&out).starts_with(&format!("migrated 0 migrations ({known} known) in ")), "{out:?}");
}

#[sqlx::test]
async fn seed_load_ends_with_how_many_cases_it_loaded_and_how_long_it_took(db: PgPool) {
    let (ok, out, err) = run(&db, &["seed-load", "--cases", "1200"]);
    assert!(ok, "seed-load failed: {err}");
    let line = summary(&out);
    assert!(line.starts_with("loaded 1,200 cases in ") && line.ends_with(" s"), "{line:?}");
    let cases: i64 = sqlx::query_scalar("select count(*) from cases").fetch_one(&db).await.unwrap();
    assert_eq!(cases, 1200);
    // It loads with triggers off: the counts the triggers keep are made by the script.
    let events: i64 = sqlx::query_scalar("select count(*) from case_events").fetch_one(&db).await.unwrap();
    let kept: i64 = sqlx::query_scalar("select coalesce(sum(events), 0)::bigint from case_event_hours")
        .fetch_one(&db)
        .await
        .unwrap();
    assert!(events > 0 && kept == events, "{kept} kept of {events} changes of state");
}
