//! Settings from the environment, with defaults that need no configuration
//! on a developer's machine. `.env.example` documents every key.

use anyhow::{Context, bail};
use ipnet::IpNet;
use std::net::IpAddr;
use std::path::PathBuf;

pub use crate::secret_key::SecretKey;

/// Where the app runs: production refuses test conveniences.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AppEnv {
    Development,
    Test,
    Production,
}

/// A value that must not end up in logs; `Debug` prints a placeholder.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

/// Stripe settings; absent means the bannered local test gateway.
#[derive(Clone, Debug)]
pub struct StripeConfig {
    pub secret_key: Secret,
    pub publishable_key: String,
    pub webhook_secret: Secret,
    /// Base URL of the Stripe API; tests point it at localstripe.
    pub api_base: Option<String>,
    pub js_url: String,
}

/// Where uploaded documents live.
#[derive(Clone, Debug)]
pub enum DocumentStore {
    /// A local directory outside anything served (default `var/documents`).
    Local(PathBuf),
    /// An S3-compatible bucket; credentials from the standard `AWS_*` variables.
    S3 { bucket: String },
}

/// Who the family pays, as receipts name them (HSA/FSA administrators ask for
/// the provider's legal name, address and tax id).
#[derive(Clone, Debug)]
pub struct Provider {
    pub legal_name: String,
    pub address: String,
    /// Required in production; receipts leave the line out without it.
    pub tax_id: Option<String>,
}

/// The program's names as the family reads them: the hospital, its partner
/// that coordinates the care, the help lines and their hours, and the
/// translation service the records page suggests. The seed's values are the
/// defaults; each can be set (`PROGRAM_*`, see `.env.example`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Program {
    /// "UCSF Benioff Children's Hospitals": where the specialists are.
    pub hospital: String,
    /// "Included Health": the care coordinators and staff doctors.
    pub partner: String,
    pub phone: Phone,
    pub phone_international: Phone,
    /// For an in-person appointment at the hospital instead.
    pub appointments_phone: Phone,
    /// When the help lines answer, in English and in Spanish.
    pub hours: String,
    pub hours_es: String,
    pub translation_service: String,
}

/// A phone number as shown, and its `tel:` link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phone {
    pub display: String,
    pub tel: String,
}

impl Phone {
    /// "(877) 822-4453 (877-UC-CHILD)" → `tel:+18778224453`: the first ten
    /// digits of a North American number, or every digit after a leading `+`
    /// up to the first letter or parenthesis.
    pub fn parse(display: &str) -> anyhow::Result<Phone> {
        let display = display.trim();
        let digits: String = if let Some(rest) = display.strip_prefix('+') {
            let number = rest.split(|c: char| c.is_alphabetic() || c == '(').next().unwrap_or(rest);
            format!("+{}", number.chars().filter(char::is_ascii_digit).collect::<String>())
        } else {
            let all: String = display.chars().filter(char::is_ascii_digit).collect();
            let all = all.strip_prefix('1').filter(|r| r.len() >= 10).unwrap_or(&all);
            if all.len() < 10 {
                bail!("{display:?} is not a phone number with an area code");
            }
            format!("+1{}", &all[..10])
        };
        Ok(Phone { display: display.to_owned(), tel: format!("tel:{digits}") })
    }
}

impl Default for Program {
    fn default() -> Self {
        let phone = |p: &str| Phone::parse(p).expect("the default phone numbers parse");
        Program {
            hospital: "UCSF Benioff Children's Hospitals".into(),
            partner: "Included Health".into(),
            phone: phone("(800) 941-1383"),
            phone_international: phone("(775) 440-2557"),
            appointments_phone: phone("(877) 822-4453 (877-UC-CHILD)"),
            hours: "6 a.m. to 6 p.m. Pacific Time, Monday through Friday".into(),
            hours_es: "de 6 a. m. a 6 p. m., hora del Pacífico, de lunes a viernes".into(),
            translation_service: "Lan Do & Associates".into(),
        }
    }
}

/// What a program name may not contain: it goes into pages as it is (the
/// admin's settings refuse the same, and so does `program_settings`).
pub const MARKUP: [char; 5] = ['<', '>', '"', '{', '}'];

static PROGRAM: std::sync::OnceLock<Program> = std::sync::OnceLock::new();

