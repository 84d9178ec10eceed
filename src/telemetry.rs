//! Logging. The rule: spans and events carry ids, routes and outcomes, never
//! names, emails, question text, file names, tokens or cookies (PHI and secrets).

use tracing_subscriber::{EnvFilter, fmt};

pub fn init(json: bool) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_sessions=warn"));
    let builder = fmt().with_env_filter(filter).with_target(false);
    // A second init (tests spawn many apps) is harmless, so its error is ignored.
    let _ = if json { builder.json().flatten_event(true).try_init() } else { builder.compact().try_init() };
}
