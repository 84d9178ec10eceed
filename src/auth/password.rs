//! argon2id hashing (crate defaults: 19 MiB, t=2, p=1) on its own
//! lower-priority threads (`hash_threads`), behind a semaphore sized to the
//! cores: a burst of sign-ins gets a quick
//! 503 instead of an unbounded queue of 19 MiB computations. Hashing a new
//! password (sign-up, reset, change) may use all but one of the permits, so
//! a burst of sign-ups can never keep signing in waiting.

use crate::error::AppError;
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock};
use std::time::Duration;
use tokio::sync::Semaphore;

/// How long a request may wait for a free hasher before we answer 503.
const WAIT_FOR_PERMIT: Duration = Duration::from_secs(3);

/// Verified against when the email is unknown, so both paths cost the same.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    let random = hex::encode(rand::random::<[u8; 16]>());
    hash_now(&random).unwrap_or_default()
});

#[derive(Clone)]
pub struct Hasher {
    threads: super::hash_threads::HashThreads,
    permits: Arc<Semaphore>,
    /// What hashing new passwords may hold of `permits` (one fewer, at least one).
    new_passwords: Arc<Semaphore>,
    wait: Duration,
    /// Requests waiting for a permit now (the metrics' hashing queue).
    waiting: Arc<AtomicUsize>,
    total: usize,
}

/// Counts a request as waiting for a hasher while it lives.
struct Waiting(Arc<AtomicUsize>);

impl Waiting {
    fn new(count: &Arc<AtomicUsize>) -> Self {
        count.fetch_add(1, Ordering::Relaxed);
        Self(count.clone())
    }
}

impl Drop for Waiting {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Hasher {
    pub fn new(permits: usize) -> Self {
        LazyLock::force(&DUMMY_HASH);
        let permits = permits.max(1);
        Self {
            threads: super::hash_threads::HashThreads::start(permits),
            permits: Arc::new(Semaphore::new(permits)),
            new_passwords: Arc::new(Semaphore::new((permits - 1).max(1))),
            wait: WAIT_FOR_PERMIT,
            waiting: Arc::new(AtomicUsize::new(0)),
            total: permits,
        }
    }

    /// (waiting for a hasher, hashing now): the queue the metrics show.
    pub fn load(&self) -> (usize, usize) {
        (self.waiting.load(Ordering::Relaxed), self.total - self.permits.available_permits())
    }

    pub async fn hash(&self, password: &str) -> Result<String, AppError> {
        let password = password.to_owned();
        let waiting = Waiting::new(&self.waiting);
        let _turn = tokio::time::timeout(self.wait, self.new_passwords.acquire())
            .await
            .map_err(|_| AppError::Busy)?
            .map_err(|_| AppError::Busy)?;
        drop(waiting);
        self.run(move || hash_now(&password)).await?
    }

    /// True when `password` matches `phc`; with no stored hash, burns the same
    /// time against a dummy and says no.
    pub async fn verify(&self, password: &str, phc: Option<String>) -> Result<bool, AppError> {
        let password = password.to_owned();
        let known = phc.is_some();
        let phc = phc.unwrap_or_else(|| DUMMY_HASH.clone());
        let matches = self.run(move || verify_now(&password, &phc)).await?;
        Ok(known && matches)
    }

    async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
        let waiting = Waiting::new(&self.waiting);
        let _permit = tokio::time::timeout(self.wait, self.permits.acquire())
            .await
            .map_err(|_| AppError::Busy)?
            .map_err(|_| AppError::Busy)?;
        drop(waiting);
        self.threads.run(work).await
    }
}

fn hash_now(password: &str) -> Result<String, AppError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(anyhow::anyhow!("argon2: {e}")))
}

fn verify_now(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// A hash nobody can sign in with: for staff accounts waiting for their
/// set-your-password link.
pub fn unusable_hash() -> String {
    format!("!unusable!{}", hex::encode(rand::random::<[u8; 16]>()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_with_the_owasp_parameters_and_verify() {
        let hasher = Hasher::new(2);
        let phc = hasher.hash("violet tractor moon").await.unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(hasher.verify("violet tractor moon", Some(phc.clone())).await.unwrap());
        assert!(!hasher.verify("violet tractor mooN", Some(phc)).await.unwrap());
        assert!(!hasher.verify("violet tractor moon", None).await.unwrap());
        assert!(!hasher.verify("x", Some(unusable_hash())).await.unwrap());
    }

    #[tokio::test]
    async fn a_burst_of_new_passwords_leaves_a_hasher_for_signing_in() {
        let hasher = Hasher { wait: Duration::from_millis(20), ..Hasher::new(2) };
        let phc = hash_now("violet tractor moon").unwrap();
        let burst: Vec<_> = (0..8)
            .map(|i| {
                let hasher = hasher.clone();
                tokio::spawn(async move { hasher.hash(&format!("sign-up number {i}")).await })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(5)).await;
        // Eight sign-ups in the queue; a sign-in still gets its turn at once.
        assert!(hasher.verify("violet tractor moon", Some(phc)).await.unwrap());
        for b in burst {
            let _ = b.await;
        }
    }

    #[tokio::test]
    async fn a_saturated_hasher_answers_busy_instead_of_queueing() {
        let hasher = Hasher { permits: Arc::new(Semaphore::new(1)), wait: Duration::from_millis(50), ..Hasher::new(1) };
        let _held = hasher.permits.clone().acquire_owned().await.unwrap();
        let started = std::time::Instant::now();
        assert!(matches!(hasher.hash("violet tractor moon").await, Err(AppError::Busy)));
        assert!(started.elapsed() < Duration::from_secs(1));
    }
}
