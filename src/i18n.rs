//! The family's side in English and Spanish, through one translation layer:
//! Project Fluent messages in `locales/<lang>/*.ftl`, embedded at build time.
//! Every sentence a family reads is a message (with plural and gender rules
//! where Spanish needs them), never text glued together in code. Staff pages
//! stay in English and mostly don't go through here.
//!
//! Which language a request gets is decided once, by [`choose`] in the
//! [`negotiate`] middleware: the account's choice, else the visitor's
//! `so_lang` cookie (the switch on every page), else `Accept-Language`.

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};
use std::borrow::Cow;
use std::collections::HashMap;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // No Unicode isolation marks around arguments: pages use <bdi> for
        // names, and the marks would only get in the way of copy and search.
        customise: |bundle| {
            bundle.set_use_isolating(false);
            add_program_terms(bundle);
        },
    };
}

/// The program's names and numbers (configuration, `config::Program`) as
/// Fluent terms every message can use: `{ -partner }`, `{ -phone }`,
/// `{ -phone-tel }`, `{ -hours }`… Added once per language, when the first
/// message is looked up (after startup has installed the configuration).
fn add_program_terms(
    bundle: &mut fluent_templates::FluentBundle<&'static fluent_templates::fluent_bundle::FluentResource>,
) {
    let p = crate::config::program();
    let spanish = bundle.locales.first().is_some_and(|l| l.language.as_str() == "es");
    let quoted = |v: &str| format!("{{ \"{}\" }}", v.replace('\\', "\\\\").replace('"', "\\\""));
    let terms = [
        ("hospital", p.hospital.as_str()),
        ("partner", p.partner.as_str()),
        ("phone", p.phone.display.as_str()),
        ("phone-tel", p.phone.tel.as_str()),
        ("phone-intl", p.phone_international.display.as_str()),
        ("phone-intl-tel", p.phone_international.tel.as_str()),
        ("appointments-phone", p.appointments_phone.display.as_str()),
        ("appointments-tel", p.appointments_phone.tel.as_str()),
        ("hours", if spanish { p.hours_es.as_str() } else { p.hours.as_str() }),
        ("translation-service", p.translation_service.as_str()),
    ];
    let source: String = terms.iter().map(|(name, value)| format!("-{name} = {}\n", quoted(value))).collect();
    match fluent_templates::fluent_bundle::FluentResource::try_new(source) {
        Ok(resource) => {
            // Two languages, once each, for the life of the process.
            let resource: &'static _ = Box::leak(Box::new(resource));
            if let Err(errors) = bundle.add_resource(resource) {
                tracing::error!(?errors, "the program's names could not be added to the messages");
            }
        }
        Err((_, errors)) => tracing::error!(?errors, "the program's names could not be read as Fluent terms"),
    }
}

/// A language the family's side is written in (Postgres enum `language`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, sqlx::Type, serde::Serialize, serde::Deserialize)]
#[sqlx(type_name = "language", rename_all = "lowercase")]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Es,
}

/// The cookie that keeps a visitor's choice (no session row is made for it).
pub const COOKIE: &str = "so_lang";

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Es];

    /// The BCP 47 tag, for `<html lang>` and the cookie.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    /// The language's name in itself, as the switch offers it.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Es => "Español",
        }
    }

    pub fn parse(raw: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.tag() == raw.trim())
    }

    /// The other language: what the switch offers.
    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Es,
            Lang::Es => Lang::En,
        }
    }

    /// The best of our languages for an `Accept-Language` header (RFC 9110
    /// §12.5.4: weights, `es-MX` counts as `es`, `*` as anything), or `None`
    /// when it names neither.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(Lang, f32, usize)> = None;
        for (position, item) in header.split(',').enumerate() {
            let mut parts = item.split(';');
            let range = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let weight = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if weight <= 0.0 {
                continue;
            }
            let primary = range.split('-').next().unwrap_or("");
            let Some(lang) = Lang::parse(primary) else { continue };
            // Higher weight wins; on a tie, the one listed first.
            if best.is_none_or(|(_, w, p)| weight > w || (weight == w && position < p)) {
                best = Some((lang, weight, position));
            }
        }
        best.map(|(lang, _, _)| lang)
    }

    fn id(self) -> LanguageIdentifier {
        match self {
            Lang::En => fluent_templates::langid!("en"),
            Lang::Es => fluent_templates::langid!("es"),
        }
    }

    /// The message `id` in this language.
    pub fn t(self, id: &str) -> String {
        lookup(self, id, None)
    }

    /// The message `id` with one argument.
    pub fn t1(self, id: &str, k: &'static str, v: impl Into<Arg>) -> String {
        self.ta(id, vec![(k, v.into())])
    }

    /// The message `id` with two arguments.
    pub fn t2(self, id: &str, k1: &'static str, v1: impl Into<Arg>, k2: &'static str, v2: impl Into<Arg>) -> String {
        self.ta(id, vec![(k1, v1.into()), (k2, v2.into())])
    }

    /// The message `id` with three arguments.
    // A message's id and three named values: templates can't build a Vec.
    #[allow(clippy::too_many_arguments)]
    pub fn t3(
        self,
        id: &str,
        k1: &'static str,
        v1: impl Into<Arg>,
        k2: &'static str,
        v2: impl Into<Arg>,
        k3: &'static str,
        v3: impl Into<Arg>,
    ) -> String {
        self.ta(id, vec![(k1, v1.into()), (k2, v2.into()), (k3, v3.into())])
    }

    /// The message `id` with any number of arguments.
    pub fn ta(self, id: &str, args: Vec<(&'static str, Arg)>) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue<'static>> =
            args.into_iter().map(|(k, v)| (Cow::Borrowed(k), v.0)).collect();
        lookup(self, id, Some(&args))
    }

    /// A message whose text holds markup (its id ends in `-html`): the
    /// arguments are escaped, the message itself is ours and trusted.
    pub fn th(self, id: &str, args: Vec<(&'static str, Arg)>) -> askama::filters::Safe<String> {
        debug_assert!(id.ends_with("-html"), "{id}: only -html messages carry markup");
        let escaped = args
            .into_iter()
            .map(|(k, v)| match v.0 {
                FluentValue::String(s) => (k, Arg(FluentValue::from(escape(&s)))),
                other => (k, Arg(other)),
            })
            .collect();
        let text = self.ta(id, escaped);
        // An id without `-html` would put unescaped text on the page: escape it instead.
        askama::filters::Safe(if id.ends_with("-html") { text } else { escape(&text) })
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.tag())
    }
}

