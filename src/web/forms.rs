//! Form plumbing: a `Form` extractor whose rejections are `AppError`s, and
//! field errors that pages show next to each field and in a summary.

use crate::domain::text::Bounded;
use crate::error::AppError;
use crate::i18n::{Lang, Say};
use axum::extract::FromRequest;

/// `axum::Form`, but a malformed or wrong-type body becomes a calm error page.
#[derive(FromRequest)]
#[from_request(via(axum::Form), rejection(AppError))]
pub struct Form<T>(pub T);

/// Removes control characters (NUL and the like) from a one-line field such
/// as a search; true when there were any.
pub fn strip_control(value: &mut String) -> bool {
    let had = value.chars().any(char::is_control);
    if had {
        value.retain(|c| !c.is_control());
    }
    had
}

/// One message per field, in page order; the summary links to `#field`.
/// Messages are put into the page's language as they are added ([`Say`]:
/// a message id of ours, or text already in words).
#[derive(Debug, Default)]
pub struct FormErrors {
    lang: Lang,
    errors: Vec<(std::borrow::Cow<'static, str>, String)>,
}

impl FormErrors {
    /// Errors for a page in `lang` (`default()` is English, for staff pages).
    pub fn new(lang: Lang) -> Self {
        FormErrors { lang, errors: Vec::new() }
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    pub fn add(&mut self, field: &'static str, message: impl Say) {
        let message = message.say(self.lang);
        self.errors.push((field.into(), message));
    }

    /// For fields named at run time (one per question).
    pub fn add_owned(&mut self, field: String, message: impl Say) {
        let message = message.say(self.lang);
        self.errors.push((field.into(), message));
    }

    /// Records the error of a parse result and returns its value, if any.
    pub fn check<T, E: Say>(&mut self, field: &'static str, result: Result<T, E>) -> Option<T> {
        result.map_err(|m| self.add(field, m)).ok()
    }

    /// A free-text field that may be empty; `label` names it in the message ("The phone number").
    pub fn text<const MAX: usize>(&mut self, field: &'static str, raw: &str, label: impl Say) -> Option<Bounded<MAX>> {
        let lang = self.lang;
        Bounded::parse(raw).map_err(|e| self.add(field, e.message_in(lang, &label.say(lang), ""))).ok()
    }

    /// A free-text field that must say something; `if_empty` is the sentence when it doesn't.
    pub fn required_text<const MAX: usize>(
        &mut self,
        field: &'static str,
        raw: &str,
        label: impl Say,
        if_empty: impl Say,
    ) -> Option<Bounded<MAX>> {
        let lang = self.lang;
        Bounded::parse_required(raw)
            .map_err(|e| self.add(field, e.message_in(lang, &label.say(lang), &if_empty.say(lang))))
            .ok()
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.errors.iter().find(|(f, _)| *f == field).map(|(_, m)| m.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.errors.iter().map(|(f, m)| (f.as_ref(), m.as_str()))
    }
}
