//! The second factor at sign-in: TOTP (RFC 6238, six digits every 30
//! seconds, SHA-1 as every authenticator app speaks it) and ten one-time
//! recovery codes. Staff must have one before they reach anything but
//! enrolment (the rule lives in the session check and the role extractors,
//! not in handlers); families may turn one on.
//!
//! The secret is sealed at rest under a key derived from `APP_SECRET_KEY`;
//! a code is accepted once (the last accepted time step is moved forward
//! with a compare-and-set); a recovery code is used once (its row is marked
//! with a compare-and-set too).

pub mod challenge;
pub mod enrol;

use crate::config::SecretKey;
use crate::domain::UserId;
use crate::error::AppError;
use crate::notify::seal::OutboxKey;
use jiff::Timestamp;
use jiff_sqlx::ToSqlx;
use sha2::{Digest, Sha256};
use sqlx::{PgConnection, PgExecutor};
use totp_rs::{Builder, Secret, Totp};

/// The demo staff accounts' one secret (`seed-demo`, development and test
/// only): `oathtool --totp -b JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP` gives the code.
/// A production sign-in refuses it ([`challenge`]).
pub const DEMO_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

/// How many recovery codes an enrolment hands out.
pub const RECOVERY_CODES: usize = 10;

/// What authenticator apps show above the code.
const ISSUER: &str = "Second Opinion";

/// The sealing key for secrets (its own purpose: nothing else opens with it).
pub fn key(secret: &SecretKey) -> OutboxKey {
    OutboxKey::for_purpose(secret, "second-factor-secret")
}

/// A fresh 160-bit secret (RFC 4226 §4 recommends 160).
pub fn new_secret() -> Vec<u8> {
    Secret::generate().as_bytes().to_vec()
}

/// The secret as people type it into an app: RFC 4648 base32.
pub fn base32(secret: &[u8]) -> String {
    Secret::from(secret).to_base32()
}

/// The secret a base32 string names (the demo's, a typed one).
pub fn from_base32(text: &str) -> Option<Vec<u8>> {
    Secret::try_from_base32(text).ok().map(|s| s.as_bytes().to_vec())
}

/// The generator for `secret`, labelled with the person's `account` (their email).
pub fn totp(secret: &[u8], account: &str) -> Result<Totp, AppError> {
    Builder::new()
        .with_secret(secret.to_vec())
        .with_account_name(account.replace(':', ""))
        .with_issuer(Some(ISSUER))
        .build()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("TOTP: {e:?}")))
}

/// `otpauth://` as an SVG QR code, drawn on the server (no script, no image crate).
pub fn qr_svg(totp: &Totp) -> Result<String, AppError> {
    let url = totp.to_url().map_err(|e| AppError::Internal(anyhow::anyhow!("TOTP URL: {e:?}")))?;
    let code = qrcode::QrCode::new(url.as_bytes()).map_err(|e| AppError::Internal(anyhow::anyhow!("QR: {e}")))?;
    Ok(code.render::<qrcode::render::svg::Color>().min_dimensions(200, 200).quiet_zone(true).build())
}

/// The time step a timestamp is in (the counter RFC 6238 signs).
fn seconds(now: Timestamp) -> u64 {
    u64::try_from(now.as_second()).unwrap_or(0)
}

/// The matched time step when `code` is right for `secret` at `now` (one
/// step either side, for a phone's clock or a slow typist).
pub fn matches(secret: &[u8], code: &str, now: Timestamp) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let totp = totp(secret, "x").ok()?;
    totp.check(&code, seconds(now)).and_then(|step| i64::try_from(step).ok())
}

/// Does `user` have a second factor?
pub async fn enrolled(db: impl PgExecutor<'_>, user: UserId) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists (select 1 from second_factors where user_id = $1) as "enrolled!""#,
        user as UserId
    )
    .fetch_one(db)
    .await
}

/// Stores `secret` for `user`, its enrolment code's `step` used already, and
/// ten recovery codes (returned, to be shown once). `None`: already enrolled.
pub async fn enrol(
    conn: &mut PgConnection,
    key: &OutboxKey,
    user: UserId,
    secret: &[u8],
    step: i64,
    now: Timestamp,
) -> sqlx::Result<Option<Vec<String>>> {
    let sealed = key.seal(user.0, secret);
    let inserted = sqlx::query!(
        "insert into second_factors (user_id, secret_sealed, last_step, enrolled_at) values ($1, $2, $3, $4)
         on conflict (user_id) do nothing",
        user as UserId,
        sealed,
        step,
        now.to_sqlx() as _
    )
    .execute(&mut *conn)
    .await?;
    if inserted.rows_affected() == 0 {
        return Ok(None);
    }
    Ok(Some(replace_recovery_codes(conn, user).await?))
}

