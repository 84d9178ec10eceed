//! The whole application as one router: public pages, sign-in, one router
//! per role, the Stripe webhook, static files and the layers around them.

use crate::domain::question::MAX_QUESTIONS;
use crate::domain::text::{CaseSummary, DoctorOrClinic, FollowUpAnswer, OpinionText, PcpNotes};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::{assets, csrf, extract, headers, health, public};
use crate::{admin, auth, clinician, coordinator, family, specialist};
use axum::Router;
use axum::extract::Request;
use axum::http::HeaderName;
use axum::middleware::{Next, from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use std::time::Duration;
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use tower_sessions::SessionManagerLayer;

/// Most forms are small: a 64 KiB body holds any of them.
pub const FORM_BODY_LIMIT: usize = 64 * 1024;

/// A character can take 12 bytes in a form body: 4 in UTF-8, each sent as `%XX`.
const BYTES_PER_CHAR: usize = 12;
/// Room for the field names, the token and the short fields beside the long ones.
const FORM_OVERHEAD: usize = 16 * 1024;

/// The body limit of the form posted to `route` (its template, as the router
/// matched it): enough for the form's longest valid input, in the widest
/// characters, so valid text is never refused as too large. The forms with
/// long texts are listed; the rest fit [`FORM_BODY_LIMIT`].
pub fn form_limit(route: &str) -> usize {
    let chars = match route {
        // Summary, recommendations, one answer per question, notes for the PCP.
        "/specialist/cases/{id}/opinion" => (2 + MAX_QUESTIONS) * OpinionText::MAX + PcpNotes::MAX,
        "/specialist/cases/{id}/follow-ups/{follow_up}" | "/clinician/cases/{id}/follow-ups/{follow_up}/answer" => {
            FollowUpAnswer::MAX
        }
        // Diagnosis and treatment summaries, physician and clinic.
        "/family/cases/{id}/details" => 2 * CaseSummary::MAX + 2 * DoctorOrClinic::MAX,
        _ => return FORM_BODY_LIMIT,
    };
    chars * BYTES_PER_CHAR + FORM_OVERHEAD
}

/// A request that takes longer than this is answered 503 (uploads excepted).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// An upload may take long on a slow link; it is stopped only when it stalls
/// (`cases::documents::IDLE_TIMEOUT`) or, at the very most, after this.
const UPLOAD_TIMEOUT: Duration = Duration::from_secs(60 * 60);

/// Middleware: the request timeout, except that uploads get theirs in
/// the storage layer (an idle limit) and this only as a last resort.
async fn timeout(request: Request, next: Next) -> Response {
    let is_upload = request.method() == axum::http::Method::POST && request.uri().path().ends_with("/documents");
    let limit = if is_upload { UPLOAD_TIMEOUT } else { REQUEST_TIMEOUT };
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(?limit, "request timed out");
            AppError::Unavailable.into_response()
        }
    }
}

/// The whole application: public pages, sign-in, one router per role.
pub fn router(state: AppState, sessions: SessionManagerLayer<auth::session_store::Store>) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    let pages = Router::new()
        .merge(public::router())
        .merge(auth::router())
        .merge(crate::cases::shared_view::router())
        .nest("/family", family::router())
        .nest("/coordinator", coordinator::router(&state))
        .nest("/clinician", clinician::router())
        .nest("/specialist", specialist::router())
        .nest("/admin", admin::router())
        .route("/documents/{id}", axum::routing::get(crate::cases::download::download))
        .route("/messages/{id}/attachment", axum::routing::get(crate::cases::message_files::download))
        // Inside the layers: a made-up page is answered in the person's own
        // layout and, for someone signed in, audited like any other 404.
        .fallback(|| async { AppError::NotFound })
        .layer(
            // Outermost first: the program's names in effect → session → who is signed in → their error
            // pages → CSRF token check (against the session's token, or the
            // visitor's cookie) → audit of denials.
            ServiceBuilder::new()
                .layer(from_fn_with_state(state.clone(), crate::program::per_request))
                .layer(from_fn(crate::error::calm_bare_failures))
                .layer(sessions)
                .layer(from_fn_with_state(state.clone(), auth::session::authenticate))
                .layer(from_fn(crate::i18n::negotiate))
                .layer(from_fn_with_state(state.clone(), crate::error::with_navigation))
                .layer(from_fn_with_state(state.clone(), csrf::verify))
                .layer(from_fn_with_state(state.clone(), extract::audit_not_found)),
        );

    Router::new()
        .merge(pages)
        .merge(health::router())
        .merge(crate::metrics::router(&state))
        .merge(crate::payments::webhook::router())
        .merge(assets::router())
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
                .layer(from_fn(crate::metrics::track))
                .layer(from_fn(timeout))
                .layer(CompressionLayer::new())
                .layer(from_fn_with_state(state.clone(), headers::security_headers))
                // Rejects cross-site unsafe requests (Origin / Sec-Fetch-Site) before anything runs.
                // Bodies are limited per route: forms by `form_limit` (in the CSRF
                // check), uploads by their route, the webhook by axum's default.
                .layer(tower_http::csrf::CsrfLayer::new()),
        )
        .with_state(state)
}
