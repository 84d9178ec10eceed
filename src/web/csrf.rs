//! Synchronizer-token CSRF defence: every form carries a hidden `csrf_token`,
//! and any unsafe request without the matching token is refused with 403
//! before a handler runs. (Cross-site `Origin`/`Sec-Fetch-Site` is refused
//! earlier by tower-http's layer.)
//!
//! Where the token lives:
//! - with a session (everyone signed in): in the session, rotated at sign-in;
//! - without one (the sign-in, sign-up and reset forms): an HMAC of a random
//!   nonce kept in an HttpOnly cookie. A visitor who only reads pages thus
//!   costs no session row, and a form's token is still bound to its browser:
//!   another site can neither read the cookie nor compute the HMAC.

use crate::error::AppError;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{FromRequestParts, MatchedPath, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use subtle::ConstantTimeEq;
use tower_sessions::Session;

const CSRF_KEY: &str = "csrf";

/// The ends of the paths whose forms are multipart: records uploads, and a
/// family's message with a file. Their handlers check the token themselves.
const MULTIPART_ROUTES: [&str; 2] = ["/documents", "/messages"];

/// For multipart forms: the first field must be the session's token,
/// checked before a byte of any file is read.
pub async fn multipart_token(session: &Session, multipart: &mut axum::extract::Multipart) -> Result<(), AppError> {
    let expected = token(session).await?;
    let field = multipart.next_field().await.map_err(|_| AppError::Csrf)?.ok_or(AppError::Csrf)?;
    if field.name() != Some("csrf_token") {
        return Err(AppError::Csrf);
    }
    let sent = field.text().await.map_err(|_| AppError::Csrf)?;
    if bool::from(sent.as_bytes().ct_eq(expected.as_bytes())) { Ok(()) } else { Err(AppError::Csrf) }
}

/// The token of a session that `authenticate` just ended: the form that
/// arrived with it is checked against it, not refused for it.
#[derive(Clone, Debug)]
pub struct SessionCsrf(pub String);

/// The token this request's forms carry (and its unsafe request was checked against).
#[derive(Clone, Debug)]
pub struct CsrfToken(pub String);

impl<S: Send + Sync> FromRequestParts<S> for CsrfToken {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        parts
            .extensions
            .get::<CsrfToken>()
            .cloned()
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("CsrfToken used on a route outside the CSRF middleware")))
    }
}

/// The session's token, if the session has one.
pub async fn session_token(session: &Session) -> Result<Option<String>, AppError> {
    Ok(session.get::<String>(CSRF_KEY).await?)
}

/// The session's token, created on first use (uploads, which check it themselves).
pub async fn token(session: &Session) -> Result<String, AppError> {
    if let Some(token) = session_token(session).await? {
        return Ok(token);
    }
    let token = hex::encode(rand::random::<[u8; 32]>());
    session.insert(CSRF_KEY, &token).await?;
    Ok(token)
}

/// A new token, after sign-in, so one seen before sign-in is worth nothing after.
pub async fn rotate(session: &Session) -> Result<(), AppError> {
    session.remove::<String>(CSRF_KEY).await?;
    token(session).await.map(drop)
}

fn cookie_name(state: &AppState) -> &'static str {
    if state.config.https() { "__Host-so_csrf" } else { "so_csrf" }
}

/// The nonce in this browser's CSRF cookie, if it sent a well-formed one.
fn cookie_nonce(headers: &HeaderMap, name: &str) -> Option<String> {
    crate::web::extract::cookie(headers, name).filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The form token for a cookie nonce: HMAC-SHA256 under the app's CSRF key.
fn signed(state: &AppState, nonce: &str) -> String {
    state.config.secret_key.sign("csrf-cookie", nonce.as_bytes())
}

/// Middleware (after `authenticate`): works out this request's token, sets
/// the cookie for a visitor who has none yet, and refuses an unsafe request
/// whose form does not carry the token.
pub async fn verify(
    State(state): State<AppState>,
    session: Session,
    mut request: Request,
    next: Next,
) -> Result<Response, AppError> {
    // A form that arrived with a session that has just ended is checked
    // against that session's token; the pages it leads to are a visitor's.
    let ended = request.extensions().get::<SessionCsrf>().map(|t| t.0.clone());
    let live = if ended.is_some() { None } else { session_token(&session).await? };
    let name = cookie_name(&state);
    let (token, new_nonce) = match (live, cookie_nonce(request.headers(), name)) {
        (Some(token), _) => (token, None),
        (None, Some(nonce)) => (signed(&state, &nonce), None),
        (None, None) => {
            let nonce = hex::encode(rand::random::<[u8; 32]>());
            (signed(&state, &nonce), Some(nonce))
        }
    };
    if !request.method().is_safe() {
        request = check(request, ended.as_deref().unwrap_or(&token)).await?;
    }
    request.extensions_mut().insert(CsrfToken(token));
    let mut response = next.run(request).await;
    if let Some(nonce) = new_nonce {
        let secure = if state.config.https() { "; Secure" } else { "" };
        let cookie = format!("{name}={nonce}; Path=/; HttpOnly; SameSite=Lax{secure}");
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    Ok(response)
}

/// An unsafe request passes with the `expected` token in its form, read
/// within its route's body limit; the same bytes go on to the handler.
async fn check(request: Request, expected: &str) -> Result<Request, AppError> {
    let content_type = request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    // Uploads are multipart and checked by their handler, which reads the
    // token as the first field before touching the file (see `multipart_token`).
    let path = request.uri().path();
    if MULTIPART_ROUTES.iter().any(|end| path.ends_with(end)) && content_type.starts_with("multipart/form-data") {
        return Ok(request);
    }
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        tracing::warn!("unsafe request that is not a form refused");
        return Err(AppError::Csrf);
    }
    let route = request.extensions().get::<MatchedPath>().map(|p| p.as_str().to_owned()).unwrap_or_default();
    let limit = crate::app::form_limit(&route);
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, limit).await.map_err(|_| AppError::PayloadTooLarge)?;
    let sent = form_urlencoded::parse(&bytes).find(|(k, _)| k == "csrf_token").map(|(_, v)| v.into_owned());
    let valid = sent.as_ref().is_some_and(|sent| bool::from(sent.as_bytes().ct_eq(expected.as_bytes())));
    if !valid {
        tracing::warn!(had_token = sent.is_some(), "CSRF token refused");
        return Err(AppError::Csrf);
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}
