//! Shared, cheaply cloned application state handed to every handler.

use crate::auth::password::Hasher;
use crate::clock::Clock;
use crate::config::Config;
use axum::extract::FromRef;
use sqlx::PgPool;
use std::ops::Deref;
use std::sync::Arc;

/// One allocation shared by every clone: each middleware layer and every
/// `State` extractor clones the state, and cloning (then dropping) a dozen
/// fields field by field was a tenth of a light page's CPU.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl AppState {
    pub fn new(shared: Shared) -> Self {
        Self(Arc::new(shared))
    }
}

impl Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

pub struct Shared {
    pub db: PgPool,
    pub config: Arc<Config>,
    pub clock: Arc<dyn Clock>,
    pub hasher: Hasher,
    pub payments: crate::payments::Gateway,
    pub documents: crate::cases::documents::Storage,
    /// The Content-Security-Policy, built once from the config (Stripe.js's origin when set).
    pub csp: axum::http::HeaderValue,
    /// Seals outbox messages whose link is a credential.
    pub outbox_key: crate::notify::seal::OutboxKey,
    /// Throttled sign-ins seen lately, so each episode is audited once.
    pub throttled: std::sync::Arc<crate::auth::throttle::Episodes>,
    /// The hospital calendar for pages, forgotten when any instance changes the holidays.
    pub calendar: Arc<crate::reference_cache::Cache<crate::domain::business_days::Calendar>>,
    /// The scheduled prices for pages, forgotten when any instance changes them.
    /// The program settings the admin set over the configuration, likewise.
    pub program: Arc<crate::reference_cache::Cache<crate::program::Overrides>>,
    pub prices: Arc<crate::reference_cache::Cache<crate::payments::price::FeeSchedule>>,
}

impl FromRef<AppState> for PgPool {
    fn from_ref(state: &AppState) -> PgPool {
        state.db.clone()
    }
}
