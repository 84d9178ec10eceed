//! The family's side in English and Spanish, through one translation layer:
//! Project Fluent messages in `locales/<lang>/*.ftl`, embedded at build time.
//! Every sentence a family reads is a message (with plural and gender rules
//! where Spanish needs them), never text glued together in code. Staff pages
//! stay in English and mostly don't go through here.
//!
//! Which language a request gets is decided once, by [`choose`] in the
//! [`negotiate`] middleware: the account's choice, else the visitor's
//! `so_lang` cookie (the switch on every page), else `Accept-Language`.
//!
//! The folder: [`lang`] (the languages and how a request's is chosen),
//! this file (the messages and their lookup), [`labels`] (domain values'
//! names and refusals as messages), [`format`] (dates, times and money as
//! each language writes them).

mod format;
mod labels;
mod lang;

pub use format::*;
pub use labels::{Labelled, Msg, Say};
pub use lang::{COOKIE, Lang, choose, negotiate};

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{LazyLock, PoisonError, RwLock};

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

/// The program's names and numbers as Fluent terms every message can use:
/// `{ -partner }`, `{ -phone }`, `{ -phone-tel }`, `{ -hours }`… The admin may
/// change them while the process runs (`program`), and Fluent's bundles are
/// built once, so each term is a placeholder character from Unicode's private
/// use area that [`lookup`] replaces with the value in effect.
const TERMS: [&str; 10] = [
    "hospital",
    "partner",
    "phone",
    "phone-tel",
    "phone-intl",
    "phone-intl-tel",
    "appointments-phone",
    "appointments-tel",
    "hours",
    "translation-service",
];
/// The placeholder of `TERMS[0]`; the others follow it.
const FIRST_TERM: u32 = 0xF8E0;

/// The first byte of every placeholder in UTF-8 (U+F000 to U+FFFF all start with it).
const TERM_LEAD_BYTE: u8 = 0xEF;
const _: () = assert!(FIRST_TERM >= 0xF000 && FIRST_TERM + TERMS.len() as u32 <= 0xFFFF);

fn term_char(index: usize) -> char {
    char::from_u32(FIRST_TERM + index as u32).expect("the placeholders are characters")
}

fn add_program_terms(
    bundle: &mut fluent_templates::FluentBundle<&'static fluent_templates::fluent_bundle::FluentResource>,
) {
    let source: String =
        TERMS.iter().enumerate().map(|(i, name)| format!("-{name} = {{ \"{}\" }}\n", term_char(i))).collect();
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

/// `text` with each term's placeholder replaced by the program's value in effect.
fn with_program(lang: Lang, text: Cow<'_, str>) -> String {
    let is_term = |c: char| (FIRST_TERM..FIRST_TERM + TERMS.len() as u32).contains(&u32::from(c));
    // Most messages name no term: a byte search says so without decoding them.
    if !text.as_bytes().contains(&TERM_LEAD_BYTE) {
        return text.into_owned();
    }
    let p = crate::program::current();
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = &text[..];
    while let Some(at) = rest.find(is_term) {
        let term = rest[at..].chars().next().expect("a placeholder was found here");
        out.push_str(&rest[..at]);
        out.push_str(match TERMS[(u32::from(term) - FIRST_TERM) as usize] {
            "hospital" => &p.hospital,
            "partner" => &p.partner,
            "phone" => &p.phone.display,
            "phone-tel" => &p.phone.tel,
            "phone-intl" => &p.phone_international.display,
            "phone-intl-tel" => &p.phone_international.tel,
            "appointments-phone" => &p.appointments_phone.display,
            "appointments-tel" => &p.appointments_phone.tel,
            "hours" if lang == Lang::Es => &p.hours_es,
            "hours" => &p.hours,
            "translation-service" => &p.translation_service,
            other => unreachable!("{other} is in TERMS"),
        });
        rest = &rest[at + term.len_utf8()..];
    }
    out.push_str(rest);
    out
}

/// The message `id` as the program ships it, whatever the admin rewrote.
pub fn as_shipped(lang: Lang, id: &str) -> String {
    format_message(lang, id, None)
}

impl Lang {
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
        impl From<&&$t> for Arg {
            fn from(v: &&$t) -> Self {
                Arg(FluentValue::from(**v as i64))
            }
        }
    )*};
}
number_args!(i16, i32, i64, u32, usize);