impl Program {
    fn from_env(var: &impl Fn(&str) -> Option<String>) -> anyhow::Result<Program> {
        let d = Program::default();
        let text = |key: &str, default: String| var(key).unwrap_or(default);
        let phone = |key: &str, default: Phone| {
            var(key).map_or(Ok(default), |v| Phone::parse(&v).with_context(|| format!("{key} is not a phone number")))
        };
        Ok(Program {
            hospital: text("PROGRAM_HOSPITAL", d.hospital),
            partner: text("PROGRAM_PARTNER", d.partner),
            phone: phone("PROGRAM_PHONE", d.phone)?,
            phone_international: phone("PROGRAM_PHONE_INTERNATIONAL", d.phone_international)?,
            appointments_phone: phone("PROGRAM_APPOINTMENTS_PHONE", d.appointments_phone)?,
            hours: text("PROGRAM_HOURS", d.hours),
            hours_es: text("PROGRAM_HOURS_ES", d.hours_es),
            translation_service: text("PROGRAM_TRANSLATION_SERVICE", d.translation_service),
        })
        .and_then(Program::plain)
    }

    /// The names go into pages as they are (they are the operator's, like
    /// the templates): refuse markup characters rather than escape them.
    fn plain(self) -> anyhow::Result<Program> {
        for value in [&self.hospital, &self.partner, &self.hours, &self.hours_es, &self.translation_service] {
            if value.contains(MARKUP) {
                bail!("the program's names can't contain < > \" {{ or }}: {value}");
            }
        }
        Ok(self)
    }

    /// Makes these the names every page and email uses, once per process
    /// (like the time zone: emails are written where no request state is at
    /// hand). A second, different program is refused.
    pub fn install(&self) -> anyhow::Result<()> {
        let installed = PROGRAM.get_or_init(|| self.clone());
        if installed != self {
            bail!("this process already uses other program names");
        }
        Ok(())
    }
}

/// The program's names as configured: those installed at start, else the
/// seed's. Pages and emails read `program::current()`, which adds the admin's.
pub fn program() -> &'static Program {
    static DEFAULT: std::sync::LazyLock<Program> = std::sync::LazyLock::new(Program::default);
    PROGRAM.get().unwrap_or(&DEFAULT)
}

/// Everything the app reads from its environment, read once at start.
#[derive(Clone, Debug)]
pub struct Config {
    pub env: AppEnv,
    pub bind: IpAddr,
    pub port: u16,
    /// The address people use, without a trailing slash; links in emails start with it.
    pub base_url: String,
    /// The role the app serves requests as (a member of
    /// `second_opinion_runtime`: it can't change or remove audit rows).
    pub database_url: Option<Secret>,
    /// The owner of the tables, whom migrations run as (`DATABASE_OWNER_URL`);
    /// unset, `DATABASE_URL` migrates too, and production refuses to serve
    /// with a role that could rewrite the audit log.
    pub database_owner_url: Option<Secret>,
    /// Most connections the app holds open to PostgreSQL.
    pub database_pool_size: u32,
    /// Local state: the private PostgreSQL cluster, mail files, documents.
    pub var_dir: PathBuf,
    /// `smtp://`/`smtps://` URL in lettre's format; absent means `.eml` files under `var/mail`.
    pub smtp_url: Option<Secret>,
    /// `SMTP_ALLOW_CLEARTEXT=true`: production may send mail without TLS, to a
    /// relay on the same host or private network (refused otherwise).
    pub smtp_cleartext_allowed: bool,
    pub mail_from: String,
    pub stripe: Option<StripeConfig>,
    /// Charged at submission.
    pub case_fee: crate::domain::Cents,
    pub provider: Provider,
    pub program: Program,
    pub documents: DocumentStore,
    /// Concurrent argon2 computations; each holds 19 MiB for ~80 ms.
    pub hash_permits: usize,
    pub secret_key: SecretKey,
    /// Reverse proxies (load balancers) whose `X-Forwarded-For` we believe
    /// (`TRUSTED_PROXIES`, comma-separated CIDRs). Empty: the socket's peer is the client.
    pub trusted_proxies: Vec<IpNet>,
    /// `METRICS_TOKEN`: `/metrics` answers only with `Authorization: Bearer …`
    /// (unset: there is no `/metrics`).
    pub metrics_token: Option<Secret>,
    /// `LOG_FORMAT=json` (the default in production) or `text`.
    pub log_json: bool,
}

impl Config {
    pub fn from_env() -> anyhow::Result<Self> {
        Self::from_vars(|key| std::env::var(key).ok())
    }

