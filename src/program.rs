//! The program's names, numbers and two texts as families read them: the
//! configuration (`config::Program`, the messages in `locales/`) with what
//! the admin set over it on the settings page (`program_settings`).
//!
//! Every instance keeps the admin's settings in memory (`reference_cache`,
//! told of any change by the table's trigger), and each request and each
//! email runs inside [`scope`] with the program in effect when it began: the
//! messages' `{ -partner }`, `{ -phone }`… terms and the two texts come from
//! it (`i18n`), so a page or email never mixes an old name with a new one.
//! Outside a scope (the command line) the configuration is the program.

use crate::config::{Phone, Program};
use crate::i18n::Lang;
use crate::reference_cache::Cache;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use jiff::Timestamp;
use sqlx::{PgConnection, PgPool};
use std::sync::Arc;

/// One thing the admin may set, mirrored by the `program_setting` enum.
#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::Type)]
#[sqlx(type_name = "program_setting", rename_all = "snake_case")]
pub enum Setting {
    Hospital,
    Partner,
    Phone,
    PhoneInternational,
    AppointmentsPhone,
    Hours,
    HoursEs,
    TranslationService,
    SafetyIntro,
    SafetyIntroEs,
    RecordsTranslation,
    RecordsTranslationEs,
}

/// What kind of value a setting holds, which decides how it is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// One line: a name or the help lines' hours.
    Name { env: &'static str },
    /// A phone number with an area code (or a leading `+`).
    Phone { env: &'static str },
    /// A paragraph that replaces the message `id` in `lang`.
    Text { lang: Lang, id: &'static str },
}

impl Setting {
    pub const ALL: [Setting; 12] = [
        Setting::Hospital,
        Setting::Partner,
        Setting::Phone,
        Setting::PhoneInternational,
        Setting::AppointmentsPhone,
        Setting::Hours,
        Setting::HoursEs,
        Setting::TranslationService,
        Setting::SafetyIntro,
        Setting::SafetyIntroEs,
        Setting::RecordsTranslation,
        Setting::RecordsTranslationEs,
    ];

    /// Its name in addresses and the audit log (the enum's label).
    pub fn key(self) -> &'static str {
        match self {
            Setting::Hospital => "hospital",
            Setting::Partner => "partner",
            Setting::Phone => "phone",
            Setting::PhoneInternational => "phone_international",
            Setting::AppointmentsPhone => "appointments_phone",
            Setting::Hours => "hours",
            Setting::HoursEs => "hours_es",
            Setting::TranslationService => "translation_service",
            Setting::SafetyIntro => "safety_intro",
            Setting::SafetyIntroEs => "safety_intro_es",
            Setting::RecordsTranslation => "records_translation",
            Setting::RecordsTranslationEs => "records_translation_es",
        }
    }

    pub fn parse(key: &str) -> Option<Setting> {
        Setting::ALL.into_iter().find(|s| s.key() == key)
    }

    /// What the admin reads.
    pub fn label(self) -> &'static str {
        match self {
            Setting::Hospital => "The hospital",
            Setting::Partner => "The partner that coordinates care",
            Setting::Phone => "Help line",
            Setting::PhoneInternational => "Help line from outside the US",
            Setting::AppointmentsPhone => "In-person appointments line",
            Setting::Hours => "Help line hours (English)",
            Setting::HoursEs => "Help line hours (Spanish)",
            Setting::TranslationService => "Translation service",
            Setting::SafetyIntro => "Safety screen: introduction (English)",
            Setting::SafetyIntroEs => "Safety screen: introduction (Spanish)",
            Setting::RecordsTranslation => "Records in another language (English)",
            Setting::RecordsTranslationEs => "Records in another language (Spanish)",
        }
    }

    /// Where the family meets it.
    pub fn shown(self) -> &'static str {
        match self.shape() {
            Shape::Name { .. } | Shape::Phone { .. } => "On every page and email that names it.",
            Shape::Text { id: "safety-intro", .. } => "Above the two safety questions, before a case is opened.",
            Shape::Text { .. } => "On the records step of a new case, and on the case's records page.",
        }
    }

    pub fn shape(self) -> Shape {
        let name = |env| Shape::Name { env };
        let phone = |env| Shape::Phone { env };
        match self {
            Setting::Hospital => name("PROGRAM_HOSPITAL"),
            Setting::Partner => name("PROGRAM_PARTNER"),
            Setting::Phone => phone("PROGRAM_PHONE"),
            Setting::PhoneInternational => phone("PROGRAM_PHONE_INTERNATIONAL"),
            Setting::AppointmentsPhone => phone("PROGRAM_APPOINTMENTS_PHONE"),
            Setting::Hours => name("PROGRAM_HOURS"),
            Setting::HoursEs => name("PROGRAM_HOURS_ES"),
            Setting::TranslationService => name("PROGRAM_TRANSLATION_SERVICE"),
            Setting::SafetyIntro => Shape::Text { lang: Lang::En, id: "safety-intro" },
            Setting::SafetyIntroEs => Shape::Text { lang: Lang::Es, id: "safety-intro" },
            Setting::RecordsTranslation => Shape::Text { lang: Lang::En, id: "records-english-text" },
            Setting::RecordsTranslationEs => Shape::Text { lang: Lang::Es, id: "records-english-text" },
        }
    }

    /// Where the value comes from when the admin has not set it.
    pub fn configured_in(self) -> String {
        match self.shape() {
            Shape::Name { env } | Shape::Phone { env } => format!("the server's configuration ({env})"),
            Shape::Text { lang, .. } => {
                format!("the program's {} messages", if lang == Lang::Es { "Spanish" } else { "English" })
            }
        }
    }

    /// The value the configuration gives it.
    pub fn configured(self, p: &Program) -> String {
        self.value_in(p, crate::i18n::as_shipped)
    }

    fn value_in(self, p: &Program, text: impl FnOnce(Lang, &'static str) -> String) -> String {
        if let Shape::Text { lang, id } = self.shape() {
            return text(lang, id);
        }
        match self {
            Setting::Hospital => p.hospital.clone(),
            Setting::Partner => p.partner.clone(),
            Setting::Phone => p.phone.display.clone(),
            Setting::PhoneInternational => p.phone_international.display.clone(),
            Setting::AppointmentsPhone => p.appointments_phone.display.clone(),
            Setting::Hours => p.hours.clone(),
            Setting::HoursEs => p.hours_es.clone(),
            Setting::TranslationService => p.translation_service.clone(),
            text => unreachable!("{text:?} is a message, read above"),
        }
    }

    /// `raw` as this setting may hold it, or why not (the database agrees on
    /// length and markup; the configuration refuses the same characters).
    pub fn check(self, raw: &str) -> Result<String, &'static str> {
        let value = raw.trim();
        let limit = if matches!(self.shape(), Shape::Text { .. }) { 1000 } else { 200 };
        if value.is_empty() {
            return Err("Enter a value, or return the setting to its configuration.");
        }
        if value.chars().count() > limit {
            return Err(if limit == 1000 { "Keep it to 1,000 characters." } else { "Keep it to 200 characters." });
        }
        if value.contains(crate::config::MARKUP) {
            return Err("Leave out the characters < > \" { and }: the text goes into pages as it is.");
        }
        match self.shape() {
            Shape::Name { .. } | Shape::Phone { .. } if value.contains(['\n', '\r']) => Err("Keep it to one line."),
            Shape::Phone { .. } if Phone::parse(value).is_err() => {
                Err("Enter a phone number with its area code, such as (800) 941-1383, or + and the country code.")
            }
            _ => Ok(value.to_owned()),
        }
    }
}