/// A value for a message's `{ $name }`: text, or a number (which selects
/// plural forms: `{ $n -> [one] … *[other] … }`).
pub struct Arg(FluentValue<'static>);

impl From<&str> for Arg {
    fn from(v: &str) -> Self {
        Arg(FluentValue::from(v.to_owned()))
    }
}
impl From<String> for Arg {
    fn from(v: String) -> Self {
        Arg(FluentValue::from(v))
    }
}
impl From<&String> for Arg {
    fn from(v: &String) -> Self {
        Arg(FluentValue::from(v.clone()))
    }
}
impl From<&&String> for Arg {
    fn from(v: &&String) -> Self {
        Arg(FluentValue::from((*v).clone()))
    }
}
impl From<&&str> for Arg {
    fn from(v: &&str) -> Self {
        Arg(FluentValue::from((*v).to_owned()))
    }
}
macro_rules! number_args {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(v: $t) -> Self {
                Arg(FluentValue::from(v as i64))
            }
        }
        impl From<&$t> for Arg {
            fn from(v: &$t) -> Self {
                Arg(FluentValue::from(*v as i64))
            }
        }
    )*};
}
number_args!(i16, i32, i64, u32, usize);

fn lookup(lang: Lang, id: &str, args: Option<&HashMap<Cow<'static, str>, FluentValue<'static>>>) -> String {
    match LOCALES.try_lookup_complete(&lang.id(), id, args) {
        Some(text) => text,
        None => {
            // A test keeps every id a page asks for present in both
            // languages; should one slip through, the page still renders.
            tracing::error!(id, lang = lang.tag(), "missing translation");
            id.to_owned()
        }
    }
}

/// The five characters HTML gives meaning to, as entities.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A message id with its arguments, made where no language is known yet
/// (a domain rule's refusal) and put into words where one is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Msg(pub &'static str);

impl Msg {
    pub fn in_lang(self, lang: Lang) -> String {
        lang.t(self.0)
    }
}

/// English, for logs, the command line and staff pages that print a refusal.
impl std::fmt::Display for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&Lang::En.t(self.0))
    }
}

impl std::error::Error for Msg {}

/// Something to tell a person: a message of ours (put into their language)
/// or text already in words (staff pages write English directly).
pub trait Say {
    fn say(&self, lang: Lang) -> String;
}

impl Say for Msg {
    fn say(&self, lang: Lang) -> String {
        self.in_lang(lang)
    }
}
impl Say for &str {
    fn say(&self, _: Lang) -> String {
        (*self).to_owned()
    }
}
impl Say for String {
    fn say(&self, _: Lang) -> String {
        self.clone()
    }
}
impl Say for &String {
    fn say(&self, _: Lang) -> String {
        (*self).clone()
    }
}

/// A domain value with a name families read (a state, a relationship…):
/// its message id. The English words staff pages use stay in `domain`.
pub trait Labelled {
    fn msg(&self) -> Msg;
}

impl<T: Labelled> Labelled for &T {
    fn msg(&self) -> Msg {
        (**self).msg()
    }
}

macro_rules! labels {
    ($t:ty { $($variant:ident => $id:literal),* $(,)? }) => {
        impl Labelled for $t {
            fn msg(&self) -> Msg {
                match self { $(<$t>::$variant => Msg($id)),* }
            }
        }
    };
}

