//! Throttling sign-ins and sign-ups.
//!
//! Sign-in: at most 10 failures per account and 100 per network in 15
//! minutes. An attempt is *reserved* (written as a failure) before its
//! password is hashed, under a lock per account and per network, so a
//! parallel burst gets no more guesses than a serial one; a success takes
//! its reservation back. The per-network limit doesn't apply to a browser
//! someone has signed in on before (its device cookie names their account):
//! a flood from a hospital's one NAT address can't lock its staff out.
//!
//! Sign-up: at most 3 per address and 10 per network an hour, also reserved
//! before hashing, so a burst can't keep every hasher busy or fill an inbox.
//!
//! A network is an IPv4 address, or the /64 an IPv6 address is in (one
//! household or phone has a whole /64). Throttled attempts write nothing;
//! each throttling episode gets one audit row ([`Episodes`]).

use crate::error::AppError;
use jiff::{SignedDuration, Timestamp};
use jiff_sqlx::ToSqlx;
use sqlx::PgPool;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

pub const WINDOW: SignedDuration = SignedDuration::from_mins(15);
pub const MAX_PER_ACCOUNT: i64 = 10;
pub const MAX_PER_IP: i64 = 100;

pub const SIGN_UP_WINDOW: SignedDuration = SignedDuration::from_hours(1);
pub const MAX_SIGN_UPS_PER_EMAIL: i64 = 3;
pub const MAX_SIGN_UPS_PER_IP: i64 = 10;

/// What an attempt is counted against: the account (or address) and the network.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    Account,
    Network,
}

/// Either the attempt may go ahead (and is already counted), or it waits.
#[derive(Debug)]
pub enum Verdict {
    /// The reserved `login_failures` row (a sign-up's reservation is never taken back).
    Go(Option<i64>),
    Wait {
        minutes: i64,
        by: Limit,
    },
}

/// The network a client address is in, as the throttle tables store it.
pub fn network(ip: &str) -> String {
    match ip.parse::<IpAddr>().map(|ip| ip.to_canonical()) {
        Ok(IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Ok(ip) => ip.to_string(),
        Err(_) => ip.to_owned(),
    }
}

fn minutes_until(oldest: Option<jiff_sqlx::Timestamp>, window: SignedDuration, now: Timestamp) -> i64 {
    let oldest = oldest.map_or(now, jiff_sqlx::Timestamp::to_jiff);
    ((oldest + window).duration_since(now).as_secs() / 60).max(1)
}

/// Reserves a sign-in attempt for `email` from `ip`, unless it must wait.
/// With `known_device`, the network's limit does not apply.
pub async fn reserve_sign_in(
    db: &PgPool,
    email: &str,
    ip: Option<&str>,
    known_device: bool,
    now: Timestamp,
) -> Result<Verdict, AppError> {
    let net = ip.map(network);
    let mut tx = db.begin().await?;
    // Attempts on one account (and from one network) queue here for the
    // moment it takes to count and reserve: never two counts at once.
    sqlx::query!("select pg_advisory_xact_lock(hashtextextended('sign-in:' || $1, 0))", email)
        .execute(&mut *tx)
        .await?;
    let net = net.filter(|_| !known_device);
    if let Some(net) = &net {
        sqlx::query!("select pg_advisory_xact_lock(hashtextextended('sign-in-net:' || $1, 0))", net)
            .execute(&mut *tx)
            .await?;
    }
    let row = sqlx::query!(
        r#"select
             count(*) filter (where email = $1) as "by_account!",
             count(*) filter (where client_ip = $2) as "by_ip!",
             min(at) filter (where email = $1) as "oldest_for_account: jiff_sqlx::Timestamp",
             min(at) filter (where client_ip = $2) as "oldest_for_ip: jiff_sqlx::Timestamp"
           from login_failures
           where at > $3 and (email = $1 or client_ip = $2)"#,
        email,
        net,
        (now - WINDOW).to_sqlx() as _
    )
    .fetch_one(&mut *tx)
    .await?;
    if row.by_account >= MAX_PER_ACCOUNT {
        return Ok(Verdict::Wait { minutes: minutes_until(row.oldest_for_account, WINDOW, now), by: Limit::Account });
    }
    if row.by_ip >= MAX_PER_IP {
        return Ok(Verdict::Wait { minutes: minutes_until(row.oldest_for_ip, WINDOW, now), by: Limit::Network });
    }
    let id = sqlx::query_scalar!(
        "insert into login_failures (email, client_ip, at) values ($1, $2, $3) returning id",
        email,
        ip.map(network),
        now.to_sqlx() as _
    )
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Verdict::Go(Some(id)))
}