/// A setting the admin made.
pub struct Override {
    pub setting: Setting,
    pub value: String,
    pub set_by: String,
    pub set_at: Timestamp,
}

/// The admin's settings, and the program they make with the configuration.
pub struct Overrides {
    pub rows: Vec<Override>,
    pub in_effect: Arc<InEffect>,
}

impl Overrides {
    pub fn get(&self, setting: Setting) -> Option<&Override> {
        self.rows.iter().find(|o| o.setting == setting)
    }
}

impl crate::reference_cache::Reference for Overrides {
    const CHANNEL: &'static str = "program_settings_changed";
    async fn load(conn: &mut PgConnection) -> anyhow::Result<Self> {
        let rows: Vec<Override> = sqlx::query!(
            r#"select s.setting as "setting: Setting", s.value, u.full_name as set_by,
                      s.set_at as "set_at: jiff_sqlx::Timestamp"
               from program_settings s join users u on u.id = s.set_by"#
        )
        .fetch_all(conn)
        .await?
        .into_iter()
        .map(|r| Override { setting: r.setting, value: r.value, set_by: r.set_by, set_at: r.set_at.to_jiff() })
        .collect();
        let in_effect = Arc::new(InEffect::new(crate::config::program(), &rows)?);
        Ok(Overrides { rows, in_effect })
    }
}

