//! One error type for every handler, rendered as a calm page in the site layout.

use crate::state::AppState;
use crate::web::extract::CurrentUser;
use crate::web::page::{PageContext, html};
use askama::Template;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

/// Everything a handler can fail with. "Not yours" is `NotFound`, never a 403.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    /// No (valid) session: go and sign in, then come back to `next`.
    #[error("sign-in required")]
    SignInRequired { next: Option<String>, reason: Option<&'static str> },
    /// A staff member (or a session) without a second factor yet: enrol first.
    #[error("second factor required")]
    SecondFactorRequired,
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

/// The database is down, restarting, unreachable or out of time: nothing
/// about the request was wrong, and trying again later will work.
pub fn is_unavailable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::Protocol(_)
        | sqlx::Error::WorkerCrashed => true,
        // 08: connection exceptions; 57P01-57P05: the server is shutting
        // down, restarting or not yet up; 57014: statement_timeout; 53300: too many connections.
        sqlx::Error::Database(d) => {
            d.code().is_some_and(|c| c.starts_with("08") || c.starts_with("57") || c == "53300")
        }
        _ => false,
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            e if is_unavailable(&e) => AppError::Unavailable,
            // PostgreSQL refuses NUL in text (22021): a field the page didn't
            // check. Still the person's input, not our failure.
            sqlx::Error::Database(d) if d.code().as_deref() == Some("22021") => {
                AppError::BadRequest("text with a character PostgreSQL refuses".into())
            }
            e => AppError::Internal(e.into()),
        }
    }
}

impl From<tower_sessions::session::Error> for AppError {
    fn from(e: tower_sessions::session::Error) -> Self {
        use tower_sessions::session::Error as E;
        use tower_sessions::session_store::Error as StoreError;
        match e {
            // The store is PostgreSQL; its errors reach us only as text.
            E::Store(StoreError::Backend(_)) => AppError::Unavailable,
            e => AppError::Internal(e.into()),
        }
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

/// What an error page says, kept on its response so [`with_navigation`]
/// can show it again inside the signed-in person's own layout.
#[derive(Clone, Debug)]
pub struct ErrorInfo {
    title: &'static str,
    message: String,
    reference: Option<String>,
}

impl AppError {
    /// An internal error whose cause is the database being unreachable is an outage, not a bug.
    fn outage_or_self(self) -> Self {
        match self {
            AppError::Internal(e) if e.chain().any(|c| c.downcast_ref::<sqlx::Error>().is_some_and(is_unavailable)) => {
                AppError::Unavailable
            }
            other => other,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let this = self.outage_or_self();
        let (status, title, message) = match &this {
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
            AppError::SecondFactorRequired => {
                return Redirect::to(crate::auth::second_factor::enrol::PATH).into_response();
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
            matches!(this, AppError::Internal(_)).then(|| uuid::Uuid::new_v4().simple().to_string()[..12].to_owned());
        match &this {
            AppError::Internal(e) => tracing::error!(error = ?e, reference = reference.as_deref(), "internal error"),
            AppError::Unavailable => tracing::warn!("database unavailable"),
            AppError::BadRequest(detail) => tracing::info!(detail, "bad request"),
            _ => {}
        }
        let info = ErrorInfo { title, message, reference };
        let page = ErrorPage {
            page: PageContext::bare(),
            title,
            message: info.message.clone(),
            reference: info.reference.clone(),
        };
        let mut response = match html(&page) {
            Ok(body) => (status, body).into_response(),
            Err(_) => (status, title).into_response(),
        };
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("30"));
        }
        response.extensions_mut().insert(info);
        response
    }
}

/// Middleware (after `authenticate`): an error page shown to someone signed
/// in keeps their navigation and "Sign out", not the signed-out site's.
pub async fn with_navigation(
    State(state): State<AppState>,
    session: Session,
    request: Request,
    next: Next,
) -> Response {
    let user = request.extensions().get::<CurrentUser>().cloned();
    let path = request.uri().path().to_owned();
    let lang = request.extensions().get::<crate::i18n::Lang>().copied().unwrap_or_default();
    let mut response = next.run(request).await;
    let (Some(user), Some(info)) = (user, response.extensions().get::<ErrorInfo>().cloned()) else {
        return response;
    };
    // The session is loaded already (authenticate read it): no extra query.
    let token = crate::web::csrf::session_token(&session).await.ok().flatten().unwrap_or_default();
    let page = PageContext::new(Some(&user), token, None, state.config.payments_test_mode(), &path, lang);
    let page = ErrorPage { page, title: info.title, message: info.message, reference: info.reference };
    if let Ok(body) = html(&page) {
        response.headers_mut().remove(header::CONTENT_LENGTH);
        *response.body_mut() = axum::body::Body::from(body.0);
    }
    response
}

/// Middleware (outside the session layer): tower-sessions answers a bare,
/// empty 500 when it can't save a session — which, the store being
/// PostgreSQL, means the database is unreachable. Say so calmly instead.
pub async fn calm_bare_failures(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if response.status() == StatusCode::INTERNAL_SERVER_ERROR && response.extensions().get::<ErrorInfo>().is_none() {
        tracing::warn!("the session could not be saved");
        return AppError::Unavailable.into_response();
    }
    response
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