/// The reserved attempt was not a failure after all (the password was right,
/// or it could not be checked).
pub async fn release(db: &PgPool, reserved: Option<i64>) -> Result<(), AppError> {
    if let Some(id) = reserved {
        sqlx::query!("delete from login_failures where id = $1", id).execute(db).await?;
    }
    Ok(())
}

/// Reserves a sign-up for `email` from `ip`, unless it must wait.
pub async fn reserve_sign_up(db: &PgPool, email: &str, ip: Option<&str>, now: Timestamp) -> Result<Verdict, AppError> {
    let net = ip.map(network);
    let mut tx = db.begin().await?;
    sqlx::query!("select pg_advisory_xact_lock(hashtextextended('sign-up:' || $1, 0))", email)
        .execute(&mut *tx)
        .await?;
    if let Some(net) = &net {
        sqlx::query!("select pg_advisory_xact_lock(hashtextextended('sign-up-net:' || $1, 0))", net)
            .execute(&mut *tx)
            .await?;
    }
    let row = sqlx::query!(
        r#"select
             count(*) filter (where email = $1) as "by_email!",
             count(*) filter (where client_ip = $2) as "by_ip!",
             min(at) filter (where email = $1) as "oldest_for_email: jiff_sqlx::Timestamp",
             min(at) filter (where client_ip = $2) as "oldest_for_ip: jiff_sqlx::Timestamp"
           from sign_up_attempts
           where at > $3 and (email = $1 or client_ip = $2)"#,
        email,
        net,
        (now - SIGN_UP_WINDOW).to_sqlx() as _
    )
    .fetch_one(&mut *tx)
    .await?;
    if row.by_email >= MAX_SIGN_UPS_PER_EMAIL {
        let minutes = minutes_until(row.oldest_for_email, SIGN_UP_WINDOW, now);
        return Ok(Verdict::Wait { minutes, by: Limit::Account });
    }
    if row.by_ip >= MAX_SIGN_UPS_PER_IP {
        return Ok(Verdict::Wait {
            minutes: minutes_until(row.oldest_for_ip, SIGN_UP_WINDOW, now),
            by: Limit::Network,
        });
    }
    sqlx::query!(
        "insert into sign_up_attempts (email, client_ip, at) values ($1, $2, $3)",
        email,
        net,
        now.to_sqlx() as _
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Verdict::Go(None))
}

/// Forgets attempts older than a day: the throttles look back 15 minutes
/// and an hour, and the audit log keeps the history (the worker runs it).
pub async fn forget_old(db: &PgPool, now: Timestamp) -> sqlx::Result<()> {
    let before = (now - SignedDuration::from_hours(24)).to_sqlx();
    sqlx::query!("delete from login_failures where at < $1", before as _).execute(db).await?;
    sqlx::query!("delete from sign_up_attempts where at < $1", before as _).execute(db).await?;
    Ok(())
}

/// Throttling episodes this process has audited: a flood of throttled
/// attempts gets one audit row per account or network per window, not one
/// per attempt (which was tens of thousands of rows in seconds).
#[derive(Default)]
pub struct Episodes(Mutex<HashMap<String, Timestamp>>);

/// More keys than this and the oldest are forgotten (a flood from many addresses).
const MAX_EPISODES: usize = 10_000;

impl Episodes {
    /// True the first time `key` is throttled in a window.
    pub fn first(&self, key: &str, now: Timestamp) -> bool {
        let Ok(mut seen) = self.0.lock() else { return true };
        if seen.len() >= MAX_EPISODES {
            seen.retain(|_, at| now.duration_since(*at) < WINDOW);
            if seen.len() >= MAX_EPISODES {
                seen.clear();
            }
        }
        match seen.get(key) {
            Some(at) if now.duration_since(*at) < WINDOW => false,
            _ => {
                seen.insert(key.to_owned(), now);
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_network_is_an_ipv4_address_or_an_ipv6_slash_64() {
        assert_eq!(network("198.51.100.7"), "198.51.100.7");
        assert_eq!(network("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), "2001:db8:1:2::/64");
        assert_eq!(network("2001:db8:1:2::1"), network("2001:db8:1:2:ffff::9"));
        assert_eq!(network("::ffff:198.51.100.7"), "198.51.100.7");
    }

    #[test]
    fn an_episode_is_audited_once_a_window() {
        let episodes = Episodes::default();
        let now = Timestamp::now();
        assert!(episodes.first("account:a@example.test", now));
        assert!(!episodes.first("account:a@example.test", now + SignedDuration::from_mins(5)));
        assert!(episodes.first("network:198.51.100.7", now));
        assert!(episodes.first("account:a@example.test", now + WINDOW));
    }
}