    /// As [`Config::from_env`], from any source of variables (tests).
    pub fn from_vars(source: impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        let var = |key: &str| source(key).filter(|v| !v.trim().is_empty());
        let env = match var("APP_ENV").as_deref() {
            None | Some("development") => AppEnv::Development,
            Some("test") => AppEnv::Test,
            Some("production") => AppEnv::Production,
            Some(other) => bail!("APP_ENV must be development, test or production, not {other:?}"),
        };
        let port: u16 = var("PORT").map_or(Ok(8080), |p| p.parse()).context("PORT must be a port number")?;
        let bind: IpAddr = var("BIND")
            .map_or(Ok(IpAddr::from([127, 0, 0, 1])), |b| b.parse())
            .context("BIND must be an IP address such as 127.0.0.1")?;
        let base_url = var("BASE_URL")
            .unwrap_or_else(|| format!("http://{}:{port}", display_host(bind)))
            .trim_end_matches('/')
            .to_owned();
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            bail!("BASE_URL must start with http:// or https://");
        }
        let stripe = match (var("STRIPE_SECRET_KEY"), var("STRIPE_WEBHOOK_SECRET")) {
            (Some(secret), Some(webhook)) => Some(StripeConfig {
                secret_key: Secret::new(secret),
                publishable_key: var("STRIPE_PUBLISHABLE_KEY")
                    .context("STRIPE_PUBLISHABLE_KEY is required with STRIPE_SECRET_KEY")?,
                webhook_secret: Secret::new(webhook),
                api_base: var("STRIPE_API_BASE"),
                js_url: var("STRIPE_JS_URL").unwrap_or_else(|| "https://js.stripe.com/v3/".to_owned()),
            }),
            (None, None) => None,
            (Some(_), None) => bail!("STRIPE_WEBHOOK_SECRET is required with STRIPE_SECRET_KEY"),
            (None, Some(_)) => bail!("STRIPE_SECRET_KEY is required with STRIPE_WEBHOOK_SECRET"),
        };
        let var_dir = var("VAR_DIR").map_or_else(|| PathBuf::from("var"), PathBuf::from);
        let documents = match var("DOCUMENTS_S3_BUCKET") {
            Some(bucket) => DocumentStore::S3 { bucket },
            None => DocumentStore::Local(var("DOCUMENTS_DIR").map_or_else(|| var_dir.join("documents"), PathBuf::from)),
        };
        let secret_key = match var("APP_SECRET_KEY") {
            Some(hex_digits) => SecretKey::from_hex(&hex_digits)?,
            None if env == AppEnv::Production => {
                bail!("APP_ENV=production needs APP_SECRET_KEY (`openssl rand -hex 32`)")
            }
            None => SecretKey::load_or_create(&var_dir.join("secret-key"))?,
        };
        let trusted_proxies = var("TRUSTED_PROXIES")
            .map(|list| parse_cidrs(&list))
            .transpose()
            .context("TRUSTED_PROXIES must be comma-separated addresses or CIDRs, such as 10.0.0.0/8, 192.0.2.7")?
            .unwrap_or_default();
        let metrics_token = var("METRICS_TOKEN").map(Secret::new);
        if metrics_token.as_ref().is_some_and(|t| t.expose().len() < 24) {
            bail!("METRICS_TOKEN must be at least 24 characters (`openssl rand -hex 16`)");
        }
        let log_json = match var("LOG_FORMAT").as_deref() {
            None => env == AppEnv::Production,
            Some("json") => true,
            Some("text") => false,
            Some(other) => bail!("LOG_FORMAT must be json or text, not {other:?}"),
        };
        let config = Config {
            env,
            bind,
            port,
            base_url,
            database_url: var("DATABASE_URL").map(Secret::new),
            database_owner_url: var("DATABASE_OWNER_URL").map(Secret::new),
            // Small on purpose: a database does the most work with a few
            // connections per core, and requests beyond that wait their turn
            // in the pool's queue (first come, first served) instead of
            // crowding the server. On two cores, 8 served the queue
            // benchmark 20% faster than 20, with a third lower p99.
            database_pool_size: var("DATABASE_POOL_SIZE")
                .map_or(Ok(8), |v| v.parse())
                .ok()
                .filter(|n| (1..=1000).contains(n))
                .context("DATABASE_POOL_SIZE must be a number of connections from 1 to 1000")?,
            var_dir,
            documents,
            smtp_url: var("SMTP_URL").map(Secret::new),
            smtp_cleartext_allowed: var("SMTP_ALLOW_CLEARTEXT").is_some_and(|v| v == "true" || v == "1"),
            mail_from: var("MAIL_FROM").unwrap_or_else(|| "Second Opinion <no-reply@second-opinion.test>".to_owned()),
            stripe,
            case_fee: crate::domain::Cents(
                var("CASE_FEE_CENTS")
                    .map_or(Ok(90_000), |v| v.parse())
                    .ok()
                    .filter(|c| *c > 0)
                    .context("CASE_FEE_CENTS must be a positive number of whole cents")?,
            ),
            provider: Provider {
                legal_name: var("PROVIDER_LEGAL_NAME")
                    .unwrap_or_else(|| "UCSF Benioff Children's Hospitals".to_owned()),
                address: var("PROVIDER_ADDRESS")
                    .unwrap_or_else(|| "1975 4th Street, San Francisco, CA 94158".to_owned()),
                tax_id: var("PROVIDER_TAX_ID"),
            },
            program: Program::from_env(&var)?,
            hash_permits: std::thread::available_parallelism().map_or(2, |n| n.get()),
            secret_key,
            trusted_proxies,
            metrics_token,
            log_json,
        };
        if config.database_owner_url.is_some() && config.database_url.is_none() {
            bail!("DATABASE_OWNER_URL needs DATABASE_URL (the role the app serves with) beside it");
        }
        config.check_production()?;
        Ok(config)
    }

    /// Production must name its real services: no private cluster, no mail
    /// files, no test gateway, and plain-text SMTP only if asked for by name.
    fn check_production(&self) -> anyhow::Result<()> {
        if self.env != AppEnv::Production {
            return Ok(());
        }
        let missing: Vec<&str> = [
            ("DATABASE_URL", self.database_url.is_none()),
            ("SMTP_URL", self.smtp_url.is_none()),
            ("STRIPE_SECRET_KEY", self.stripe.is_none()),
            ("PROVIDER_TAX_ID", self.provider.tax_id.is_none()),
        ]
        .into_iter()
        .filter_map(|(name, missing)| missing.then_some(name))
        .collect();
        if !missing.is_empty() {
            bail!("APP_ENV=production needs these settings: {}", missing.join(", "));
        }
        if !self.base_url.starts_with("https://") {
            bail!("APP_ENV=production needs an https:// BASE_URL");
        }
        if let Some(url) = &self.smtp_url
            && !smtp_is_encrypted(url.expose())
            && !self.smtp_cleartext_allowed
        {
            bail!(
                "APP_ENV=production refuses SMTP without TLS: use smtps://… or smtp://…?tls=required, \
                 or set SMTP_ALLOW_CLEARTEXT=true for a relay on this host or private network"
            );
        }
        Ok(())
    }

    /// Cookies get `Secure` and the `__Host-` prefix when people reach us over HTTPS.
    pub fn https(&self) -> bool {
        self.base_url.starts_with("https://")
    }

    /// Payments run through the built-in test gateway (and the page says so).
    pub fn payments_test_mode(&self) -> bool {
        self.stripe.is_none()
    }

    pub fn listen_addr(&self) -> std::net::SocketAddr {
        (self.bind, self.port).into()
    }
}