/// Ten new recovery codes for `user` (returned, to be shown once); every
/// earlier one, used or not, stops working in the same transaction.
pub async fn replace_recovery_codes(conn: &mut PgConnection, user: UserId) -> sqlx::Result<Vec<String>> {
    sqlx::query!("delete from recovery_codes where user_id = $1", user as UserId).execute(&mut *conn).await?;
    let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| new_recovery_code()).collect();
    let hashes: Vec<Vec<u8>> = codes.iter().map(|c| recovery_hash(c)).collect();
    sqlx::query!(
        "insert into recovery_codes (user_id, code_hash) select $1, unnest($2::bytea[])",
        user as UserId,
        &hashes
    )
    .execute(&mut *conn)
    .await?;
    Ok(codes)
}

/// 80 random bits as four groups of four base32 letters and digits.
fn new_recovery_code() -> String {
    let raw = Secret::from(rand::random::<[u8; 10]>()).to_base32();
    raw.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-")
}

/// What is stored of a recovery code: SHA-256 of its letters, whatever
/// case, spaces or dashes it was typed with.
fn recovery_hash(code: &str) -> Vec<u8> {
    let letters: String = code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect();
    Sha256::digest(letters.as_bytes()).to_vec()
}

/// What a code typed at sign-in (or to turn the factor off) turned out to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    /// A right code, for a time step later than any used before.
    Code,
    /// An unused recovery code, now used; `left` remain.
    Recovery { left: i64 },
    /// A right code that was already used (or an older one).
    Reused,
    /// Not a code of this person's.
    Wrong,
    /// The person has no second factor (an admin reset it meanwhile).
    NotEnrolled,
}

/// Checks `code` for `user` at `now`, using it up when it is right. With
/// `refuse_demo` (production), the demo secret never signs anyone in.
pub async fn check(
    conn: &mut PgConnection,
    key: &OutboxKey,
    user: UserId,
    code: &str,
    now: Timestamp,
    refuse_demo: bool,
) -> Result<Check, AppError> {
    let Some(sealed) =
        sqlx::query_scalar!("select secret_sealed from second_factors where user_id = $1", user as UserId)
            .fetch_optional(&mut *conn)
            .await?
    else {
        return Ok(Check::NotEnrolled);
    };
    let secret = key.open(user.0, &sealed).ok_or_else(|| {
        AppError::Internal(anyhow::anyhow!("a second-factor secret does not open (APP_SECRET_KEY changed?)"))
    })?;
    if refuse_demo && from_base32(DEMO_SECRET).is_some_and(|demo| demo == secret) {
        tracing::error!(user = %user.0, "an account holds the demo second-factor secret in production: refused");
        return Ok(Check::Wrong);
    }
    let digits: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() == 6 && digits.chars().all(|c| c.is_ascii_digit()) {
        let Some(step) = matches(&secret, &digits, now) else { return Ok(Check::Wrong) };
        // Compare-and-set: of two sign-ins with one code, one wins.
        let moved = sqlx::query!(
            "update second_factors set last_step = $2 where user_id = $1 and last_step < $2",
            user as UserId,
            step
        )
        .execute(&mut *conn)
        .await?;
        return Ok(if moved.rows_affected() == 1 { Check::Code } else { Check::Reused });
    }
    let used = sqlx::query!(
        "update recovery_codes set used_at = $3 where user_id = $1 and code_hash = $2 and used_at is null",
        user as UserId,
        recovery_hash(code),
        now.to_sqlx() as _
    )
    .execute(&mut *conn)
    .await?;
    if used.rows_affected() == 0 {
        return Ok(Check::Wrong);
    }
    Ok(Check::Recovery { left: recovery_codes_left(&mut *conn, user).await? })
}

/// Unused recovery codes `user` has.
pub async fn recovery_codes_left(db: impl PgExecutor<'_>, user: UserId) -> sqlx::Result<i64> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from recovery_codes where user_id = $1 and used_at is null"#,
        user as UserId
    )
    .fetch_one(db)
    .await
}

/// Removes `user`'s second factor and recovery codes (turning it off, an
/// admin's reset). False when there was none.
pub async fn remove(conn: &mut PgConnection, user: UserId) -> sqlx::Result<bool> {
    let done = sqlx::query!("delete from second_factors where user_id = $1", user as UserId).execute(conn).await?;
    Ok(done.rows_affected() == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recovery_code_is_80_bits_in_four_groups_and_reads_however_it_is_typed() {
        let code = new_recovery_code();
        assert_eq!(code.len(), 19, "{code}");
        assert_eq!(code.split('-').count(), 4);
        assert_eq!(recovery_hash(&code), recovery_hash(&code.to_lowercase().replace('-', " ")));
        assert_ne!(recovery_hash(&code), recovery_hash(&new_recovery_code()));
    }

    #[test]
    fn a_code_matches_its_step_and_the_steps_either_side_only() {
        let secret = from_base32(DEMO_SECRET).unwrap();
        let now = Timestamp::from_second(1_800_000_000).unwrap();
        let code = totp(&secret, "a@example.test").unwrap().generate(1_800_000_000).to_string();
        assert_eq!(matches(&secret, &code, now), Some(60_000_000));
        assert!(matches(&secret, &code, now + jiff::SignedDuration::from_secs(30)).is_some());
        assert_eq!(matches(&secret, &code, now + jiff::SignedDuration::from_secs(90)), None);
        assert_eq!(matches(&secret, "000000x", now), None);
    }
}
