//! The whole application as one router: public pages, sign-in, one router
//! per role, the Stripe webhook, static files and the layers around them.

use crate::state::AppState;
use crate::web::{assets, csrf, extract, headers, health, public};
use crate::{admin, auth, clinician, coordinator, family, specialist};
use axum::Router;
use axum::http::{HeaderName, Request};
use axum::middleware::from_fn_with_state;
use std::time::Duration;
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::SessionManagerLayer;
use tower_sessions_sqlx_store::PostgresStore;

/// Everything else (uploads are the largest: 25 MB and a little envelope).
pub const BODY_LIMIT: usize = 26 * 1024 * 1024;

/// The whole application: public pages, sign-in, one router per role.
pub fn router(state: AppState, sessions: SessionManagerLayer<PostgresStore>) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    let pages = Router::new()
        .merge(public::router())
        .merge(auth::router())
        .merge(crate::cases::shared_view::router())
        .nest("/family", family::router())
        .nest("/coordinator", coordinator::router())
        .nest("/clinician", clinician::router())
        .nest("/specialist", specialist::router())
        .nest("/admin", admin::router())
        .route("/documents/{id}", axum::routing::get(crate::cases::download::download))
        .route("/messages/{id}/attachment", axum::routing::get(crate::cases::message_files::download))
        .layer(
            // Outermost first: session → CSRF token check → who is signed in.
            ServiceBuilder::new()
                .layer(sessions)
                .layer(from_fn_with_state(state.clone(), csrf::verify))
                .layer(from_fn_with_state(state.clone(), auth::session::authenticate))
                .layer(from_fn_with_state(state.clone(), extract::audit_not_found)),
        );

    Router::new()
        .merge(pages)
        .merge(health::router())
        .merge(crate::payments::webhook::router())
        .merge(assets::router())
        .fallback(|| async { crate::error::AppError::NotFound })
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuid))
                .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
                    // Route template, never the raw path or query: ids and tokens stay out of logs.
                    let route = req
                        .extensions()
                        .get::<axum::extract::MatchedPath>()
                        .map_or("unmatched", |p| p.as_str())
                        .to_owned();
                    let id = req
                        .extensions()
                        .get::<RequestId>()
                        .and_then(|id| id.header_value().to_str().ok())
                        .unwrap_or("-")
                        .to_owned();
                    tracing::info_span!("request", method = %req.method(), route, request_id = id)
                }))
                .layer(PropagateRequestIdLayer::new(request_id))
                .layer(TimeoutLayer::with_status_code(
                    axum::http::StatusCode::SERVICE_UNAVAILABLE,
                    Duration::from_secs(30),
                ))
                .layer(CompressionLayer::new())
                .layer(from_fn_with_state(state.clone(), headers::security_headers))
                .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
                // Rejects cross-site unsafe requests (Origin / Sec-Fetch-Site) before anything runs.
                .layer(tower_http::csrf::CsrfLayer::new()),
        )
        .with_state(state)
}