/// `smtps://` (TLS from the start) or `smtp://…?tls=required` (STARTTLS or
/// fail). lettre's `tls=opportunistic` falls back to cleartext when an
/// attacker strips STARTTLS, so it counts as cleartext.
fn smtp_is_encrypted(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    lower.starts_with("smtps://")
        || (lower.starts_with("smtp://")
            && lower.split_once('?').is_some_and(|(_, q)| q.split('&').any(|p| p == "tls=required")))
}

/// `10.0.0.0/8, 192.0.2.7` → networks (a bare address is a /32 or /128).
fn parse_cidrs(list: &str) -> anyhow::Result<Vec<IpNet>> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<IpNet>()
                .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
                .with_context(|| format!("{s:?} is not an address or CIDR"))
        })
        .collect()
}

fn display_host(ip: IpAddr) -> String {
    match ip {
        IpAddr::V6(v6) => format!("[{v6}]"),
        IpAddr::V4(v4) if v4.is_unspecified() => "127.0.0.1".to_owned(),
        IpAddr::V4(v4) => v4.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_get_their_tel_links() {
        assert_eq!(Phone::parse("(800) 941-1383").unwrap().tel, "tel:+18009411383");
        assert_eq!(Phone::parse("(877) 822-4453 (877-UC-CHILD)").unwrap().tel, "tel:+18778224453");
        assert_eq!(Phone::parse("1-800-941-1383").unwrap().tel, "tel:+18009411383");
        assert_eq!(Phone::parse("+44 20 7946 0958 (London)").unwrap().tel, "tel:+442079460958");
        assert!(Phone::parse("call us").is_err());
    }

    #[test]
    fn the_program_comes_from_the_environment_or_the_seed() {
        let vars = |k: &str| (k == "PROGRAM_PARTNER").then(|| "Care Partners".to_owned());
        let p = Program::from_env(&vars).unwrap();
        assert_eq!(p.partner, "Care Partners");
        assert_eq!(p.hospital, Program::default().hospital);
        let bad = |k: &str| (k == "PROGRAM_PHONE").then(|| "none".to_owned());
        assert!(Program::from_env(&bad).is_err());
    }

    fn production(extra: &[(&str, &str)]) -> anyhow::Result<Config> {
        let mut vars: std::collections::HashMap<&str, &str> = [
            ("APP_ENV", "production"),
            ("BASE_URL", "https://second-opinion.example.org"),
            ("DATABASE_URL", "postgres://app@db.internal/app"),
            ("SMTP_URL", "smtps://mailer:secret@smtp.example.org:465"),
            ("STRIPE_SECRET_KEY", "sk_live_x"),
            ("STRIPE_PUBLISHABLE_KEY", "pk_live_x"),
            ("STRIPE_WEBHOOK_SECRET", "whsec_x"),
            ("PROVIDER_TAX_ID", "94-0000000"),
            ("APP_SECRET_KEY", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"),
        ]
        .into_iter()
        .collect();
        vars.extend(extra.iter().copied());
        Config::from_vars(|k| vars.get(k).map(|v| (*v).to_owned()))
    }

    #[test]
    fn production_refuses_smtp_without_tls_unless_a_local_relay_is_named() {
        assert!(production(&[]).is_ok());
        assert!(production(&[("SMTP_URL", "smtp://smtp.example.org:587?tls=required")]).is_ok());
        for cleartext in ["smtp://smtp.example.org:25", "smtp://smtp.example.org:587?tls=opportunistic"] {
            let e = production(&[("SMTP_URL", cleartext)]).unwrap_err();
            assert!(format!("{e:#}").contains("refuses SMTP without TLS"), "{cleartext}: {e:#}");
        }
        assert!(production(&[("SMTP_URL", "smtp://127.0.0.1:25"), ("SMTP_ALLOW_CLEARTEXT", "true")]).is_ok());
    }

    #[test]
    fn production_needs_the_secret_key() {
        let e = production(&[("APP_SECRET_KEY", "")]).unwrap_err();
        assert!(format!("{e:#}").contains("APP_SECRET_KEY"), "{e:#}");
        assert!(production(&[("APP_SECRET_KEY", "abcd")]).is_err(), "too short");
    }

    #[test]
    fn logs_are_json_in_production_unless_asked_otherwise() {
        assert!(production(&[]).unwrap().log_json);
        assert!(!production(&[("LOG_FORMAT", "text")]).unwrap().log_json);
        assert!(production(&[("LOG_FORMAT", "yaml")]).is_err());
    }

    #[test]
    fn a_metrics_token_is_long_or_refused() {
        assert!(production(&[]).unwrap().metrics_token.is_none());
        assert!(production(&[("METRICS_TOKEN", "short")]).is_err());
        let config = production(&[("METRICS_TOKEN", "0123456789abcdef01234567")]).unwrap();
        assert_eq!(config.metrics_token.unwrap().expose(), "0123456789abcdef01234567");
    }

    #[test]
    fn trusted_proxies_are_cidrs_or_addresses() {
        let config = production(&[("TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.7,2001:db8::/32")]).unwrap();
        let nets: Vec<String> = config.trusted_proxies.iter().map(ToString::to_string).collect();
        assert_eq!(nets, ["10.0.0.0/8", "192.0.2.7/32", "2001:db8::/32"]);
        assert!(production(&[("TRUSTED_PROXIES", "10.0.0.0/33")]).is_err());
    }
}
