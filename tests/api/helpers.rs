//! `TestApp`: the app on 127.0.0.1:0 with a hand-held clock, a cookie-aware
//! client that does not follow redirects, and helpers with domain names.

use jiff::Timestamp;
use jiff_sqlx::ToSqlx;
use reqwest::StatusCode;
use reqwest::header::LOCATION;
use second_opinion::clock::{Clock, ManualClock};
use second_opinion::config::{AppEnv, Config, DocumentStore, Secret, SecretKey, StripeConfig};
use second_opinion::domain::{CaseId, CaseStatus, ChildId, Role, UserId};
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

/// One app secret for every test app, so two apps on one database (two
/// browsers) can read each other's sealed mail, as processes behind one load balancer do.
pub static SECRET_KEY: LazyLock<SecretKey> = LazyLock::new(SecretKey::random);

/// One argon2 hash for every test user: hashing is the slow part of a test.
pub static PASSWORD_HASH: LazyLock<String> = LazyLock::new(|| {
    use argon2::password_hash::PasswordHasher;
    argon2::Argon2::default().hash_password(PASSWORD.as_bytes()).unwrap().to_string()
});

/// The second-factor secret every staff test user is enrolled with (base32).
pub const TOTP_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

/// The six-digit code `secret` (base32) makes at `at`, as an authenticator app would.
pub fn totp_code(secret: &str, at: Timestamp) -> String {
    let bytes = totp_rs::Secret::try_from_base32(secret).unwrap().as_bytes().to_vec();
    let totp = totp_rs::Builder::new().with_secret(bytes).build().unwrap();
    totp.generate(u64::try_from(at.as_second()).unwrap()).to_string()
}

pub struct TestApp {
    pub base: String,
    pub db: PgPool,
    pub clock: ManualClock,
    pub client: reqwest::Client,
    pub documents_dir: PathBuf,
    jar: Arc<reqwest::cookie::Jar>,
    mailer: Mailer,
    payments: second_opinion::payments::Gateway,
    outbox_key: second_opinion::notify::seal::OutboxKey,
    mail_from: String,
    program: Arc<second_opinion::reference_cache::Cache<second_opinion::program::Overrides>>,
    shutdown: CancellationToken,
}

/// The login every test app serves with: a member of the runtime role
/// (migration 0024), which can add to the audit log but never change it.
pub const RUNTIME_LOGIN: &str = "so_test_runtime";