/// The program as a page or an email reads it.
pub struct InEffect {
    pub program: Arc<Program>,
    /// The messages the admin rewrote: (language, message id, text).
    texts: Vec<(Lang, &'static str, String)>,
}

impl InEffect {
    /// The configuration's program, with nothing the admin set.
    fn configured() -> InEffect {
        InEffect { program: Arc::new(crate::config::program().clone()), texts: Vec::new() }
    }

    fn new(configured: &Program, rows: &[Override]) -> anyhow::Result<InEffect> {
        let mut p = configured.clone();
        let mut texts = Vec::new();
        for o in rows {
            let v = o.value.clone();
            match o.setting {
                Setting::Hospital => p.hospital = v,
                Setting::Partner => p.partner = v,
                Setting::Phone => p.phone = Phone::parse(&v)?,
                Setting::PhoneInternational => p.phone_international = Phone::parse(&v)?,
                Setting::AppointmentsPhone => p.appointments_phone = Phone::parse(&v)?,
                Setting::Hours => p.hours = v,
                Setting::HoursEs => p.hours_es = v,
                Setting::TranslationService => p.translation_service = v,
                s => match s.shape() {
                    Shape::Text { lang, id } => texts.push((lang, id, v)),
                    _ => unreachable!("every name and number is set above"),
                },
            }
        }
        Ok(InEffect { program: Arc::new(p), texts })
    }

    /// The admin's text for the message `id` in `lang`, if they wrote one.
    pub fn text(&self, lang: Lang, id: &str) -> Option<&str> {
        self.texts.iter().find(|(l, i, _)| *l == lang && *i == id).map(|(_, _, t)| t.as_str())
    }

    /// What the setting holds now.
    pub fn value(&self, setting: Setting) -> String {
        setting.value_in(&self.program, |lang, id| {
            self.text(lang, id).map_or_else(|| crate::i18n::as_shipped(lang, id), str::to_owned)
        })
    }
}

tokio::task_local! {
    static IN_EFFECT: Arc<InEffect>;
}

/// Runs `work` with `program` as the one every message in it reads.
pub async fn scope<F: Future>(program: Arc<InEffect>, work: F) -> F::Output {
    IN_EFFECT.scope(program, work).await
}

/// Calls `f` with the program in effect, if inside a [`scope`].
pub fn with_scoped<R>(f: impl FnOnce(&InEffect) -> R) -> Option<R> {
    IN_EFFECT.try_with(|p| f(p)).ok()
}

/// The program's names as this request (or email) reads them.
pub fn current() -> Arc<Program> {
    with_scoped(|p| p.program.clone()).unwrap_or_else(|| Arc::new(crate::config::program().clone()))
}

/// The program in effect: from memory when the listener vouches for it, else read.
/// While the database can't be read, the last settings read, or before any
/// the configuration's names: a page that answers during an outage (the
/// landing page, the calm 503) still names the program, perhaps as it was.
pub async fn in_effect(cache: &Cache<Overrides>, db: &PgPool) -> Arc<InEffect> {
    if let Some(o) = cache.cached() {
        return o.in_effect.clone();
    }
    let read = async { anyhow::Ok(cache.get(&mut *db.acquire().await?).await?) };
    match read.await {
        Ok(o) => o.in_effect.clone(),
        Err(e) => {
            tracing::warn!(error = %e, "could not read the program's settings; using the last ones read");
            cache.last().map_or_else(|| Arc::new(InEffect::configured()), |o| o.in_effect.clone())
        }
    }
}

/// Middleware: the request runs with the program in effect when it arrived.
pub async fn per_request(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let program = in_effect(&state.program, &state.db).await;
    scope(program, next.run(req)).await
}
