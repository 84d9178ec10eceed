//! The document half of a backup: every object of the configured store (a
//! local directory or an S3 bucket) copied out to a directory and back in,
//! and a check that every document the database names is in the store with
//! the SHA-256 recorded for it. `scripts/backup` and `scripts/restore-check`
//! run these beside `pg_dump` / `pg_restore`.

use crate::cases::documents::Storage;
use crate::progress::bar as progress;
use anyhow::{Context, bail};
use futures_util::TryStreamExt;
use object_store::ObjectStoreExt;
use object_store::path::Path as StorePath;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Writes every object to `dir`, one file per key (`documents/<id>` …).
pub async fn export(storage: &Storage, dir: &Path) -> anyhow::Result<()> {
    let started = Instant::now();
    let store = storage.store();
    // There even when the store is empty, so an import of it finds a directory.
    tokio::fs::create_dir_all(dir).await.with_context(|| format!("creating {}", dir.display()))?;
    let objects: Vec<_> = store.list(None).try_collect().await.context("listing the document store")?;
    let bar = progress(objects.len(), "exporting documents");
    let mut bytes = 0;
    for object in &objects {
        // Keys are object_store paths: no empty, `.` or `..` segment can leave `dir`.
        let target = dir.join(object.location.as_ref());
        if let Some(parent) = target.parent() {
            tokio::fs::create_dir_all(parent).await.with_context(|| format!("creating {}", parent.display()))?;
        }
        let body = store.get(&object.location).await?.bytes().await?;
        tokio::fs::write(&target, &body).await.with_context(|| format!("writing {}", target.display()))?;
        bytes += body.len();
        bar.inc(1);
    }
    bar.finish_and_clear();
    eprintln!(
        "exported {} documents ({bytes} bytes) to {} in {:.1} s",
        objects.len(),
        dir.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Puts every file under `dir` into the store, its path below `dir` as the key.
pub async fn import(storage: &Storage, dir: &Path) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut files = Vec::new();
    walk(dir, &mut files).with_context(|| format!("reading {}", dir.display()))?;
    let bar = progress(files.len(), "importing documents");
    let mut bytes = 0;
    for file in &files {
        let relative = file.strip_prefix(dir)?.to_str().with_context(|| format!("{} is not UTF-8", file.display()))?;
        let key = StorePath::parse(relative.replace(std::path::MAIN_SEPARATOR, "/"))?;
        let body = tokio::fs::read(file).await.with_context(|| format!("reading {}", file.display()))?;
        bytes += body.len();
        storage.store().put(&key, body.into()).await.with_context(|| format!("storing {key}"))?;
        bar.inc(1);
    }
    bar.finish_and_clear();
    eprintln!(
        "imported {} documents ({bytes} bytes) from {} in {:.1} s",
        files.len(),
        dir.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() { walk(&path, files)? } else { files.push(path) }
    }
    Ok(())
}

/// Reads back every record and message attachment the database names and
/// compares its SHA-256 with the one recorded at upload; fails naming each
/// one missing or changed.
pub async fn verify(db: &sqlx::PgPool, storage: &Storage) -> anyhow::Result<()> {
    let started = Instant::now();
    let rows = sqlx::query!(
        r#"select storage_key as "key!", sha256 as "sha256!" from documents
           union all
           select attachment_key, attachment_sha256 from case_messages where attachment_key is not null
           order by 1"#
    )
    .fetch_all(db)
    .await?;
    let bar = progress(rows.len(), "checking documents");
    let mut bad = Vec::new();
    for row in &rows {
        match storage.get_verified(&row.key, &row.sha256).await {
            Ok(Some(_)) => {}
            Ok(None) => bad.push(format!("{} (its SHA-256 differs)", row.key)),
            Err(e) => bad.push(format!("{} ({e})", row.key)),
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    let took = started.elapsed().as_secs_f64();
    if !bad.is_empty() {
        bail!("{} of {} documents are missing or changed, in {took:.1} s: {}", bad.len(), rows.len(), bad.join(", "));
    }
    eprintln!("all {} documents are in the store with their recorded SHA-256 (checked in {took:.1} s)", rows.len());
    Ok(())
}
