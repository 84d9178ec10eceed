//! Prometheus metrics: requests and their latency per route template, the
//! database pool, the email outbox, the password hashers and the worker's
//! jobs. `GET /metrics` answers only with `Authorization: Bearer
//! $METRICS_TOKEN` (absent token setting: the route does not exist), so the
//! numbers can be scraped through the load balancer without being public.
//! Labels are route templates, methods and status codes: never ids, never
//! anything a person typed.

use crate::state::AppState;
use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

/// Seconds: from a cached page (a few ms) to the request timeout (30 s).
const LATENCY_BUCKETS: &[f64] = &[0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// The process's recorder, installed the first time it is asked for (a
/// recorder is process-wide; tests start many apps in one process).
pub fn handle() -> &'static PrometheusHandle {
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), LATENCY_BUCKETS)
            .expect("the latency buckets are not empty");
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        // Fails only if something else installed a recorder first; ours then
        // renders empty, which the tests would show.
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("a metrics recorder was already installed; /metrics shows only its own");
        }
        describe();
        handle
    })
}

/// How often the latencies recorded since the last time are folded into their histograms.
const UPKEEP: Duration = Duration::from_secs(5);

/// Folds recorded latencies into their histograms every few seconds until
/// shutdown. The exporter keeps each sample until then (or until a scrape):
/// without this, a process nobody scraped grew by about 3 MB per 100,000
/// requests, and the benchmark's peak RSS by 8 MB per round.
pub async fn upkeep(shutdown: CancellationToken) {
    let mut every = tokio::time::interval(UPKEEP);
    loop {
        tokio::select! {
            _ = every.tick() => handle().run_upkeep(),
            () = shutdown.cancelled() => return,
        }
    }
}

fn describe() {
    use metrics::{Unit, describe_counter, describe_gauge, describe_histogram};
    describe_counter!("http_requests_total", "Requests answered, by method, route template and status");
    describe_histogram!("http_request_duration_seconds", Unit::Seconds, "Time to answer, by method and route template");
    describe_gauge!("db_pool_connections", "Connections to PostgreSQL this process holds, by state (idle, in_use)");
    describe_gauge!("db_pool_max_connections", "DATABASE_POOL_SIZE");
    describe_gauge!("email_outbox_pending", "Emails waiting to be sent (all processes)");
    describe_gauge!("email_outbox_oldest_pending_age_seconds", "How long the oldest unsent email has waited");
    describe_gauge!("email_outbox_dead", "Emails given up on, shown on the admin's email page");
    describe_gauge!("password_hash_waiting", "Sign-ins and sign-ups waiting for a password hasher");
    describe_gauge!("password_hash_in_use", "Password hashers busy now");
    describe_counter!("job_runs_total", "Worker job runs, by job and outcome (ok, failed)");
    describe_histogram!("job_duration_seconds", Unit::Seconds, "How long each worker job run took");
}

/// Middleware: counts every request and times it under its route template
/// ("/family/cases/{id}", or "unmatched"), never its path.
pub async fn track(request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().map_or("unmatched", MatchedPath::as_str).to_owned();
    let method = request.method().as_str().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    let seconds = started.elapsed().as_secs_f64();
    let status = response.status().as_u16().to_string();
    metrics::counter!("http_requests_total", "method" => method.clone(), "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!("http_request_duration_seconds", "method" => method, "route" => route).record(seconds);
    response
}

/// Records one run of a worker job (`refunds`, `closing`, `email`, …).
pub fn job_ran(job: &'static str, started: Instant, ok: bool) {
    let outcome = if ok { "ok" } else { "failed" };
    metrics::counter!("job_runs_total", "job" => job, "outcome" => outcome).increment(1);
    metrics::histogram!("job_duration_seconds", "job" => job).record(started.elapsed().as_secs_f64());
}

pub fn router(state: &AppState) -> Router<AppState> {
    if state.config.metrics_token.is_none() {
        return Router::new();
    }
    Router::new().route("/metrics", get(scrape))
}

/// The bearer token, compared in constant time.
fn authorized(headers: &HeaderMap, expected: &str) -> bool {
    use subtle::ConstantTimeEq;
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    given.len() == expected.len() && bool::from(given.as_bytes().ct_eq(expected.as_bytes()))
}

async fn scrape(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(token) = &state.config.metrics_token else { return StatusCode::NOT_FOUND.into_response() };
    if !authorized(&headers, token.expose()) {
        return (StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, "Bearer")], "a metrics token is required")
            .into_response();
    }
    sample_gauges(&state).await;
    let body = handle().render();
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], body).into_response()
}

/// Gauges read at scrape time: what they measure is already kept elsewhere
/// (the pool, the hasher's semaphore, the outbox table and its index).
async fn sample_gauges(state: &AppState) {
    let size = f64::from(state.db.size());
    let idle = state.db.num_idle() as f64;
    metrics::gauge!("db_pool_connections", "state" => "idle").set(idle);
    metrics::gauge!("db_pool_connections", "state" => "in_use").set(size - idle);
    metrics::gauge!("db_pool_max_connections").set(f64::from(state.config.database_pool_size));
    let (waiting, in_use) = state.hasher.load();
    metrics::gauge!("password_hash_waiting").set(waiting as f64);
    metrics::gauge!("password_hash_in_use").set(in_use as f64);
    let outbox = sqlx::query!(
        r#"select count(*) filter (where status = 'pending') as "pending!",
                  count(*) filter (where status = 'dead') as "dead!",
                  coalesce(extract(epoch from (now() - min(created_at) filter (where status = 'pending'))), 0)::float8 as "oldest!"
           from email_outbox where status in ('pending', 'dead')"#
    )
    .fetch_one(&state.db)
    .await;
    match outbox {
        Ok(o) => {
            metrics::gauge!("email_outbox_pending").set(o.pending as f64);
            metrics::gauge!("email_outbox_dead").set(o.dead as f64);
            metrics::gauge!("email_outbox_oldest_pending_age_seconds").set(o.oldest.max(0.0));
        }
        Err(e) => tracing::warn!(error = %e, "could not read the outbox for /metrics"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_exact_bearer_token_is_accepted() {
        let with = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::AUTHORIZATION, v.parse().unwrap());
            h
        };
        assert!(authorized(&with("Bearer s3cret-token"), "s3cret-token"));
        assert!(!authorized(&with("Bearer s3cret-toke"), "s3cret-token"));
        assert!(!authorized(&with("Basic s3cret-token"), "s3cret-token"));
        assert!(!authorized(&HeaderMap::new(), "s3cret-token"));
    }
}
