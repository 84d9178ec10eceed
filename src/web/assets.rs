//! Static files, built into the binary so it runs from any directory, served
//! under content-hashed names with a year-long immutable cache.

use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static str,
    hashed_name: String,
}

static ASSETS: LazyLock<Vec<Asset>> = LazyLock::new(|| {
    let files: [(&str, &str, &str); 10] = [
        ("app.css", "text/css; charset=utf-8", include_str!("../../static/css/app.css")),
        ("print.css", "text/css; charset=utf-8", include_str!("../../static/css/print.css")),
        ("pay.js", "text/javascript; charset=utf-8", include_str!("../../static/js/pay.js")),
        ("print.js", "text/javascript; charset=utf-8", include_str!("../../static/js/print.js")),
        ("focus.js", "text/javascript; charset=utf-8", include_str!("../../static/js/focus.js")),
        ("upload.js", "text/javascript; charset=utf-8", include_str!("../../static/js/upload.js")),
        ("viewer.js", "text/javascript; charset=utf-8", include_str!("../../static/js/viewer.js")),
        // pdf.js (Mozilla, Apache-2.0), vendored: the records viewer shows PDFs in the page, no CDN.
        ("pdf.min.mjs", "text/javascript; charset=utf-8", include_str!("../../static/vendor/pdfjs/pdf.min.mjs")),
        (
            "pdf.worker.min.mjs",
            "text/javascript; charset=utf-8",
            include_str!("../../static/vendor/pdfjs/pdf.worker.min.mjs"),
        ),
        ("unsaved.js", "text/javascript; charset=utf-8", include_str!("../../static/js/unsaved.js")),
    ];
    files
        .into_iter()
        .map(|(name, content_type, body)| {
            let digest = hex::encode(&Sha256::digest(body.as_bytes())[..6]);
            let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
            Asset { name, content_type, body, hashed_name: format!("{stem}.{digest}.{ext}") }
        })
        .collect()
});

/// The versioned URL of a static file, e.g. `/static/app.3f2a…css`.
pub fn url(name: &str) -> &'static str {
    static URLS: LazyLock<Vec<(&'static str, String)>> =
        LazyLock::new(|| ASSETS.iter().map(|a| (a.name, format!("/static/{}", a.hashed_name))).collect());
    URLS.iter().find(|(n, _)| *n == name).map_or("/static/missing", |(_, u)| u.as_str())
}

pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new().route("/static/{file}", get(serve)).route("/print/case-footer.css", get(case_footer))
}

/// The print stylesheet that puts a case number at the foot of every page
/// (Chromium prints `@page` margin boxes but not `string-set`, so the
/// number comes in its own small stylesheet; inline styles are refused by
/// our content security policy).
pub fn case_footer_url(case_number: &str) -> String {
    format!("/print/case-footer.css?case={case_number}")
}

#[derive(serde::Deserialize)]
struct FooterQuery {
    #[serde(default)]
    case: String,
}

/// Only a case number's shape (`SO-2026-000123`) is written into the CSS.
fn is_case_number(s: &str) -> bool {
    let mut parts = s.split('-');
    parts.next() == Some("SO")
        && parts.next().is_some_and(|y| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
        && parts.next().is_some_and(|n| (6..=12).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit()))
        && parts.next().is_none()
}

async fn case_footer(axum::extract::Query(q): axum::extract::Query<FooterQuery>) -> Response {
    if !is_case_number(&q.case) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let css = format!("@page {{ @bottom-left {{ content: \"Case {}\"; font-size: 9pt; }} }}\n", q.case);
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "private, max-age=86400")], css)
        .into_response()
}

async fn serve(Path(file): Path<String>) -> Response {
    match ASSETS.iter().find(|a| a.hashed_name == file) {
        Some(asset) => (
            [
                (header::CONTENT_TYPE, asset.content_type),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            asset.body,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_case_numbers_reach_the_footer() {
        assert!(super::is_case_number("SO-2026-000123"));
        assert!(super::is_case_number("SO-2026-1000000"));
        for bad in ["", "SO-2026-12", "SO-26-000123", "SO-2026-000123\"; } body { x", "so-2026-000123"] {
            assert!(!super::is_case_number(bad), "{bad}");
        }
    }
}