use crate::domain::opinion::OpinionOutcome;
use crate::domain::{
    CaseStatus, EmailUpdates, FeeKind, FeeStatus, PurposeKind, RecordStatus, ReferralStatus, RefundStatus,
    Relationship, Sex,
};
labels!(CaseStatus {
    Draft => "status-draft", Submitted => "status-submitted", CollectingRecords => "status-collecting-records",
    ReadyForReview => "status-ready-for-review", InReview => "status-in-review",
    OpinionDelivered => "status-opinion-delivered", Closed => "status-closed", Cancelled => "status-cancelled",
});
labels!(Sex { Female => "sex-female", Male => "sex-male", Intersex => "sex-intersex", NotStated => "sex-not-stated" });
labels!(Relationship {
    Parent => "relationship-parent", LegalGuardian => "relationship-legal-guardian",
    LegalRepresentative => "relationship-legal-representative",
});
labels!(RecordStatus {
    NotRequested => "record-not-requested", Requested => "record-requested", Received => "record-received",
    Digitized => "record-digitized", Unavailable => "record-unavailable",
});
labels!(FeeKind { Imaging => "fee-kind-imaging", Pathology => "fee-kind-pathology" });
labels!(FeeStatus {
    Requested => "fee-status-requested", Paid => "fee-status-paid", Declined => "fee-status-declined",
    Waived => "fee-status-waived", Withdrawn => "fee-status-withdrawn",
});
labels!(ReferralStatus {
    Requested => "referral-requested", VisitArranged => "referral-visit-arranged",
    ReferralSent => "referral-sent", NotNeeded => "referral-not-needed",
});
labels!(OpinionOutcome {
    Agrees => "outcome-agrees", AgreesDiagnosisDifferentTreatment => "outcome-agrees-diagnosis",
    DifferentDiagnosis => "outcome-different-diagnosis",
});
labels!(EmailUpdates { EveryStep => "email-updates-every-step", Essential => "email-updates-essential" });
labels!(PurposeKind { CaseFee => "purpose-case-fee", AdditionalFee => "purpose-additional-fee" });
labels!(RefundStatus {
    Requested => "refund-requested", Succeeded => "refund-succeeded", Failed => "refund-failed",
    Manual => "refund-requested",
});
labels!(Lang { En => "language-en", Es => "language-es" });

/// The language a request is answered in: the account's choice, else the
/// switch's cookie, else what the browser asks for, else English.
pub fn choose(account: Option<Lang>, cookie: Option<&str>, accept_language: Option<&str>) -> Lang {
    account
        .or_else(|| cookie.and_then(Lang::parse))
        .or_else(|| accept_language.and_then(Lang::from_accept_language))
        .unwrap_or_default()
}

/// Middleware (after `authenticate`): puts the request's [`Lang`] in its
/// extensions, for `PageContext`, handlers and error pages. Staff pages stay
/// English, whatever the browser says. Reads no database: the account's
/// choice came with the signed-in user.
pub async fn negotiate(mut request: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    let user = request.extensions().get::<crate::web::extract::CurrentUser>();
    let lang = match user {
        Some(u) if u.role != crate::domain::Role::Family => Lang::En,
        user => {
            let headers = request.headers();
            let cookie = crate::web::extract::cookie(headers, COOKIE);
            let accept = headers.get(axum::http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
            choose(user.and_then(|u| u.language), cookie.as_deref(), accept)
        }
    };
    request.extensions_mut().insert(lang);
    next.run(request).await
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<Lang>().copied().unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_weights_and_regions() {
        assert_eq!(Lang::from_accept_language("es-MX,es;q=0.9,en;q=0.8"), Some(Lang::Es));
        assert_eq!(Lang::from_accept_language("en-US,en;q=0.9,es;q=0.8"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("fr-FR, es;q=0.5, en;q=0.3"), Some(Lang::Es));
        assert_eq!(Lang::from_accept_language("ES"), Some(Lang::Es));
        assert_eq!(Lang::from_accept_language("es;q=0, en;q=0.1"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("de, fr"), None);
        assert_eq!(Lang::from_accept_language(""), None);
    }

    #[test]
    fn the_account_then_the_cookie_then_the_browser() {
        assert_eq!(choose(Some(Lang::En), Some("es"), Some("es")), Lang::En);
        assert_eq!(choose(None, Some("es"), Some("en")), Lang::Es);
        assert_eq!(choose(None, Some("klingon"), Some("es-419")), Lang::Es);
        assert_eq!(choose(None, None, None), Lang::En);
    }

    #[test]
    fn plurals_follow_each_language() {
        assert_eq!(Lang::En.t1("dashboard-age", "years", 1), "1 year old");
        assert_eq!(Lang::En.t1("dashboard-age", "years", 7), "7 years old");
        assert_eq!(Lang::Es.t1("dashboard-age", "years", 1), "1 año");
        assert_eq!(Lang::Es.t1("dashboard-age", "years", 3), "3 años");
    }

    #[test]
    fn markup_messages_escape_their_arguments() {
        let html = Lang::En.th("signed-in-as-html", vec![("name", "<script>".into())]);
        assert!(html.0.contains("&lt;script&gt;"), "{}", html.0);
        assert!(html.0.contains("<bdi>"), "{}", html.0);
    }
}