fn lookup(lang: Lang, id: &str, args: Option<&HashMap<Cow<'static, str>, FluentValue<'static>>>) -> String {
    // The texts the admin may rewrite take no arguments.
    if args.is_none()
        && let Some(text) = crate::program::with_scoped(|p| p.text(lang, id).map(str::to_owned)).flatten()
    {
        return text;
    }
    format_message(lang, id, args)
}

/// Messages without arguments as Fluent formatted them, placeholders and all,
/// per language: a page asks for a hundred of them, and formatting each afresh
/// was a fifth of the landing page's CPU. Bounded by the messages that exist.
static PLAIN: LazyLock<[Memo; 2]> = LazyLock::new(Default::default);

/// One language's formatted messages, by id.
type Memo = RwLock<HashMap<Box<str>, Box<str>>>;

fn format_message(lang: Lang, id: &str, args: Option<&HashMap<Cow<'static, str>, FluentValue<'static>>>) -> String {
    // `th(id, vec![])` passes no arguments too.
    let text = match args.filter(|args| !args.is_empty()) {
        Some(args) => {
            LOCALES.try_lookup_complete(&lang.id(), id, Some(args)).map(|text| with_program(lang, text.into()))
        }
        None => with_plain(lang, id, |text| with_program(lang, Cow::Borrowed(text))),
    };
    match text {
        Some(text) => text,
        None => {
            // A test keeps every id a page asks for present in both
            // languages; should one slip through, the page still renders.
            tracing::error!(id, lang = lang.tag(), "missing translation");
            id.to_owned()
        }
    }
}

/// `then` of the message `id` without arguments, formatted once per process and language.
fn with_plain<R>(lang: Lang, id: &str, then: impl FnOnce(&str) -> R) -> Option<R> {
    let memo = &PLAIN[lang as usize];
    if let Some(text) = memo.read().unwrap_or_else(PoisonError::into_inner).get(id) {
        return Some(then(text));
    }
    let text: Box<str> = LOCALES.try_lookup_complete(&lang.id(), id, None)?.into();
    let out = then(&text);
    memo.write().unwrap_or_else(PoisonError::into_inner).insert(id.into(), text);
    Some(out)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals_follow_each_language() {
        assert_eq!(Lang::En.t1("dashboard-age", "years", 1), "1 year old");
        assert_eq!(Lang::En.t1("dashboard-age", "years", 7), "7 years old");
        assert_eq!(Lang::Es.t1("dashboard-age", "years", 1), "1 año");
        assert_eq!(Lang::Es.t1("dashboard-age", "years", 3), "3 años");
    }

    #[test]
    fn a_message_read_again_is_formatted_as_the_first_time() {
        for lang in [Lang::En, Lang::Es] {
            let fluent = |id| LOCALES.try_lookup_complete(&lang.id(), id, None).expect("the message exists");
            for id in ["landing-fee-unknown", "skip-link"] {
                assert_eq!(lang.t(id), fluent(id), "{id} first");
                assert_eq!(lang.t(id), fluent(id), "{id} from memory");
            }
            // A term's placeholder is filled on every reading, from memory too.
            let partner = &crate::config::program().partner;
            for _ in 0..2 {
                let text = lang.t("team-not-yet");
                assert!(text.contains(partner.as_str()) && !text.contains(term_char(1)), "{text}");
            }
        }
    }

    #[test]
    fn markup_messages_escape_their_arguments() {
        let html = Lang::En.th("signed-in-as-html", vec![("name", "<script>".into())]);
        assert!(html.0.contains("&lt;script&gt;"), "{}", html.0);
        assert!(html.0.contains("<bdi>"), "{}", html.0);
    }
}
