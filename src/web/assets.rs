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
    let files: [(&str, &str, &str); 9] = [
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
    Router::new().route("/static/{file}", get(serve))
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
