//! The care coordinator's side: the queue and the case workspace (checklist,
//! uploads, specialist choice, state changes, notes, additional fees).

mod actions;
mod break_glass;
mod checklist;
mod child;
pub mod db;
mod fees;
mod messages;
pub mod queue;
mod releases;
mod workspace;

use crate::state::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

/// Files one upload may carry (each up to the per-file limit).
const FILES_PER_UPLOAD: usize = 8;

pub fn router(state: &AppState) -> Router<AppState> {
    // Every route of a case passes the assignment guard first.
    let case = Router::new()
        .route("/cases/{id}", get(workspace::workspace))
        .route("/cases/{id}/take", post(actions::take))
        .route("/cases/{id}/clinician", post(actions::assign_clinician))
        .route("/cases/{id}/ready", post(actions::mark_ready))
        .route("/cases/{id}/send", post(actions::send_to_specialist))
        .route("/cases/{id}/cancel", post(actions::cancel))
        .route("/cases/{id}/close", post(actions::close))
        .route("/cases/{id}/notes", post(actions::add_note))
        .route("/cases/{id}/sources", post(checklist::add_source))
        .route("/cases/{id}/sources/{source}/status", post(checklist::set_status))
        .route(
            "/cases/{id}/sources/{source}/documents",
            // Several files per upload; one over the limit is read up to BODY_LIMIT so the page can say so.
            post(checklist::upload).layer(DefaultBodyLimit::max(
                ((crate::cases::documents::MAX_BYTES as usize) * FILES_PER_UPLOAD + 64 * 1024)
                    .max(crate::cases::documents::BODY_LIMIT),
            )),
        )
        .route("/cases/{id}/record-requests", post(checklist::ask_family))
        .route("/cases/{id}/record-requests/{request}/resolve", post(checklist::resolve_request))
        .route("/cases/{id}/messages", get(messages::messages_page).post(messages::reply))
        .route("/cases/{id}/messages/{message}/file", post(messages::file_attachment))
        .route("/cases/{id}/sources/{source}/release", get(releases::letter))
        .route("/cases/{id}/child", get(child::correction_form).post(child::correct))
        .route("/cases/{id}/fees", post(fees::request_fee))
        .route("/cases/{id}/fees/{fee}/waive", post(fees::waive))
        .route("/cases/{id}/suggestions/{suggestion}/dismiss", post(fees::dismiss))
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), break_glass::guard));
    Router::new().route("/", get(queue::queue)).route("/cases/{id}/break-glass", post(break_glass::open)).merge(case)
}