/// A pool on the test's database as [`RUNTIME_LOGIN`] (made once per
/// server; tests race to make it, and one wins).
pub async fn runtime_pool(db: &PgPool) -> PgPool {
    let made =
        sqlx::query(&format!("create role {RUNTIME_LOGIN} login in role second_opinion_runtime")).execute(db).await;
    if let Err(e) = made {
        if e.as_database_error().is_none() {
            // No server answers (a test of an outage): serve with that same pool.
            return db.clone();
        }
        let code = e.as_database_error().and_then(|d| d.code()).map(|c| c.into_owned());
        // 42710: it exists already; 23505: another test made it at the same moment.
        assert!(matches!(code.as_deref(), Some("42710" | "23505")), "creating {RUNTIME_LOGIN}: {e}");
    }
    let options = db.connect_options().as_ref().clone().username(RUNTIME_LOGIN);
    sqlx::postgres::PgPoolOptions::new()
        .max_connections(8)
        // Closed soon after the test, so its database can be dropped.
        .idle_timeout(Duration::from_secs(1))
        .connect_lazy_with(options)
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
        Self::build(db, &smtp_url(), true, None, None, |_| {}).await
    }

    pub async fn spawn_with_smtp(db: PgPool, smtp: &str) -> TestApp {
        Self::build(db, smtp, false, None, None, |_| {}).await
    }

    /// The app with settings of the test's choosing (trusted proxies, …).
    pub async fn spawn_configured(db: PgPool, configure: impl FnOnce(&mut Config)) -> TestApp {
        Self::build(db, &smtp_url(), false, None, None, configure).await
    }

    /// `documents` and `clock`: another app's, for a second client of the same test.
    async fn build(
        db: PgPool,
        smtp: &str,
        with_stripe: bool,
        documents: Option<PathBuf>,
        clock: Option<ManualClock>,
        configure: impl FnOnce(&mut Config),
    ) -> TestApp {
        let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        // Each test's apps store documents apart from other tests', so a test
        // can count what was left behind; the apps of one test share them.
        let documents_dir = documents.unwrap_or_else(|| {
            std::env::temp_dir().join(format!("so-test-documents-{}", uuid::Uuid::new_v4().simple()))
        });
        let addr = listener.local_addr().unwrap();
        let base = format!("http://{addr}");
        let mut config = Config {
            env: AppEnv::Test,
            bind: addr.ip(),
            port: addr.port(),
            base_url: base.clone(),
            database_url: None,
            database_owner_url: None,
            database_pool_size: 8,
            var_dir: std::env::temp_dir().join("second-opinion-tests"),
            smtp_url: Some(Secret::new(smtp)),
            smtp_cleartext_allowed: true,
            mail_from: "Second Opinion <no-reply@second-opinion.test>".into(),
            stripe: with_stripe.then(|| StripeConfig {
                secret_key: Secret::new(STRIPE_SECRET),
                publishable_key: STRIPE_PUBLISHABLE.into(),
                webhook_secret: Secret::new(WEBHOOK_SECRET),
                api_base: Some(stripe_base()),
                js_url: format!("{}/js.stripe.com/v3/", stripe_base()),
            }),
            case_fee: second_opinion::domain::Cents(90_000),
            provider: second_opinion::config::Provider {
                legal_name: "UCSF Benioff Children's Hospitals".into(),
                address: "1975 4th Street, San Francisco, CA 94158".into(),
                tax_id: Some("94-0000000".into()),
            },
            documents: DocumentStore::Local(documents_dir.clone()),
            program: second_opinion::config::Program::default(),
            hash_permits: 2,
            secret_key: SECRET_KEY.clone(),
            trusted_proxies: Vec::new(),
            metrics_token: None,
            log_json: false,
        };
        configure(&mut config);
        let clock = clock.unwrap_or_default();
        // The app serves as the runtime role, as in production; the test's
        // own pool (`app.db`) stays the owner's, to arrange and inspect.
        let served = runtime_pool(&db).await;
        let app = App::with_listener(config, listener, served, Arc::new(clock.clone())).unwrap();
        let mailer = app.mailer().clone();
        let payments = app.state().payments.clone();
        let outbox_key = second_opinion::notify::seal::OutboxKey::from_secret(&app.state().config.secret_key);
        let program = app.state().program.clone();
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
            payments,
            outbox_key,
            mail_from: "no-reply@second-opinion.test".into(),
            program,
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

    /// The page at `path` once it contains `text` (a change another instance
    /// made reaches this one by NOTIFY, soon but not at once); after five
    /// seconds, the page as it is.
    pub async fn page_once_it_says(&self, path: &str, text: &str) -> String {
        let mut page = String::new();
        for _ in 0..50 {
            page = self.page(path).await;
            if page.contains(text) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        page
    }

    /// The session's CSRF token, read from a page that has a form.
    pub async fn csrf_token(&self) -> String {
        let mut res = self.get("/login").await;
        // Signed in: home, or (staff without a second factor) on to enrolment.
        for _ in 0..2 {
            if res.status() == StatusCode::SEE_OTHER {
                let to = location(&res);
                res = self.get(&to).await;
            }
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

    /// Creates an account directly (verified), as `create-user` would; staff
    /// are enrolled in the second factor with [`TOTP_SECRET`], as they must be.
    pub async fn create_user(&self, role: Role) -> TestUser {
        let user = self.create_user_without_second_factor(role).await;
        if role.is_staff() {
            self.enrol_second_factor(&user, TOTP_SECRET).await;
        }
        user
    }

    /// Enrols `user` in the second factor with `secret` (base32), directly.
    pub async fn enrol_second_factor(&self, user: &TestUser, secret: &str) -> Vec<String> {
        use second_opinion::auth::second_factor;
        let key = second_factor::key(&SECRET_KEY);
        let bytes = second_factor::from_base32(secret).unwrap();
        let mut conn = self.db.acquire().await.unwrap();
        second_factor::enrol(&mut conn, &key, user.id, &bytes, 0, self.clock.now()).await.unwrap().unwrap()
    }

    /// An account as [`Self::create_user`] makes it, but never enrolled.
    pub async fn create_user_without_second_factor(&self, role: Role) -> TestUser {
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

    /// Signs in as a person does: the password, then (when it is asked for)
    /// the code from [`TOTP_SECRET`]. Returns the last step's answer.
    pub async fn log_in(&self, email: &str, password: &str) -> reqwest::Response {
        let res = self.post_form("/login", &[("email", email), ("password", password)]).await;
        if res.status() != StatusCode::SEE_OTHER || location(&res) != "/login/code" {
            return res;
        }
        self.answer_code(email).await
    }

    /// The sign-in's second step for `email` (its password step done), with
    /// a code from [`TOTP_SECRET`]: the code step's answer.
    pub async fn answer_code(&self, email: &str) -> reqwest::Response {
        // Tests sign one person in many times within a clock step that stands
        // still; that a code works once is second_factor.rs's to show.
        sqlx::query!(
            "update second_factors set last_step = 0 where user_id = (select id from users where email = $1)",
            email
        )
        .execute(&self.db)
        .await
        .unwrap();
        let code = totp_code(TOTP_SECRET, self.clock.now());
        self.post_form("/login/code", &[("code", &code)]).await
    }

    /// Another client of the same app's database, signed in as `user`.
    pub async fn signed_in_as(&self, user: &TestUser) -> TestApp {
        let other = self.another_browser().await;
        assert_eq!(other.log_in(&user.email, PASSWORD).await.status(), StatusCode::SEE_OTHER);
        other
    }

    /// Another client of the same app's database (and clock), signed in as no one.
    pub async fn another_browser(&self) -> TestApp {
        TestApp::build(
            self.db.clone(),
            &smtp_url(),
            false,
            Some(self.documents_dir.clone()),
            Some(self.clock.clone()),
            |_| {},
        )
        .await
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
        let jobs = self.jobs();
        while second_opinion::jobs::deliver_one(&jobs).await.unwrap() {
            n += 1;
        }
        n
    }

    /// The worker's periodic chores, once (refunds due, closing cases, expired sessions).
    pub async fn run_chores(&self) {
        second_opinion::jobs::chores(&self.jobs()).await;
    }

    /// What the worker would run with.
    fn jobs(&self) -> second_opinion::jobs::Jobs {
        second_opinion::jobs::Jobs {
            db: self.db.clone(),
            mailer: self.mailer.clone(),
            outbox_key: self.outbox_key.clone(),
            mail_from: self.mail_from.clone(),
            payments: self.payments.clone(),
            clock: Arc::new(self.clock.clone()),
            base_url: self.base.clone(),
            program: self.program.clone(),
        }
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

// ---------------------------------------------------------------- fixtures

/// A case for tests, as the URLs and queries name it.
#[derive(Clone, Debug)]
pub struct TestCase {
    /// The id as text, as it appears in URLs.
    pub id: String,
    pub case_id: CaseId,
    pub number: String,
    pub family: TestUser,
    pub questions: Vec<uuid::Uuid>,
}

/// Builds a case straight in the database and moves it along the drawn path
/// to any state through the app's own `transition`, so its events,
/// milestones and deadlines are the app's.
pub struct CaseBuilder<'a> {
    app: &'a TestApp,
    state: CaseStatus,
    child: (String, String),
    questions: usize,
    specialist: Option<UserId>,
    clinician: Option<UserId>,
    at: Option<Timestamp>,
    decision_soon: bool,
    /// A second guardian (invited by the family) who opens the case.
    opened_by: Option<(UserId, String)>,
}

/// The safety screen's answers (no emergency) a case is opened after.
pub async fn safety_screen(
    conn: &mut sqlx::PgConnection,
    user: UserId,
    child: uuid::Uuid,
    decision_soon: bool,
) -> second_opinion::domain::SafetyScreenId {
    let id: uuid::Uuid = sqlx::query_scalar(
        "insert into safety_screens (user_id, child_id, emergency, decision_soon, answered_at, version, language)
         values ($1, $2, false, $3, now(), 'test', 'en') returning id",
    )
    .bind(user.0)
    .bind(child)
    .bind(decision_soon)
    .fetch_one(conn)
    .await
    .unwrap();
    second_opinion::domain::SafetyScreenId(id)
}

/// The screen's answers as the new-case and follow-on forms post them: no emergency, no hurry.
pub const NOT_URGENT: [(&str, &str); 2] = [("emergency", "no"), ("decision_soon", "no")];

impl TestApp {
    /// A submitted (and paid) case of a new family, child "Mila Okafor", two
    /// record sources and two questions; the builder's methods say otherwise.
    pub fn case(&self) -> CaseBuilder<'_> {
        CaseBuilder {
            app: self,
            state: CaseStatus::Submitted,
            child: ("Mila".into(), "Okafor".into()),
            questions: 2,
            specialist: None,
            clinician: None,
            at: None,
            decision_soon: false,
            opened_by: None,
        }
    }
}

impl CaseBuilder<'_> {
    pub fn in_state(mut self, state: CaseStatus) -> Self {
        self.state = state;
        self
    }
    pub fn child(mut self, first: &str, last: &str) -> Self {
        self.child = (first.into(), last.into());
        self
    }
    /// The specialist it is sent to (made up if a state needs one and none is given).
    pub fn specialist(mut self, specialist: &TestUser) -> Self {
        self.specialist = Some(specialist.id);
        self
    }
    pub fn clinician(mut self, clinician: &TestUser) -> Self {
        self.clinician = Some(clinician.id);
        self
    }
    /// How many questions it has (default 2).
    pub fn questions(mut self, n: usize) -> Self {
        self.questions = n;
        self
    }
    /// When every step happened (default: the app's clock now).
    /// The family said a treatment decision is due within a week.
    pub fn decision_soon(mut self) -> Self {
        self.decision_soon = true;
        self
    }

    /// Opened by `guardian`, the child's second guardian (invited by the
    /// family, who added the child): the case's contact is theirs.
    pub fn opened_by_second_guardian(mut self, guardian: &TestUser) -> Self {
        self.opened_by = Some((guardian.id, guardian.email.clone()));
        self
    }

    pub fn at(mut self, at: Timestamp) -> Self {
        self.at = Some(at);
        self
    }

    pub async fn create(self) -> TestCase {
        use second_opinion::clock::Clock;
        use second_opinion::domain::CaseStatus::*;
        let app = self.app;
        let at = self.at.unwrap_or_else(|| app.clock.now());
        let family = app.create_user(Role::Family).await;
        let specialist = match (self.specialist, self.state) {
            (Some(s), _) => Some(s),
            (None, InReview | OpinionDelivered | Closed) => Some(app.create_user(Role::Specialist).await.id),
            (None, _) => None,
        };
        let mut tx = app.db.begin().await.unwrap();
        let child: uuid::Uuid = sqlx::query_scalar(
            "with child as (insert into children (family_id, first_name, last_name, date_of_birth, sex)
                            values ($1, $2, $3, '2015-01-01', 'female') returning id)
             insert into guardianships (child_id, user_id, relationship, confirmed_at)
             select id, $1, 'parent', now() from child returning child_id",
        )
        .bind(family.id.0)
        .bind(&self.child.0)
        .bind(&self.child.1)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        let (opener, email) = self.opened_by.clone().unwrap_or((family.id, family.email.clone()));
        if opener != family.id {
            sqlx::query(
                "insert into guardianships (child_id, user_id, relationship, confirmed_at, invited_by)
                 values ($1, $2, 'parent', now(), $3)",
            )
            .bind(child)
            .bind(opener.0)
            .bind(family.id.0)
            .execute(&mut *tx)
            .await
            .unwrap();
        }
        let screen = safety_screen(&mut tx, opener, child, self.decision_soon).await;
        let case =
            second_opinion::cases::open_draft(&mut tx, opener, ChildId(child), screen, &email, None, at).await.unwrap();
        sqlx::query(
            "update cases set diagnosis_summary = 'Asthma', contact_phone = '+14155550100', consented_at = $2 where id = $1",
        )
            .bind(case.0)
            .bind(at.to_sqlx())
            .execute(&mut *tx)
            .await
            .unwrap();
        for facility in ["North Clinic", "South Imaging"] {
            let source: uuid::Uuid = sqlx::query_scalar(
                "insert into record_sources (case_id, facility, records_description) values ($1, $2, 'Notes') returning id",
            )
            .bind(case.0)
            .bind(facility)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
            sign_release_in(&mut tx, case, source, family.id, at).await;
        }
        let mut questions = Vec::new();
        for position in 1..=self.questions {
            let id: uuid::Uuid = sqlx::query_scalar(
                "insert into case_questions (case_id, position, body) values ($1, $2, 'Why?') returning id",
            )
            .bind(case.0)
            .bind(position as i16)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
            questions.push(id);
        }
        let path: &[CaseStatus] = match self.state {
            Draft => &[],
            Cancelled => &[Cancelled],
            Submitted => &[Submitted],
            CollectingRecords => &[Submitted, CollectingRecords],
            ReadyForReview => &[Submitted, CollectingRecords, ReadyForReview],
            InReview => &[Submitted, CollectingRecords, ReadyForReview, InReview],
            OpinionDelivered => &[Submitted, CollectingRecords, ReadyForReview, InReview, OpinionDelivered],
            Closed => &[Submitted, CollectingRecords, ReadyForReview, InReview, OpinionDelivered, Closed],
        };
        let mut from = Draft;
        for &to in path {
            match to {
                Submitted => {
                    sqlx::query(
                        r#"insert into payments (case_id, purpose, amount_cents, provider, provider_payment_id, status,
                                                 fulfilled, succeeded_at, receipt_number)
                           values ($1, 'case_fee', 90000, 'test_gateway', 'test_' || $1, 'succeeded', true, $2,
                                   nextval('receipt_number_seq'))"#,
                    )
                    .bind(case.0)
                    .bind(at.to_sqlx())
                    .execute(&mut *tx)
                    .await
                    .unwrap();
                }
                ReadyForReview => {
                    // "Digitized" needs a document: a row per source (no stored file).
                    sqlx::query(
                        r#"insert into documents (case_id, record_source_id, storage_key, original_name, content_type, size_bytes, sha256, uploaded_by)
                           select case_id, id, 'test/' || id, 'notes.pdf', 'application/pdf', 1024, sha256(id::text::bytea), $2
                           from record_sources where case_id = $1"#,
                    )
                    .bind(case.0)
                    .bind(family.id.0)
                    .execute(&mut *tx)
                    .await
                    .unwrap();
                    sqlx::query("update record_sources set status = 'digitized', received_at = $2, digitized_at = $2 where case_id = $1")
                        .bind(case.0)
                        .bind(at.to_sqlx())
                        .execute(&mut *tx)
                        .await
                        .unwrap();
                }
                InReview => {
                    sqlx::query("update cases set specialist_id = $2 where id = $1")
                        .bind(case.0)
                        .bind(specialist.map(|s| s.0))
                        .execute(&mut *tx)
                        .await
                        .unwrap();
                }
                OpinionDelivered => {
                    let opinion: uuid::Uuid = sqlx::query_scalar(
                        "insert into opinions (case_id, specialist_id, outcome, summary) values ($1, $2, 'agrees', 'All good') returning id",
                    )
                    .bind(case.0)
                    .bind(specialist.map(|s| s.0))
                    .fetch_one(&mut *tx)
                    .await
                    .unwrap();
                    sqlx::query("insert into opinion_answers (opinion_id, question_id, body) select $1, id, 'Answer' from case_questions where case_id = $2")
                        .bind(opinion)
                        .bind(case.0)
                        .execute(&mut *tx)
                        .await
                        .unwrap();
                    sqlx::query("update opinions set signed_at = $2 where id = $1")
                        .bind(opinion)
                        .bind(at.to_sqlx())
                        .execute(&mut *tx)
                        .await
                        .unwrap();
                }
                _ => {}
            }
            second_opinion::cases::transition(&mut tx, case, from, to, None, None, at).await.unwrap();
            from = to;
        }
        if let Some(clinician) = self.clinician {
            sqlx::query("update cases set clinician_id = $2 where id = $1")
                .bind(case.0)
                .bind(clinician.0)
                .execute(&mut *tx)
                .await
                .unwrap();
        }
        let number: String = sqlx::query_scalar("select case_number from cases where id = $1")
            .bind(case.0)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        TestCase { id: case.to_string(), case_id: case, number, family, questions }
    }
}

/// Moves a case along the drawn path through the app's `transition`, as staff would.
pub async fn move_case(app: &TestApp, case: &str, path: &[&str]) {
    use second_opinion::clock::Clock;
    let id = CaseId(case.parse().unwrap());
    let mut tx = app.db.begin().await.unwrap();
    let mut from: CaseStatus =
        sqlx::query_scalar("select status from cases where id = $1").bind(id.0).fetch_one(&mut *tx).await.unwrap();
    sqlx::query(
        "update cases set consented_at = coalesce(consented_at, now()), contact_phone = '+14155550100' where id = $1 and status = 'draft'",
    )
        .bind(id.0)
        .execute(&mut *tx)
        .await
        .unwrap();
    for to in path {
        let to: CaseStatus = serde_json::from_value(serde_json::Value::String((*to).to_owned())).unwrap();
        second_opinion::cases::transition(&mut tx, id, from, to, None, None, app.clock.now()).await.unwrap();
        from = to;
    }
    tx.commit().await.unwrap();
}

pub async fn status_of(app: &TestApp, case: &str) -> String {
    sqlx::query_scalar("select status::text from cases where id = $1::uuid")
        .bind(case)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

/// A signed-in family with one child; returns the child's id.
pub async fn family_with_child(app: &TestApp) -> (TestUser, String) {
    let user = app.login_as(Role::Family).await;
    let res = app
        .post_form(
            "/family/children/new",
            &[
                ("first_name", "Mila"),
                ("last_name", "Okafor"),
                ("date_of_birth", "2016-05-04"),
                ("sex", "female"),
                ("relationship", "parent"),
                ("confirm_guardian", "yes"),
            ],
        )
        .await;
    assert_eq!(location(&res), "/family");
    let child: uuid::Uuid = sqlx::query_scalar("select id from children where family_id = $1")
        .bind(user.id.0)
        .fetch_one(&app.db)
        .await
        .unwrap();
    (user, child.to_string())
}

/// Opens a draft through the wizard and fills every step but the questions; returns its id.
pub async fn draft_case(app: &TestApp, child: &str) -> String {
    let res = app.post_form("/family/cases/new", &[("child_id", child), NOT_URGENT[0], NOT_URGENT[1]]).await;
    let to = location(&res);
    assert!(to.ends_with("/details"), "{to}");
    let id = to.trim_start_matches("/family/cases/").trim_end_matches("/details").to_owned();
    let res = app
        .post_form(
            &format!("/family/cases/{id}/details"),
            &[
                ("contact_email", "mila.parent@example.test"),
                ("contact_phone", "(415) 555-0100"),
                ("contact_time_zone", "America/Los_Angeles"),
                ("diagnosis_summary", "Crohn's disease, diagnosed 2025"),
            ],
        )
        .await;
    assert_eq!(location(&res), format!("/family/cases/{id}/records"));
    let res = app
        .post_form(
            &format!("/family/cases/{id}/records"),
            &with_release(&[
                ("facility", "Valley Children's Clinic"),
                ("records_description", "Colonoscopy and pathology"),
                ("language", "English"),
            ]),
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    id
}

/// A record location's form fields with its release signed, as the records page asks.
pub fn with_release<'a>(fields: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut all = fields.to_vec();
    all.extend(RELEASE);
    all
}

/// The release fields a family fills in (the expiry a year ahead of the test clock's "now").
pub const RELEASE: [(&str, &str); 3] =
    [("release_signer", "Grace Okafor"), ("release_relationship", "parent"), ("release_authorize", "yes")];

/// Signs a release for `source` straight in the database, as the family would have.
pub async fn sign_release_in(
    conn: &mut sqlx::PgConnection,
    case: CaseId,
    source: uuid::Uuid,
    family: UserId,
    at: Timestamp,
) {
    sqlx::query(
        r#"insert into record_releases (case_id, record_source_id, provider_name, records_description, date_range,
                                        expires_on, signer_name, relationship, signed_by, signed_at)
           select case_id, id, facility, records_description, date_range,
                  greatest(($4 at time zone 'America/Los_Angeles')::date, current_date) + 300, 'Test Parent', 'parent', $3, $4
           from record_sources where id = $2 and case_id = $1"#,
    )
    .bind(case.0)
    .bind(source)
    .bind(family.0)
    .bind(at.to_sqlx())
    .execute(conn)
    .await
    .unwrap();
}

pub async fn add_questions(app: &TestApp, case: &str, n: usize) {
    for i in 1..=n {
        let res = app
            .post_form(
                &format!("/family/cases/{case}/questions"),
                &[("body", &format!("Question number {i}?")), ("action", "add")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "question {i}");
    }
}

/// The five consents the review page asks for.
pub const CONSENTS: [(&str, &str); 5] = [
    ("consent_emergency", "yes"),
    ("consent_english", "yes"),
    ("consent_no_insurance", "yes"),
    ("consent_frozen", "yes"),
    ("consent_limits", "yes"),
];

// ------------------------------------------------ family-informed fixtures

/// A few bytes a sniffer takes for a PDF.
pub fn pdf_bytes(size: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.resize(size, b'x');
    bytes
}

impl TestApp {
    /// POSTs `multipart/form-data`, the CSRF token first as the pages send
    /// it, then `fields`, then the file part named `file` (empty if none, as
    /// a browser sends an untouched file input).
    pub async fn post_multipart(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        file: Option<(&str, Vec<u8>)>,
    ) -> reqwest::Response {
        use reqwest::multipart::{Form, Part};
        let mut form = Form::new().text("csrf_token", self.csrf_token().await);
        for (k, v) in fields {
            form = form.text(k.to_string(), v.to_string());
        }
        let (name, bytes) = file.unwrap_or(("", Vec::new()));
        form = form.part("file", Part::bytes(bytes).file_name(name.to_owned()));
        self.client.post(self.url(path)).multipart(form).send().await.unwrap()
    }

    /// The case's version, which the workspace's forms carry.
    pub async fn version_of(&self, case: &str) -> String {
        let v: i32 = sqlx::query_scalar("select version from cases where id = $1::uuid")
            .bind(case)
            .fetch_one(&self.db)
            .await
            .unwrap();
        v.to_string()
    }

    /// A coordinator's action on the workspace (`take`, `ready`, `send`, `close`), at the current version.
    pub async fn coordinator_does(&self, case: &str, action: &str, extra: &[(&str, &str)]) -> reqwest::Response {
        let version = self.version_of(case).await;
        let mut fields = vec![("version", version.as_str())];
        fields.extend_from_slice(extra);
        // Past the confirmation page of an action that can't be undone.
        if ["send", "close", "cancel"].contains(&action) {
            fields.push(("confirmed", "yes"));
        }
        self.post_form(&format!("/coordinator/cases/{case}/{action}"), &fields).await
    }

    /// A coordinator (signed in on this client) uploads a small PDF to a
    /// record source: "digitized" needs a document.
    pub async fn upload_document(&self, case: &str, source: uuid::Uuid) -> reqwest::Response {
        use reqwest::multipart::{Form, Part};
        let mut pdf = b"%PDF-1.7\n".to_vec();
        pdf.resize(1024, b'x');
        let form = Form::new()
            .text("csrf_token", self.csrf_token().await)
            .part("file", Part::bytes(pdf).file_name("record.pdf"));
        self.client
            .post(self.url(&format!("/coordinator/cases/{case}/sources/{source}/documents")))
            .multipart(form)
            .send()
            .await
            .unwrap()
    }

    /// The kinds of the emails queued to `to`, oldest first.
    pub async fn outbox_kinds(&self, to: &str) -> Vec<String> {
        sqlx::query_scalar("select kind from email_outbox where to_address = $1 order by created_at, id")
            .bind(to)
            .fetch_all(&self.db)
            .await
            .unwrap()
    }

    /// The record sources of a case, by facility name.
    pub async fn sources_of(&self, case: &str) -> Vec<uuid::Uuid> {
        sqlx::query_scalar("select id from record_sources where case_id = $1::uuid order by facility")
            .bind(case)
            .fetch_all(&self.db)
            .await
            .unwrap()
    }

    /// The specialist (signed in on this client) writes `recommendations` into
    /// a complete opinion of `case` and signs it.
    pub async fn write_and_sign(&self, case: &TestCase, recommendations: &str) {
        let mut fields: Vec<(String, String)> =
            case.questions.iter().map(|q| (format!("answer_{q}"), "The records support it.".to_owned())).collect();
        fields.push(("outcome".into(), "agrees".into()));
        fields.push(("summary".into(), "The diagnosis is right.".into()));
        fields.push(("recommendations".into(), recommendations.into()));
        let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let res = self.post_form(&format!("/specialist/cases/{}/opinion", case.id), &borrowed).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "draft saved");
        let res = self.post_form(&format!("/specialist/cases/{}/sign", case.id), &[("password", PASSWORD)]).await;
        assert_eq!(location(&res), "/specialist", "signed");
    }
}

/// Headers and decoded bodies of what the SMTP sink received for `to`, with
/// the names and health words a test case uses checked absent.
pub fn assert_no_health_information(mails: &[(String, String)]) {
    for (headers, body) in mails {
        for word in ["Mila", "Okafor", "Asthma", "Crohn", "North Clinic", "South Imaging"] {
            assert!(!headers.contains(word) && !body.contains(word), "an email says {word:?}:\n{headers}\n{body}");
        }
    }
}

impl TestApp {
    /// As a signed-in coordinator: asks `case`'s family for an additional fee
    /// ($250, a re-read of the imaging). The fee request's id.
    pub async fn ask_additional_fee(&self, case: &str) -> uuid::Uuid {
        let res = self
            .post_form(
                &format!("/coordinator/cases/{case}/fees"),
                &[("kind", "imaging"), ("amount", "250"), ("reason", "Re-read the MRI")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "the fee is asked");
        sqlx::query_scalar("select id from fee_requests where case_id = $1::uuid order by created_at desc limit 1")
            .bind(case)
            .fetch_one(&self.db)
            .await
            .unwrap()
    }

    /// The child of `case`, as the family's URLs name it.
    pub async fn child_of(&self, case: &str) -> String {
        sqlx::query_scalar("select child_id::text from cases where id = $1::uuid")
            .bind(case)
            .fetch_one(&self.db)
            .await
            .unwrap()
    }
}

// ------------------------------------------------ the S3 peer (moto)

/// The S3-compatible server `scripts/test` started (moto). The app finds it
/// through the standard `AWS_*` variables, which scripts/test exports with
/// it; a run without them fails here, loudly, as one without SMTP does.
pub fn s3_endpoint() -> String {
    let endpoint = std::env::var("TEST_S3_ENDPOINT")
        .expect("TEST_S3_ENDPOINT: run the tests through scripts/test (it starts moto_server)");
    assert_eq!(
        std::env::var("AWS_ENDPOINT_URL").ok().as_deref(),
        Some(endpoint.as_str()),
        "AWS_ENDPOINT_URL must name the server TEST_S3_ENDPOINT names: scripts/test exports both, \
         with AWS_ALLOW_HTTP=true, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_REGION"
    );
    endpoint
}

/// A bucket of the test's own on the S3 peer. Objects are read through
/// object_store (signed, as the app reads them); the bucket is made and its
/// pending multipart uploads listed with plain S3 requests, which object_store
/// has no call for (moto answers those unsigned).
pub struct Bucket {
    pub name: String,
    endpoint: String,
    http: reqwest::Client,
    store: object_store::aws::AmazonS3,
}

impl Bucket {
    pub async fn create() -> Bucket {
        let name = format!("so-test-{}", uuid::Uuid::new_v4().simple());
        let endpoint = s3_endpoint();
        let http = reqwest::Client::new();
        let res = http.put(format!("{endpoint}/{name}")).send().await.expect("the S3 peer answers");
        assert!(res.status().is_success(), "CreateBucket: {}", res.status());
        let store = object_store::aws::AmazonS3Builder::from_env().with_bucket_name(&name).build().unwrap();
        Bucket { name, endpoint, http, store }
    }

    /// The keys of every object in the bucket.
    pub async fn keys(&self) -> Vec<String> {
        use futures_util::TryStreamExt;
        use object_store::ObjectStore;
        let objects: Vec<_> = self.store.list(None).try_collect().await.unwrap();
        objects.into_iter().map(|o| o.location.to_string()).collect()
    }

    /// The ids of multipart uploads started and neither completed nor aborted.
    pub async fn pending_uploads(&self) -> Vec<String> {
        let url = format!("{}/{}?uploads", self.endpoint, self.name);
        let xml = self.http.get(url).send().await.unwrap().text().await.unwrap();
        xml.split("<UploadId>")
            .skip(1)
            .filter_map(|rest| rest.split_once("</UploadId>"))
            .map(|(id, _)| id.to_owned())
            .collect()
    }

    pub async fn object(&self, key: &str) -> Vec<u8> {
        use object_store::ObjectStoreExt;
        self.store.get(&key.into()).await.unwrap().bytes().await.unwrap().to_vec()
    }

    /// Overwrites an object, as a fault or an intruder in the store would.
    pub async fn overwrite(&self, key: &str, bytes: Vec<u8>) {
        use object_store::ObjectStoreExt;
        self.store.put(&key.into(), bytes.into()).await.unwrap();
    }
}

impl TestApp {
    /// The app with its documents in `bucket` on the S3 peer.
    pub async fn spawn_with_s3(db: PgPool, bucket: &Bucket) -> TestApp {
        let name = bucket.name.clone();
        Self::spawn_configured(db, move |config| config.documents = DocumentStore::S3 { bucket: name }).await
    }
}

/// `body` has every one of `spanish` and none of `english`.
pub fn in_spanish(body: &str, spanish: &[&str], english: &[&str]) {
    assert!(body.contains("<html lang=\"es\">"), "the page says it is Spanish");
    for s in spanish {
        assert!(body.contains(s), "missing {s:?} in:\n{body}");
    }
    for e in english {
        assert!(!body.contains(e), "English left over: {e:?} in:\n{body}");
    }
}

/// The family of `case`, signed in, having chosen Spanish with the switch.
pub async fn spanish_family(app: &TestApp, case: &TestCase) -> TestApp {
    let family = app.signed_in_as(&case.family).await;
    let res = family.post_form("/language", &[("lang", "es"), ("back", "/family")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    family
}
