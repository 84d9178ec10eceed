//! `GET /healthz` (liveness): `ok` when the database answers, 503 otherwise.
//! `GET /readyz` (readiness): the database answers and has every migration
//! this binary knows, so a load balancer sends nothing to a process whose
//! schema is not there yet (or to one starting against the wrong database).

use crate::state::AppState;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use std::time::Duration;

pub fn router() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz)).route("/readyz", get(readyz))
}

async fn healthz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    let ping = sqlx::query_scalar!("select 1 as \"one!\"").fetch_one(&state.db);
    match tokio::time::timeout(Duration::from_secs(3), ping).await {
        Ok(Ok(_)) => (StatusCode::OK, "ok"),
        _ => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable"),
    }
}

async fn readyz(State(state): State<AppState>) -> (StatusCode, String) {
    let applied = sqlx::query_scalar::<_, i64>("select version from _sqlx_migrations where success");
    match tokio::time::timeout(Duration::from_secs(3), applied.fetch_all(&state.db)).await {
        Ok(Ok(applied)) => {
            let missing: Vec<String> = crate::startup::MIGRATOR
                .iter()
                .filter(|m| !m.migration_type.is_down_migration() && !applied.contains(&m.version))
                .map(|m| format!("{:04}", m.version))
                .collect();
            if missing.is_empty() {
                (StatusCode::OK, "ready".into())
            } else {
                (StatusCode::SERVICE_UNAVAILABLE, format!("migrations not applied: {}", missing.join(", ")))
            }
        }
        _ => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable".into()),
    }
}
