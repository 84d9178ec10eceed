//! `TestApp`: the app on 127.0.0.1:0 with a hand-held clock, a cookie-aware
//! client that does not follow redirects, and helpers with domain names.

use reqwest::StatusCode;
use reqwest::header::LOCATION;
use second_opinion::clock::ManualClock;
use second_opinion::config::{AppEnv, Config, DocumentStore, Secret, StripeConfig};
use second_opinion::domain::{Role, UserId};
use second_opinion::notify::mailer::Mailer;
use second_opinion::startup::App;
use sqlx::PgPool;
use std::path::PathBuf;
use std::sync::{Arc, LazyLock};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

pub const PASSWORD: &str = "correct horse battery staple";
pub const STRIPE_SECRET: &str = "sk_test_api_tests";
pub const STRIPE_PUBLISHABLE: &str = "pk_test_api_tests";
pub const WEBHOOK_SECRET: &str = "whsec_api_tests";

/// localstripe, started by scripts/test.
pub fn stripe_base() -> String {
    std::env::var("TEST_STRIPE_BASE").expect("TEST_STRIPE_BASE: run the tests through scripts/test")
}

/// One argon2 hash for every test user: hashing is the slow part of a test.
static PASSWORD_HASH: LazyLock<String> = LazyLock::new(|| {
    use argon2::password_hash::PasswordHasher;
    argon2::Argon2::default().hash_password(PASSWORD.as_bytes()).unwrap().to_string()
});

pub struct TestApp {
    pub base: String,
    pub db: PgPool,
    pub clock: ManualClock,
    pub client: reqwest::Client,
    pub documents_dir: PathBuf,
    jar: Arc<reqwest::cookie::Jar>,
    mailer: Mailer,
    mail_from: String,
    shutdown: CancellationToken,
}

/// A signed-up person, for signing in.
#[derive(Clone, Debug)]
pub struct TestUser {
    pub id: UserId,
    pub email: String,
    pub name: String,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

/// The SMTP sink `scripts/test` started, unless a test brings its own.
pub fn smtp_url() -> String {
    std::env::var("TEST_SMTP_URL").expect("TEST_SMTP_URL: run the tests through scripts/test")
}

impl TestApp {
    pub async fn spawn(db: PgPool) -> TestApp {
        Self::spawn_with_smtp(db, &smtp_url()).await
    }

    /// The app with Stripe pointed at localstripe (started by scripts/test).
    pub async fn spawn_with_stripe(db: PgPool) -> TestApp {
        Self::build(db, &smtp_url(), true).await
    }

    pub async fn spawn_with_smtp(db: PgPool, smtp: &str) -> TestApp {
        Self::build(db, smtp, false).await
    }

    async fn build(db: PgPool, smtp: &str, with_stripe: bool) -> TestApp {
        let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        // Each app stores documents apart, so tests can count what was left behind.
        let documents_dir = std::env::temp_dir().join(format!("so-test-documents-{}", uuid::Uuid::new_v4().simple()));
        let addr = listener.local_addr().unwrap();
        let base = format!("http://{addr}");
        let config = Config {
            env: AppEnv::Test,
            bind: addr.ip(),
            port: addr.port(),
            base_url: base.clone(),
            database_url: None,
            database_pool_size: 8,
            var_dir: std::env::temp_dir().join("second-opinion-tests"),
            smtp_url: Some(Secret::new(smtp)),
            mail_from: "Second Opinion <no-reply@second-opinion.test>".into(),
            stripe: with_stripe.then(|| StripeConfig {
                secret_key: Secret::new(STRIPE_SECRET),
                publishable_key: STRIPE_PUBLISHABLE.into(),
                webhook_secret: Secret::new(WEBHOOK_SECRET),
                api_base: Some(stripe_base()),
                js_url: format!("{}/js.stripe.com/v3/", stripe_base()),
            }),
            case_fee_cents: 90_000,
            documents: DocumentStore::Local(documents_dir.clone()),
            hash_permits: 2,
        };
        let clock = ManualClock::new();
        let app = App::with_listener(config, listener, db.clone(), Arc::new(clock.clone())).unwrap();
        let mailer = app.mailer().clone();
        let shutdown = CancellationToken::new();
        // The worker is not started: tests deliver mail when they choose to.
        tokio::spawn(app.run(shutdown.clone(), false));
        let jar = Arc::new(reqwest::cookie::Jar::default());
        let client = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap();
        TestApp {
            base,
            db,
            clock,
            client,
            documents_dir,
            jar,
            mailer,
            mail_from: "no-reply@second-opinion.test".into(),
            shutdown,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    /// GET, asserting 200, returning the body.
    pub async fn page(&self, path: &str) -> String {
        let res = self.get(path).await;
        assert_eq!(res.status(), StatusCode::OK, "GET {path}");
        res.text().await.unwrap()
    }

    /// The session's CSRF token, read from a page that has a form.
    pub async fn csrf_token(&self) -> String {
        let mut res = self.get("/login").await;
        if res.status() == StatusCode::SEE_OTHER {
            let to = location(&res);
            res = self.get(&to).await;
        }
        let body = res.text().await.unwrap();
        hidden_value(&body, "csrf_token").expect("a page with a form carries a csrf_token")
    }

    /// POSTs a form with this session's CSRF token added.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let token = self.csrf_token().await;
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf_token", &token));
        self.post_raw(path, &all).await
    }

    /// POSTs exactly these fields (no token added).
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.client.post(self.url(path)).form(fields).send().await.unwrap()
    }

