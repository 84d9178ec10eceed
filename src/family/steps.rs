//! The wizard's step list. Where a step has something typed, each step is a
//! submit button of that step's form (`form="step-form" name="go"`), so
//! going anywhere saves first, with or without JavaScript; the handler then
//! goes where `go` says ([`Steps::after`]).

use crate::domain::CaseId;

/// The wizard's steps, in order: (key, the message id of its label).
pub const STEPS: [(&str, &str); 5] = [
    ("details", "step-details"),
    ("records", "step-records"),
    ("questions", "step-questions"),
    ("specialist", "step-specialist"),
    ("review", "step-review"),
];

/// The step list shown above each wizard page.
pub struct Steps {
    pub case: CaseId,
    pub current: &'static str,
    /// The id of the page's form that each step's button submits (saving
    /// what was typed); `None` where there is nothing to save (plain links).
    pub form: Option<&'static str>,
    /// A step the person asked to go to, when what they typed could not be saved.
    pub leaving: Option<&'static str>,
}

impl Steps {
    pub fn new(case: CaseId, current: &'static str) -> Self {
        Steps { case, current, form: Some("step-form"), leaving: None }
    }

    pub fn all(&self) -> Vec<(&'static str, &'static str, String)> {
        STEPS.iter().map(|&(key, label)| (key, label, Self::href(self.case, key))).collect()
    }

    pub fn href(case: CaseId, key: &str) -> String {
        format!("/family/cases/{case}/{key}")
    }

    /// The step a form's `go` names (`None` for anything else).
    pub fn named(go: &str) -> Option<&'static str> {
        STEPS.iter().map(|&(key, _)| key).find(|key| *key == go)
    }

    /// Where to go after saving: the step asked for, or the next one.
    pub fn after(case: CaseId, current: &str, go: &str) -> String {
        let next = STEPS.iter().skip_while(|(key, _)| *key != current).nth(1).map_or("review", |(key, _)| key);
        Self::href(case, Self::named(go).unwrap_or(next))
    }

    /// Remembers where the person wanted to go, for "leave without saving".
    pub fn leaving(mut self, go: &str) -> Self {
        self.leaving = Self::named(go).filter(|key| *key != self.current);
        self
    }

    /// "Go to Your questions without saving" (the step asked for).
    pub fn leave_link(&self) -> Option<(&'static str, String)> {
        let key = self.leaving?;
        STEPS.iter().find(|(k, _)| *k == key).map(|&(_, label)| (label, Self::href(self.case, key)))
    }
}
