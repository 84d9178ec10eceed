//! Who is asking. Putting `Family` or `Coordinator` in a handler's arguments
//! *is* the access rule: no session → sign in; the wrong role → 404 (audited).

use crate::audit::{self, Entry, Outcome};
use crate::domain::{Role, UserId};
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method};
use ipnet::IpNet;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};

/// The signed-in person, loaded from the database on every request by
/// `auth::session::authenticate` (so disabling an account takes effect at once).
#[derive(Clone, Debug)]
pub struct CurrentUser {
    pub id: UserId,
    pub role: Role,
    pub full_name: String,
    pub email: String,
    pub email_verified: bool,
    /// The language the person chose for the family's side, if they did.
    pub language: Option<crate::i18n::Lang>,
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
            // Staff without a second factor in this session reach nothing but enrolment.
            if parts.extensions.get::<crate::auth::session::NeedsSecondFactor>().is_some() {
                return Err(AppError::SecondFactorRequired);
            }
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

/// The signed-in person, second factor or not: only the enrolment pages
/// (and signing out) take this instead of [`CurrentUser`].
pub struct Enrolling(pub CurrentUser);

impl<S: Send + Sync> FromRequestParts<S> for Enrolling {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        match parts.extensions.get::<CurrentUser>() {
            Some(user) => Ok(Self(user.clone())),
            None => Err(AppError::SignInRequired { next: None, reason: None }),
        }
    }
}

/// The signed-in person, if any (public pages).
pub struct MaybeUser(pub Option<CurrentUser>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeUser {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        Ok(Self(parts.extensions.get::<CurrentUser>().cloned()))
    }
}

/// The client's address, for throttling and the audit trail.
#[derive(Clone, Debug)]
pub struct ClientIp(pub Option<String>);

impl<S> FromRequestParts<S> for ClientIp
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Infallible> {
        let trusted = &AppState::from_ref(state).config.trusted_proxies;
        Ok(Self(client_ip(&parts.extensions, &parts.headers, trusted).map(|ip| ip.to_string())))
    }
}

/// The socket's peer; or, when the peer is one of our `trusted` proxies
/// (the load balancer), the right-most address in `X-Forwarded-For` that is
/// not one of them — what the first proxy we trust saw. Anything to the left
/// of that was written by the client and proves nothing.
pub fn client_ip(extensions: &axum::http::Extensions, headers: &HeaderMap, trusted: &[IpNet]) -> Option<IpAddr> {
    let peer = extensions.get::<ConnectInfo<SocketAddr>>()?.0.ip().to_canonical();
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return Some(peer);
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        // Something unreadable: the proxy that passed it on is the last we can believe.
        let Ok(ip) = hop.parse::<IpAddr>().map(|ip| ip.to_canonical()) else { break };
        client = ip;
        if !is_trusted(&ip) {
            break;
        }
    }
    Some(client)
}

/// The value of cookie `name` in the request, if any.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
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
    let ip = client_ip(request.extensions(), request.headers(), &state.config.trusted_proxies).map(|ip| ip.to_string());
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

/// `axum::extract::Query`, but a query that doesn't parse (a page number
/// that is not a number) is answered by the error page in the person's own
/// layout, not by axum's plain-text sentence.
#[derive(axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(AppError))]
pub struct Query<T>(pub T);

impl From<axum::extract::rejection::QueryRejection> for AppError {
    fn from(e: axum::extract::rejection::QueryRejection) -> Self {
        AppError::BadRequest(e.body_text())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(peer: &str, forwarded: &[&str], trusted: &[&str]) -> Option<String> {
        let mut extensions = axum::http::Extensions::new();
        extensions.insert(ConnectInfo::<SocketAddr>(format!("{peer}:40000").parse().unwrap()));
        let mut headers = HeaderMap::new();
        for f in forwarded {
            headers.append("x-forwarded-for", f.parse().unwrap());
        }
        let trusted: Vec<IpNet> = trusted.iter().map(|t| t.parse().unwrap()).collect();
        client_ip(&extensions, &headers, &trusted).map(|ip| ip.to_string())
    }

    #[test]
    fn forwarded_addresses_count_only_from_a_trusted_proxy() {
        let lb = ["10.0.0.0/8"];
        assert_eq!(from("203.0.113.5", &["198.51.100.1"], &lb).as_deref(), Some("203.0.113.5"), "not our proxy");
        assert_eq!(from("10.0.0.2", &["198.51.100.1"], &lb).as_deref(), Some("198.51.100.1"));
        // The client wrote the left-most entry itself: only what our proxy appended counts.
        assert_eq!(from("10.0.0.2", &["1.2.3.4, 198.51.100.1"], &lb).as_deref(), Some("198.51.100.1"));
        assert_eq!(
            from("10.0.0.2", &["198.51.100.1, 10.0.0.9"], &lb).as_deref(),
            Some("198.51.100.1"),
            "two of our hops"
        );
        assert_eq!(
            from("10.0.0.2", &["198.51.100.1", "10.0.0.9"], &lb).as_deref(),
            Some("198.51.100.1"),
            "two headers"
        );
        assert_eq!(from("10.0.0.2", &["not-an-ip"], &lb).as_deref(), Some("10.0.0.2"), "garbage");
        assert_eq!(from("10.0.0.2", &[], &lb).as_deref(), Some("10.0.0.2"));
        assert_eq!(from("10.0.0.2", &["198.51.100.1"], &[]).as_deref(), Some("10.0.0.2"), "no proxies trusted");
    }
}
