//! One error type for every handler, rendered as a calm page in the site layout.

use crate::web::page::{PageContext, html};
use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

/// Everything a handler can fail with. "Not yours" is `NotFound`, never a 403.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    /// No (valid) session: go and sign in, then come back to `next`.
    #[error("sign-in required")]
    SignInRequired { next: Option<String>, reason: Option<&'static str> },
    #[error("missing or invalid CSRF token")]
    Csrf,
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("unsupported form")]
    UnsupportedForm,
    #[error("payload too large")]
    PayloadTooLarge,
    /// The password hashers are all busy; answer at once instead of queueing.
    #[error("busy")]
    Busy,
    /// The database did not answer in time.
    #[error("database unavailable")]
    Unavailable,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => AppError::Unavailable,
            e => AppError::Internal(e.into()),
        }
    }
}

impl From<tower_sessions::session::Error> for AppError {
    fn from(e: tower_sessions::session::Error) -> Self {
        AppError::Internal(e.into())
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(e.into())
    }
}

impl From<axum::extract::rejection::FormRejection> for AppError {
    fn from(e: axum::extract::rejection::FormRejection) -> Self {
        use axum::extract::rejection::FormRejection as R;
        match e {
            R::InvalidFormContentType(_) => AppError::UnsupportedForm,
            R::BytesRejection(b) if b.status() == StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge,
            other => AppError::BadRequest(other.body_text()),
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    page: PageContext,
    title: &'static str,
    message: String,
    reference: Option<String>,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, title, message) = match &self {
            AppError::SignInRequired { next, reason } => {
                let mut location = String::from("/login");
                let mut query = form_urlencoded::Serializer::new(String::new());
                if let Some(next) = next {
                    query.append_pair("next", next);
                }
                if let Some(reason) = reason {
                    query.append_pair("reason", reason);
                }
                let query = query.finish();
                if !query.is_empty() {
                    location = format!("{location}?{query}");
                }
                return Redirect::to(&location).into_response();
            }
            AppError::NotFound => (
                StatusCode::NOT_FOUND,
                "Page not found",
                "We couldn't find that page. If you followed a link, it may be out of date.".to_owned(),
            ),
            AppError::Csrf => (
                StatusCode::FORBIDDEN,
                "Your form expired",
                "Your form expired or came from another site. Please go back, reload the page and try again."
                    .to_owned(),
            ),
            AppError::BadRequest(_) => (
                StatusCode::BAD_REQUEST,
                "Something in that request wasn't right",
                "Please go back and try again.".to_owned(),
            ),
            AppError::Conflict(msg) => (StatusCode::CONFLICT, "That can't be done now", msg.clone()),
            AppError::UnsupportedForm => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Unsupported form",
                "That form could not be read. Please use the page's own form.".to_owned(),
            ),
            AppError::PayloadTooLarge => {
                (StatusCode::PAYLOAD_TOO_LARGE, "Too much data", "That was more than this form accepts.".to_owned())
            }
            AppError::Busy | AppError::Unavailable => (
                StatusCode::SERVICE_UNAVAILABLE,
                "Temporarily unavailable",
                "We are very busy for a moment. Nothing was changed. Please try again in a minute.".to_owned(),
            ),
            AppError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong on our side",
                "Nothing was changed. Please try again; if it keeps happening, call us and quote the reference below."
                    .to_owned(),
            ),
        };
        let reference =
            matches!(self, AppError::Internal(_)).then(|| uuid::Uuid::new_v4().simple().to_string()[..12].to_owned());
        match &self {
            AppError::Internal(e) => tracing::error!(error = ?e, reference = reference.as_deref(), "internal error"),
            AppError::Unavailable => tracing::warn!("database unavailable"),
            AppError::BadRequest(detail) => tracing::info!(detail, "bad request"),
            _ => {}
        }
        let page = ErrorPage { page: PageContext::bare(), title, message, reference };
        let mut response = match html(&page) {
            Ok(body) => (status, body).into_response(),
            Err(_) => (status, title).into_response(),
        };
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("30"));
        }
        response
    }
}

/// Maps a named database constraint (or a trigger that raised with that
/// constraint name) to a sentence for the person on the page.
pub trait ResultExt<T> {
    fn on_constraint(self, name: &str, map: impl FnOnce() -> AppError) -> Result<T, AppError>;
}

impl<T> ResultExt<T> for Result<T, sqlx::Error> {
    fn on_constraint(self, name: &str, map: impl FnOnce() -> AppError) -> Result<T, AppError> {
        self.map_err(|e| {
            let hit = e.as_database_error().and_then(|d| d.constraint()) == Some(name);
            if hit { map() } else { e.into() }
        })
    }
}

/// The name of the constraint (or trigger-raised constraint) a database error names.
pub fn constraint_of(e: &sqlx::Error) -> Option<&str> {
    e.as_database_error().and_then(|d| d.constraint())
}

/// Maps any of several named constraints to a conflict with its sentence.
pub fn conflicts(e: sqlx::Error, sentences: &[(&str, &str)]) -> AppError {
    match constraint_of(&e).and_then(|c| sentences.iter().find(|(name, _)| *name == c)) {
        Some((_, sentence)) => AppError::Conflict((*sentence).to_owned()),
        None => e.into(),
    }
}
