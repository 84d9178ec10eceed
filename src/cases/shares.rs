//! Share links: the family gives their child's doctor a link to the signed
//! opinion. It works for 14 days (the database checks), opens only with the
//! child's date of birth (wrong dates are throttled), shows the opinion
//! read-only, can be withdrawn, and every view is audited and listed for the
//! family. Only a SHA-256 of the link's 256-bit token is stored.

use crate::domain::{CaseId, ShareId, UserId};
use crate::error::AppError;
use jiff::{SignedDuration, Timestamp};
use jiff_sqlx::ToSqlx;
use sha2::{Digest, Sha256};
use sqlx::{PgConnection, PgExecutor};

/// How long a link works.
pub const DAYS: i64 = 14;
/// Wrong dates of birth allowed per link, and per address, in [`THROTTLE_WINDOW`].
pub const MAX_WRONG_PER_LINK: i64 = 5;
pub const MAX_WRONG_PER_ADDRESS: i64 = 20;
pub const THROTTLE_WINDOW: SignedDuration = SignedDuration::from_mins(15);

fn hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// A new link for `case`'s signed opinion; returns its token (shown once).
pub async fn create(
    conn: &mut PgConnection,
    case: CaseId,
    by: UserId,
    now: Timestamp,
) -> Result<(ShareId, String), AppError> {
    let token = hex::encode(rand::random::<[u8; 32]>());
    let id = sqlx::query_scalar!(
        r#"insert into case_shares (case_id, token_hash, created_by, created_at, expires_at)
           values ($1, $2, $3, $4, $4::timestamptz + interval '14 days') returning id as "id: ShareId""#,
        case as CaseId,
        hash(&token),
        by as UserId,
        now.to_sqlx() as _
    )
    .fetch_one(conn)
    .await
    .map_err(|e| {
        crate::error::conflicts(e, &[("case_shares_opinion_signed", "Only a signed opinion can be shared.")])
    })?;
    Ok((id, token))
}

/// Where a link stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkState {
    Active,
    Expired,
    Withdrawn,
}

/// A link as the family's page lists it, with each time it was opened.
pub struct ShareRow {
    pub id: ShareId,
    pub created_at: jiff_sqlx::Timestamp,
    pub expires_at: jiff_sqlx::Timestamp,
    pub revoked_at: Option<jiff_sqlx::Timestamp>,
    pub views: Vec<jiff_sqlx::Timestamp>,
}

impl ShareRow {
    pub fn state(&self, now: Timestamp) -> LinkState {
        state_of(self.expires_at.to_jiff(), self.revoked_at.map(|t| t.to_jiff()), now)
    }
}

fn state_of(expires_at: Timestamp, revoked_at: Option<Timestamp>, now: Timestamp) -> LinkState {
    if revoked_at.is_some() {
        LinkState::Withdrawn
    } else if now >= expires_at {
        LinkState::Expired
    } else {
        LinkState::Active
    }
}

pub async fn for_case(db: impl PgExecutor<'_>, case: CaseId) -> sqlx::Result<Vec<ShareRow>> {
    sqlx::query_as!(
        ShareRow,
        r#"select s.id as "id: ShareId", s.created_at as "created_at: jiff_sqlx::Timestamp",
                  s.expires_at as "expires_at: jiff_sqlx::Timestamp", s.revoked_at as "revoked_at: jiff_sqlx::Timestamp",
                  array(select v.at from case_share_views v where v.share_id = s.id order by v.at)
                      as "views!: Vec<jiff_sqlx::Timestamp>"
           from case_shares s where s.case_id = $1 order by s.created_at desc"#,
        case as CaseId
    )
    .fetch_all(db)
    .await
}

/// Withdraws one of `case`'s links; `false` if it was not there or already withdrawn.
pub async fn revoke(db: impl PgExecutor<'_>, case: CaseId, share: ShareId, now: Timestamp) -> sqlx::Result<bool> {
    let done = sqlx::query!(
        "update case_shares set revoked_at = $3 where id = $2 and case_id = $1 and revoked_at is null",
        case as CaseId,
        share as ShareId,
        now.to_sqlx() as _
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The link a token opens, and the date of birth that unlocks it.
pub struct Opened {
    pub id: ShareId,
    pub case_id: CaseId,
    pub state: LinkState,
    pub expires_at: Timestamp,
    pub date_of_birth: jiff::civil::Date,
}

pub async fn by_token(db: impl PgExecutor<'_>, token: &str, now: Timestamp) -> sqlx::Result<Option<Opened>> {
    let row = sqlx::query!(
        r#"select s.id as "id: ShareId", s.case_id as "case_id: CaseId", s.expires_at as "expires_at: jiff_sqlx::Timestamp",
                  s.revoked_at as "revoked_at: jiff_sqlx::Timestamp", c.child_date_of_birth as "dob: jiff_sqlx::Date"
           from case_shares s join cases c on c.id = s.case_id where s.token_hash = $1"#,
        hash(token)
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| Opened {
        id: r.id,
        case_id: r.case_id,
        state: state_of(r.expires_at.to_jiff(), r.revoked_at.map(|t| t.to_jiff()), now),
        expires_at: r.expires_at.to_jiff(),
        date_of_birth: r.dob.to_jiff(),
    }))
}

/// `Some(minutes to wait)` when this link or address has had too many wrong dates of birth.
pub async fn throttled(
    db: impl PgExecutor<'_>,
    share: ShareId,
    ip: Option<&str>,
    now: Timestamp,
) -> sqlx::Result<Option<i64>> {
    let row = sqlx::query!(
        r#"select count(*) filter (where share_id = $1) as "by_link!", count(*) filter (where client_ip = $2) as "by_ip!",
                  min(at) as "oldest: jiff_sqlx::Timestamp"
           from case_share_failures where at > $3 and (share_id = $1 or client_ip = $2)"#,
        share as ShareId,
        ip,
        (now - THROTTLE_WINDOW).to_sqlx() as _
    )
    .fetch_one(db)
    .await?;
    if row.by_link >= MAX_WRONG_PER_LINK || row.by_ip >= MAX_WRONG_PER_ADDRESS {
        let oldest = row.oldest.map_or(now, jiff_sqlx::Timestamp::to_jiff);
        return Ok(Some(((oldest + THROTTLE_WINDOW).duration_since(now).as_secs() / 60).max(1)));
    }
    Ok(None)
}

pub async fn record_failure(
    db: impl PgExecutor<'_>,
    share: ShareId,
    ip: Option<&str>,
    now: Timestamp,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into case_share_failures (share_id, client_ip, at) values ($1, $2, $3)",
        share as ShareId,
        ip,
        now.to_sqlx() as _
    )
    .execute(db)
    .await?;
    Ok(())
}

pub async fn record_view(
    db: impl PgExecutor<'_>,
    share: ShareId,
    ip: Option<&str>,
    now: Timestamp,
) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into case_share_views (share_id, at, client_ip) values ($1, $2, $3)",
        share as ShareId,
        now.to_sqlx() as _,
        ip
    )
    .execute(db)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_is_withdrawn_then_expired_then_active() {
        let now: Timestamp = "2026-12-01T00:00:00Z".parse().unwrap();
        let later = now + SignedDuration::from_hours(24 * DAYS);
        assert_eq!(state_of(later, None, now), LinkState::Active);
        assert_eq!(state_of(later, None, later), LinkState::Expired);
        assert_eq!(state_of(later, Some(now), now), LinkState::Withdrawn);
    }
}
