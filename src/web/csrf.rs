//! Synchronizer-token CSRF defence: a random token lives in the session,
//! every form carries it in a hidden `csrf_token` field, and any unsafe
//! request without the matching token is refused with 403 before a handler runs.
//! (Cross-site `Origin`/`Sec-Fetch-Site` is refused earlier by tower-http's layer.)

use crate::error::AppError;
use crate::web::FORM_BODY_LIMIT;
use axum::body::Body;
use axum::extract::Request;
use axum::http::header;
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

/// The session's token, created on first use.
pub async fn token(session: &Session) -> Result<String, AppError> {
    if let Some(token) = session.get::<String>(CSRF_KEY).await? {
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

pub async fn verify(session: Session, request: Request, next: Next) -> Result<Response, AppError> {
    if request.method().is_safe() {
        return Ok(next.run(request).await);
    }
    // Uploads are multipart and checked by their handler, which reads the
    // token as the first field before touching the file (see `multipart_token`).
    let path = request.uri().path();
    let is_upload = MULTIPART_ROUTES.iter().any(|end| path.ends_with(end))
        && request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.starts_with("multipart/form-data"));
    if is_upload {
        return Ok(next.run(request).await);
    }
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        tracing::warn!("unsafe request that is not a form refused");
        return Err(AppError::Csrf);
    }
    // Forms are small (the body limit is checked here too), so reading the
    // body to find the token and handing the same bytes on is cheap.
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, FORM_BODY_LIMIT).await.map_err(|_| AppError::PayloadTooLarge)?;
    let sent = form_urlencoded::parse(&bytes).find(|(k, _)| k == "csrf_token").map(|(_, v)| v.into_owned());
    let expected = session.get::<String>(CSRF_KEY).await?;
    let valid = match (&sent, &expected) {
        (Some(sent), Some(expected)) => bool::from(sent.as_bytes().ct_eq(expected.as_bytes())),
        _ => false,
    };
    if !valid {
        tracing::warn!(had_token = sent.is_some(), had_session_token = expected.is_some(), "CSRF token refused");
        return Err(AppError::Csrf);
    }
    Ok(next.run(Request::from_parts(parts, Body::from(bytes))).await)
}
