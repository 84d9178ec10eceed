//! A question for the specialist: never empty, at most 2,000 characters.

use crate::i18n::Msg;
pub const MAX_QUESTION_CHARS: usize = 2000;
pub const MAX_QUESTIONS: usize = 5;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuestionText(String);

impl QuestionText {
    pub fn parse(raw: &str) -> Result<Self, Msg> {
        let text = raw.trim();
        if text.is_empty() {
            return Err(Msg("question-empty"));
        }
        if text.chars().count() > MAX_QUESTION_CHARS {
            return Err(Msg("question-too-long"));
        }
        if text.contains('\0') {
            return Err(Msg("question-bad-character"));
        }
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_only_is_empty() {
        assert!(QuestionText::parse(" \n\t ").is_err());
    }

    #[test]
    fn the_limit_counts_characters_not_bytes() {
        assert!(QuestionText::parse(&"é".repeat(2000)).is_ok());
        assert!(QuestionText::parse(&"😀".repeat(2000)).is_ok());
        assert!(QuestionText::parse(&"a".repeat(2001)).is_err());
    }

    #[test]
    fn markup_is_kept_verbatim_for_escaping_later() {
        let q = QuestionText::parse("<script>alert(1)</script>").unwrap();
        assert_eq!(q.as_str(), "<script>alert(1)</script>");
    }
}
