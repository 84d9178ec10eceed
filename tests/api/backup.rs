//! `scripts/backup` and `scripts/restore-check` on the demo data: the demo
//! seeded (its documents in an S3 bucket), backed up, restored into a fresh
//! database and document store, and compared; and a backup that differs
//! from what it claims — a document changed, a table's rows — is refused.

use crate::helpers::Bucket;
use crate::processes::{AppProcess, Cluster, blocking};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A cluster of the test's own with the demo seeded, and a backup of it.
struct Backed {
    _pg: Cluster,
    url: String,
    scratch: PathBuf,
    backup: PathBuf,
}

fn script(name: &str, arg: &Path, env: &[(&str, &str)]) -> Output {
    Command::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts").join(name))
        .arg(arg)
        .env_remove("DATABASE_OWNER_URL")
        .env("APP_ENV", "test")
        .env("RUST_LOG", "warn")
        .env("SECOND_OPINION_BIN", env!("CARGO_BIN_EXE_second-opinion"))
        .envs(env.iter().copied())
        .output()
        .unwrap()
}

fn said(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

async fn seeded_and_backed_up() -> Backed {
    let bucket = Bucket::create().await;
    let pg = blocking(Cluster::start).await;
    let url = pg.url();
    let scratch = std::env::temp_dir().join(format!("so-backup-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&scratch).unwrap();
    let env = vec![
        ("DATABASE_URL".to_owned(), url.clone()),
        ("DOCUMENTS_S3_BUCKET".to_owned(), bucket.name.clone()),
        ("VAR_DIR".to_owned(), scratch.join("var").display().to_string()),
    ];
    let seeded = AppProcess::command(&scratch, &env).arg("seed-demo").status().unwrap();
    assert!(seeded.success(), "seed-demo");
    assert!(!bucket.keys().await.is_empty(), "the demo's documents are in the bucket");
    let backup = scratch.join("backup");
    let out = script(
        "backup",
        &backup,
        &[("DATABASE_URL", &url), ("DOCUMENTS_S3_BUCKET", &bucket.name), ("VAR_DIR", &env[2].1)],
    );
    assert!(out.status.success(), "scripts/backup: {}", said(&out));
    assert!(said(&out).contains("took"), "a summary with the time taken: {}", said(&out));
    Backed { _pg: pg, url, scratch, backup }
}

impl Backed {
    /// Into a new database on the backed-up cluster.
    fn restore_check(&self) -> Output {
        let var = self.scratch.join("var-restore").display().to_string();
        script("restore-check", &self.backup, &[("RESTORE_SERVER_URL", &self.url), ("VAR_DIR", &var)])
    }

    /// Into a fresh cluster the script starts and removes, as after losing the server.
    fn restore_check_on_a_fresh_cluster(&self) -> Output {
        let var = self.scratch.join("var-fresh").display().to_string();
        script("restore-check", &self.backup, &[("VAR_DIR", &var)])
    }

    fn databases(&self) -> String {
        let sql = "select string_agg(datname, ' ') from pg_database";
        let out = Command::new("psql").args([self.url.as_str(), "-Atc", sql]).output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

impl Drop for Backed {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.scratch);
    }
}

#[tokio::test]
async fn the_demo_backs_up_and_restores_with_every_count_document_and_the_signed_opinion_equal() {
    let backed = seeded_and_backed_up().await;
    let manifest = std::fs::read_to_string(backed.backup.join("manifest.tsv")).unwrap();
    assert!(manifest.lines().any(|l| l.starts_with("table\tpublic.documents\t")), "{manifest}");
    assert!(manifest.lines().any(|l| l.starts_with("signed-opinion\t")), "the demo has a signed opinion");
    let copied = std::fs::read_dir(backed.backup.join("documents/documents")).unwrap().count();
    assert!(copied > 0, "the bucket's objects are in the backup");

    let out = backed.restore_check();
    let said = said(&out);
    assert!(out.status.success(), "scripts/restore-check: {said}");
    assert!(said.contains("tables and") && said.contains("match; signed opinion"), "{said}");
    assert!(said.contains(&format!("all {copied} documents are in the store")), "{said}");
    assert!(said.contains("restore-check passed"), "{said}");
    assert!(!backed.databases().contains("so_restore_check"), "the scratch database is dropped");

    let out = backed.restore_check_on_a_fresh_cluster();
    let fresh = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "scripts/restore-check on a fresh cluster: {fresh}");
    assert!(fresh.contains("a fresh cluster on 127.0.0.1:") && fresh.contains("restore-check passed"), "{fresh}");
    assert!(!backed.databases().contains("so_restore_check"), "nothing was restored into the backed-up cluster");
}

#[tokio::test]
async fn a_backup_that_differs_from_what_it_claims_fails_the_check() {
    let backed = seeded_and_backed_up().await;

    // A document changed in the copy: its SHA-256 no longer matches the row.
    let documents = backed.backup.join("documents/documents");
    let one = std::fs::read_dir(&documents).unwrap().next().unwrap().unwrap().path();
    let original = std::fs::read(&one).unwrap();
    let mut changed = original.clone();
    changed.push(b'!');
    std::fs::write(&one, &changed).unwrap();
    let out = backed.restore_check();
    assert!(!out.status.success(), "a changed document fails: {}", said(&out));
    assert!(said(&out).contains("SHA-256 differs"), "{}", said(&out));
    std::fs::write(&one, &original).unwrap();

    // The manifest says a table had a row more than the dump restores.
    let path = backed.backup.join("manifest.tsv");
    let manifest = std::fs::read_to_string(&path).unwrap();
    let tampered: String = manifest
        .lines()
        .map(|l| match l.split('\t').collect::<Vec<_>>()[..] {
            ["table", "public.users", n, d] => format!("table\tpublic.users\t{}\t{d}\n", n.parse::<u64>().unwrap() + 1),
            _ => format!("{l}\n"),
        })
        .collect();
    assert_ne!(tampered, manifest);
    std::fs::write(&path, tampered).unwrap();
    let out = backed.restore_check();
    assert!(!out.status.success(), "a missing row fails: {}", said(&out));
    assert!(said(&out).contains("differs from the backup's manifest"), "{}", said(&out));
    assert!(!backed.databases().contains("so_restore_check"), "the scratch database is dropped on failure too");
}
