//! One error type for every handler, rendered as a calm page in the site layout.

use crate::i18n::{Lang, Msg, Say};
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
    Conflict(Refusal),
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

/// Why an action was refused, for the person on the page: one of our
/// messages (a core rule's refusal, said in the reader's language when the
/// page is rendered) or a staff page's English, already in words.
#[derive(Clone, Debug)]
pub enum Refusal {
    Said(Msg),
    Words(String),
}

impl From<Msg> for Refusal {
    fn from(msg: Msg) -> Self {
        Refusal::Said(msg)
    }
}
impl From<String> for Refusal {
    fn from(words: String) -> Self {
        Refusal::Words(words)
    }
}
impl From<&str> for Refusal {
    fn from(words: &str) -> Self {
        Refusal::Words(words.to_owned())
    }
}

impl Say for Refusal {
    fn say(&self, lang: Lang) -> String {
        match self {
            Refusal::Said(msg) => msg.in_lang(lang),
            Refusal::Words(words) => words.clone(),
        }
    }
}

/// English: logs, and the staff pages that print a refusal.
impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.say(Lang::En))
    }
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
    title: String,
    message: String,
    reference: Option<String>,
}

impl ErrorPage {
    /// The error's words in the page's language (a refusal's own sentence as it came).
    fn new(page: PageContext, info: &ErrorInfo) -> Self {
        let lang = page.lang;
        let message = match (info.message_id, &info.message) {
            (Some(id), _) => lang.t(id),
            (None, Some(refusal)) => refusal.say(lang),
            (None, None) => String::new(),
        };
        Self { title: lang.t(info.title), message, reference: info.reference.clone(), page }
    }
}

/// What an error page says, kept on its response so [`with_navigation`]
/// can show it again inside the signed-in person's own layout.
#[derive(Clone, Debug)]
pub struct ErrorInfo {
    /// Message ids, put into words when the page is rendered.
    title: &'static str,
    message_id: Option<&'static str>,
    /// A conflict's refusal, said in the page's language.
    message: Option<Refusal>,
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
        let (status, title, message_id) = match &this {
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
            AppError::NotFound => (StatusCode::NOT_FOUND, "error-not-found-title", Some("error-not-found")),
            AppError::Csrf => (StatusCode::FORBIDDEN, "error-csrf-title", Some("error-csrf")),
            AppError::BadRequest(_) => (StatusCode::BAD_REQUEST, "error-bad-request-title", Some("error-bad-request")),
            AppError::Conflict(_) => (StatusCode::CONFLICT, "error-conflict-title", None),
            AppError::UnsupportedForm => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "error-unsupported-title", Some("error-unsupported"))
            }
            AppError::PayloadTooLarge => {
                (StatusCode::PAYLOAD_TOO_LARGE, "error-too-large-title", Some("error-too-large"))
            }
            AppError::Busy | AppError::Unavailable => {
                (StatusCode::SERVICE_UNAVAILABLE, "error-unavailable-title", Some("error-unavailable"))
            }
            AppError::Internal(_) => {
                (StatusCode::INTERNAL_SERVER_ERROR, "error-internal-title", Some("error-internal"))
            }
        };
        let reference =
            matches!(this, AppError::Internal(_)).then(|| uuid::Uuid::new_v4().simple().to_string()[..12].to_owned());
        match &this {
            AppError::Internal(e) => tracing::error!(error = ?e, reference = reference.as_deref(), "internal error"),
            AppError::Unavailable => tracing::warn!("database unavailable"),
            AppError::BadRequest(detail) => tracing::info!(detail, "bad request"),
            _ => {}
        }
        let message = match &this {
            AppError::Conflict(refusal) => Some(refusal.clone()),
            _ => None,
        };
        let info = ErrorInfo { title, message_id, message, reference };
        let page = ErrorPage::new(PageContext::bare(), &info);
        let mut response = match html(&page) {
            Ok(body) => (status, body).into_response(),
            Err(_) => (status, page.title).into_response(),
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
    let lang = request.extensions().get::<Lang>().copied().unwrap_or_default();
    let mut response = next.run(request).await;
    // Signed in: their own layout; a visitor reading Spanish: the page in Spanish.
    let Some(info) = response.extensions().get::<ErrorInfo>().cloned() else {
        return response;
    };
    if user.is_none() && lang == Lang::En {
        return response;
    }
    // The session is loaded already (authenticate read it): no extra query.
    let token = crate::web::csrf::session_token(&session).await.ok().flatten().unwrap_or_default();
    let page = PageContext::new(user.as_ref(), token, None, state.config.payments_test_mode(), &path, lang);
    let page = ErrorPage::new(page, &info);
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
pub fn conflicts<S: Into<Refusal> + Copy>(e: sqlx::Error, sentences: &[(&str, S)]) -> AppError {
    match constraint_of(&e).and_then(|c| sentences.iter().find(|(name, _)| *name == c)) {
        Some((_, sentence)) => AppError::Conflict((*sentence).into()),
        None => e.into(),
    }
}
