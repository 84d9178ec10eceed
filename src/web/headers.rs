//! Security headers on every response (SECURITY.md, "Headers").

use crate::config::Config;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// `default-src 'self'` plus, when Stripe is configured, Stripe.js's origin
/// (its script, the API it calls and the card field's frame). No inline script.
pub fn content_security_policy(config: &Config) -> anyhow::Result<HeaderValue> {
    let stripe = config.stripe.as_ref().map(|s| origin(&s.js_url)).unwrap_or_default();
    let api = config
        .stripe
        .as_ref()
        .map(|s| s.api_base.as_deref().map_or_else(|| "https://api.stripe.com".to_owned(), origin))
        .unwrap_or_default();
    let csp = format!(
        "default-src 'self'; script-src 'self' {stripe}; connect-src 'self' {stripe} {api}; frame-src {frame}; \
         style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
        frame = if stripe.is_empty() { "'none'".to_owned() } else { stripe.clone() },
    );
    Ok(HeaderValue::from_str(&csp.split_whitespace().collect::<Vec<_>>().join(" "))?)
}

/// `https://js.stripe.com/v3/` → `https://js.stripe.com`.
fn origin(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split('/').next().unwrap_or(rest);
    let scheme = url.split_once("://").map_or("https", |(s, _)| s);
    format!("{scheme}://{host}")
}

pub async fn security_headers(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, name, value: &'static str| {
        h.entry(name).or_insert(HeaderValue::from_static(value));
    };
    h.entry(header::CONTENT_SECURITY_POLICY).or_insert(state.csp.clone());
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::REFERRER_POLICY, "no-referrer");
    set(h, header::X_FRAME_OPTIONS, "DENY");
    set(h, header::HeaderName::from_static("cross-origin-opener-policy"), "same-origin");
    set(
        h,
        header::HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=(), payment=(self)",
    );
    // Pages are personal: nothing is stored by browsers or proxies unless a
    // route (static files) said otherwise.
    set(h, header::CACHE_CONTROL, "no-store");
    if state.config.https() {
        set(h, header::STRICT_TRANSPORT_SECURITY, "max-age=31536000; includeSubDomains");
    }
    response
}
