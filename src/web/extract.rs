//! Who is asking. Putting `Family` or `Coordinator` in a handler's arguments
//! *is* the access rule: no session → sign in; the wrong role → 404 (audited).

use crate::audit::{self, Entry, Outcome};
use crate::domain::{Role, UserId};
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRef, FromRequestParts};
use axum::http::Method;
use axum::http::request::Parts;
use std::convert::Infallible;
use std::net::SocketAddr;

/// The signed-in person, loaded from the database on every request by
/// `auth::session::authenticate` (so disabling an account takes effect at once).
#[derive(Clone, Debug)]
pub struct CurrentUser {
    pub id: UserId,
    pub role: Role,
    pub full_name: String,
    pub email: String,
    pub email_verified: bool,
}

/// Why the session ended, when it just did (the sign-in page explains it),
/// and whose it was (what they were typing is kept for them alone).
#[derive(Clone, Copy, Debug)]
pub struct SignedOut {
    pub reason: &'static str,
    pub user: UserId,
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        if let Some(user) = parts.extensions.get::<CurrentUser>() {
            return Ok(user.clone());
        }
        // Come back to the same page after signing in, but only for reads.
        let next = (parts.method == Method::GET).then(|| original_uri(parts)).filter(|n| n != "/");
        let reason = parts.extensions.get::<SignedOut>().map(|s| s.reason);
        Err(AppError::SignInRequired { next, reason })
    }
}

/// The path and query as the browser sent them (nested routers see less).
pub fn original_uri(parts: &Parts) -> String {
    let uri = parts.extensions.get::<axum::extract::OriginalUri>().map_or(&parts.uri, |o| &o.0);
    uri.path_and_query().map_or_else(|| uri.path().to_owned(), |pq| pq.as_str().to_owned())
}

/// The signed-in person, if any (public pages).
pub struct MaybeUser(pub Option<CurrentUser>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeUser {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        Ok(Self(parts.extensions.get::<CurrentUser>().cloned()))
    }
}

/// The peer address, for throttling and the audit trail.
#[derive(Clone, Debug)]
pub struct ClientIp(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        Ok(Self(parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string())))
    }
}

/// Checks the role, answering 404 otherwise (audited by [`audit_not_found`]).
async fn require_role(parts: &mut Parts, state: &AppState, allowed: &[Role]) -> Result<CurrentUser, AppError> {
    let user = CurrentUser::from_request_parts(parts, state).await?;
    if allowed.contains(&user.role) { Ok(user) } else { Err(AppError::NotFound) }
}

/// Middleware: every "not found" answered to a signed-in person — the wrong
/// role, another family's case, a made-up id — leaves a `denied` audit row
/// naming the path (ids only, never query strings).
pub async fn audit_not_found(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let user = request.extensions().get::<CurrentUser>().map(|u| (u.id, u.role));
    let ip = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string());
    let path = request.uri().path().chars().take(300).collect::<String>();
    let response = next.run(request).await;
    if let (Some((id, role)), axum::http::StatusCode::NOT_FOUND) = (user, response.status()) {
        let mut entry = Entry::new("access_denied", Outcome::Denied).by(id, role).on("path", &path).from_ip(ip);
        if path.contains("/cases/") {
            entry.case_id = path.split('/').find_map(|seg| seg.parse::<uuid::Uuid>().ok()).map(crate::domain::CaseId);
        }
        if let Err(e) = audit::record(&state.db, entry).await {
            tracing::error!(error = %e, "could not write the audit row for a denied request");
        }
    }
    response
}

/// Declares an extractor that admits only the given roles.
macro_rules! role_extractor {
    ($(#[$meta:meta])* $name:ident, $($role:expr),+) => {
        $(#[$meta])*
        pub struct $name(pub CurrentUser);

        impl<S> FromRequestParts<S> for $name
        where
            AppState: FromRef<S>,
            S: Send + Sync,
        {
            type Rejection = AppError;

            async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
                require_role(parts, &AppState::from_ref(state), &[$($role),+]).await.map(Self)
            }
        }
    };
}

role_extractor!(
    /// A parent or guardian.
    Family, Role::Family
);
role_extractor!(
    /// The partner's care coordinator.
    Coordinator, Role::Coordinator
);
role_extractor!(
    /// The partner's staff doctor.
    Clinician, Role::Clinician
);
role_extractor!(
    /// The hospital's expert.
    Specialist, Role::Specialist
);
role_extractor!(
    /// Operations.
    Admin, Role::Admin
);

/// `axum::extract::Path`, but an id that doesn't parse is simply not found.
#[derive(axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(AppError))]
pub struct Path<T>(pub T);

impl From<axum::extract::rejection::PathRejection> for AppError {
    fn from(_: axum::extract::rejection::PathRejection) -> Self {
        AppError::NotFound
    }
}
