//! The safety screen, asked before any case is opened (issue 14): does the
//! child have signs of an emergency right now, and must a treatment
//! decision be made within a week? Every answer is kept (migration 0031),
//! with its time, its language and the version of the wording read. An
//! emergency answer stops there, with no case; any other answer opens
//! exactly one case (the database refuses a case without a screen, after
//! an emergency, or a second case from one screen). The signs and wording
//! are configuration: `locales/<lang>/safety.ftl`.

use crate::domain::{ChildId, SafetyScreenId, UserId};
use crate::error::AppError;
use crate::i18n::{Lang, Msg};
use crate::web::forms::FormErrors;
use jiff::Timestamp;
use jiff_sqlx::ToSqlx;
use sha2::{Digest, Sha256};
use sqlx::PgConnection;

/// The answers as chosen on the form ("yes", "no" or nothing), kept on a
/// refused form.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct Choice {
    #[serde(default)]
    pub emergency: String,
    #[serde(default)]
    pub decision_soon: String,
}

/// The answers, both given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Answers {
    pub emergency: bool,
    pub decision_soon: bool,
}

fn yes_no(raw: &str) -> Option<bool> {
    match raw.trim() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

impl Choice {
    /// Both answers, or an error for each one missing.
    pub fn parse(&self, errors: &mut FormErrors) -> Option<Answers> {
        let emergency = yes_no(&self.emergency);
        if emergency.is_none() {
            errors.add("emergency", Msg("safety-emergency-missing"));
        }
        let decision_soon = yes_no(&self.decision_soon);
        if decision_soon.is_none() {
            errors.add("decision_soon", Msg("safety-decision-missing"));
        }
        Some(Answers { emergency: emergency?, decision_soon: decision_soon? })
    }
}

/// The version of the wording: a digest of both languages' files, so a
/// change to either is a new version on the answers given after it.
pub fn version() -> String {
    let mut digest = Sha256::new();
    digest.update(include_str!("../../locales/en/safety.ftl"));
    digest.update(include_str!("../../locales/es/safety.ftl"));
    hex::encode(&digest.finalize()[..8])
}

/// Keeps `user`'s answers about `child`, read in `lang`, in the caller's
/// transaction. Someone who is not the child's guardian gets a 404.
pub async fn record(
    conn: &mut PgConnection,
    user: UserId,
    child: ChildId,
    answers: Answers,
    lang: Lang,
    at: Timestamp,
) -> Result<SafetyScreenId, AppError> {
    sqlx::query_scalar!(
        r#"insert into safety_screens (user_id, child_id, emergency, decision_soon, answered_at, version, language)
           select $1, $2, $3, $4, $5, $6, $7 where is_guardian($2, $1)
           returning id as "id: SafetyScreenId""#,
        user as UserId,
        child as ChildId,
        answers.emergency,
        answers.decision_soon,
        at.to_sqlx() as _,
        version(),
        lang as Lang
    )
    .fetch_optional(conn)
    .await?
    .ok_or(AppError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_answers_are_needed_and_only_yes_or_no_counts() {
        let mut errors = FormErrors::default();
        let choice = Choice { emergency: "no".into(), decision_soon: "yes".into() };
        assert_eq!(choice.parse(&mut errors), Some(Answers { emergency: false, decision_soon: true }));
        assert!(errors.is_empty());
        let choice = Choice { emergency: "maybe".into(), decision_soon: String::new() };
        assert_eq!(choice.parse(&mut errors), None);
        assert!(errors.get("emergency").is_some() && errors.get("decision_soon").is_some());
        assert!(version().len() == 16);
    }
}
