//! The benchmark's yardstick: the least a page of ours can do on this
//! machine, TechEmpower-style. `GET /fortunes` looks up one session row by
//! primary key (as every signed-in page must), reads 12 rows, adds one, sorts
//! them and renders an escaped HTML table with askama; `GET /plaintext`
//! answers "Hello, World!". Same stack as the app (axum, sqlx, askama) and
//! the same pool size, over the same PostgreSQL.
//!
//! `scripts/bench` builds it (`cargo build --release --example reference`)
//! and starts it with `DATABASE_URL` and `PORT`; it creates its own
//! `bench_fortune` table if missing. Nothing else uses it.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;

#[derive(sqlx::FromRow)]
struct Fortune {
    id: i32,
    message: String,
}

#[derive(Template)]
#[template(
    source = "<!doctype html><html><head><title>Fortunes</title></head><body><table><tr><th>id</th><th>message</th></tr>{% for f in fortunes %}<tr><td>{{ f.id }}</td><td>{{ f.message }}</td></tr>{% endfor %}</table></body></html>",
    ext = "html"
)]
struct FortunesPage {
    fortunes: Vec<Fortune>,
}

async fn fortunes(State(db): State<PgPool>) -> Result<Html<String>, Response> {
    let fail = |e: sqlx::Error| (axum::http::StatusCode::SERVICE_UNAVAILABLE, e.to_string()).into_response();
    // The session lookup every signed-in page makes (a key that matches nothing).
    let _: Option<Vec<u8>> = sqlx::query_scalar("select data from tower_sessions.session where id = $1")
        .bind("reference-benchmark-session-id")
        .fetch_optional(&db)
        .await
        .map_err(fail)?;
    let mut fortunes: Vec<Fortune> =
        sqlx::query_as("select id, message from bench_fortune").fetch_all(&db).await.map_err(fail)?;
    fortunes.push(Fortune { id: 0, message: "Additional fortune added at request time.".into() });
    fortunes.sort_by(|a, b| a.message.cmp(&b.message));
    let page = FortunesPage { fortunes }.render().map_err(|e| e.to_string().into_response())?;
    Ok(Html(page))
}

async fn plaintext() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"))], "Hello, World!")
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let url = std::env::var("DATABASE_URL")?;
    let port: u16 = std::env::var("PORT").unwrap_or_else(|_| "8090".into()).parse()?;
    let db = PgPoolOptions::new().max_connections(8).connect(&url).await?;
    sqlx::raw_sql(
        "create table if not exists bench_fortune (id integer primary key, message text not null);
         insert into bench_fortune (id, message) values
           (1, 'fortune: No such file or directory'), (2, 'A computer scientist is someone who fixes things that aren''t broken.'),
           (3, 'After enough decimal places, nobody gives a damn.'), (4, 'A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1'),
           (5, 'A computer program does what you tell it to do, not what you want it to do.'),
           (6, 'Emacs is a nice operating system, but I prefer UNIX. — Tom Christaensen'),
           (7, 'Any program that runs right is obsolete.'), (8, 'A list is only as strong as its weakest link. — Donald Knuth'),
           (9, 'Feature: A bug with seniority.'), (10, 'Computers make very fast, very accurate mistakes.'),
           (11, '<script>alert(\"This should not be displayed in a browser alert box.\");</script>'),
           (12, 'フレームワークのベンチマーク')
         on conflict (id) do nothing",
    )
    .execute(&db)
    .await?;
    let app = Router::new().route("/fortunes", get(fortunes)).route("/plaintext", get(plaintext)).with_state(db);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    axum::serve(listener, app).await?;
    Ok(())
}