    /// Creates an account directly (verified), as `create-user` would.
    pub async fn create_user(&self, role: Role) -> TestUser {
        let n = uuid::Uuid::new_v4().simple().to_string();
        let email = format!("{}-{}@example.test", role.as_str(), &n[..12]);
        let name = format!("Test {} {}", role.label(), &n[..6]);
        let id = sqlx::query_scalar!(
            r#"insert into users (email, full_name, role, password_hash, email_verified_at)
               values ($1, $2, $3, $4, now()) returning id as "id: UserId""#,
            email,
            name,
            role as Role,
            PASSWORD_HASH.as_str()
        )
        .fetch_one(&self.db)
        .await
        .unwrap();
        if role == Role::Specialist {
            sqlx::query!(
                "insert into specialists (user_id, specialty) values ($1, 'Pediatric cardiology')",
                id as UserId
            )
            .execute(&self.db)
            .await
            .unwrap();
        }
        TestUser { id, email, name }
    }

    pub async fn log_in(&self, email: &str, password: &str) -> reqwest::Response {
        self.post_form("/login", &[("email", email), ("password", password)]).await
    }

    /// A new user of `role`, signed in on this app's client.
    pub async fn login_as(&self, role: Role) -> TestUser {
        let user = self.create_user(role).await;
        let res = self.log_in(&user.email, PASSWORD).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "sign-in as {role:?}");
        assert_eq!(location(&res), role.home());
        user
    }

    /// The value of the session cookie, if any.
    pub fn session_cookie(&self) -> Option<String> {
        use reqwest::cookie::CookieStore;
        let header = self.jar.cookies(&self.base.parse().unwrap())?;
        header.to_str().ok()?.split("; ").find_map(|c| c.strip_prefix("so_session=")).map(str::to_owned)
    }

    /// Puts a cookie value back, as an attacker replaying a stolen cookie would.
    pub fn set_session_cookie(&self, value: &str) {
        self.jar.add_cookie_str(&format!("so_session={value}; Path=/"), &self.base.parse().unwrap());
    }

    /// Delivers every due email through the real mailer, as the worker would.
    pub async fn deliver_mail(&self) -> usize {
        let mut n = 0;
        while second_opinion::notify::worker::deliver_one(&self.db, &self.mailer, &self.mail_from, &self.clock)
            .await
            .unwrap()
        {
            n += 1;
        }
        n
    }

    pub async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar::<_, i64>(sql).fetch_one(&self.db).await.unwrap()
    }

    pub async fn audit_count(&self, action: &str, outcome: &str) -> i64 {
        sqlx::query_scalar!(
            r#"select count(*) as "n!" from audit_log where action = $1 and outcome = $2"#,
            action,
            outcome
        )
        .fetch_one(&self.db)
        .await
        .unwrap()
    }
}

pub fn location(res: &reqwest::Response) -> String {
    res.headers().get(LOCATION).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default()
}

/// The `value` of the first hidden input named `name`.
pub fn hidden_value(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_owned())
}

/// Mail the SMTP sink received for `to`, as (headers, decoded text) pairs, oldest first.
pub fn mail_for(to: &str) -> Vec<(String, String)> {
    mail_in(&maildir(), to)
}

pub fn maildir() -> PathBuf {
    PathBuf::from(std::env::var("TEST_MAILDIR").expect("TEST_MAILDIR: run the tests through scripts/test"))
}

pub fn mail_in(dir: &std::path::Path, to: &str) -> Vec<(String, String)> {
    let mut found: Vec<(std::time::SystemTime, String, String)> = Vec::new();
    for sub in ["new", "cur"] {
        let Ok(entries) = std::fs::read_dir(dir.join(sub)) else { continue };
        for entry in entries.flatten() {
            let raw = std::fs::read_to_string(entry.path()).unwrap_or_default();
            let raw = raw.replace("\r\n", "\n");
            let Some((headers, body)) = raw.split_once("\n\n") else { continue };
            if !headers.lines().any(|l| l.to_ascii_lowercase().starts_with("to:") && l.contains(to)) {
                continue;
            }
            let modified = entry.metadata().and_then(|m| m.modified()).unwrap_or(std::time::UNIX_EPOCH);
            found.push((modified, headers.to_owned(), decode_quoted_printable(body)));
        }
    }
    found.sort_by_key(|(t, _, _)| *t);
    found.into_iter().map(|(_, h, b)| (h, b)).collect()
}

/// Enough of RFC 2045 quoted-printable to read our own links back.
fn decode_quoted_printable(body: &str) -> String {
    let joined = body.replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'=', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (other, _) => {
                out.push(other);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The first link in `text` that starts with `prefix`.
pub fn link_in(text: &str, prefix: &str) -> Option<String> {
    let start = text.find(prefix)?;
    let rest = &text[start..];
    let end = rest.find(|c: char| c.is_whitespace() || c == '"' || c == '<').unwrap_or(rest.len());
    Some(rest[..end].trim_end_matches('.').to_owned())
}

/// Waits (briefly) until the sink has written `n` messages for `to`.
pub async fn wait_for_mail(to: &str, n: usize) -> Vec<(String, String)> {
    for _ in 0..100 {
        let mail = mail_for(to);
        if mail.len() >= n {
            return mail;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("expected {n} email(s) to {to} in the SMTP sink")
}

/// A response body with askama's HTML escapes undone, for matching sentences.
pub async fn text(res: reqwest::Response) -> String {
    res.text()
        .await
        .unwrap()
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&lt;", "<")
        .replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&#38;", "&")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

impl TestApp {
    /// Files the document store holds right now.
    pub fn stored_files(&self) -> usize {
        fn walk(dir: &std::path::Path) -> usize {
            std::fs::read_dir(dir).map_or(0, |entries| {
                entries.flatten().map(|e| if e.path().is_dir() { walk(&e.path()) } else { 1 }).sum()
            })
        }
        walk(&self.documents_dir)
    }
}
