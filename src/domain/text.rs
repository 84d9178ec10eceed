//! Free text as people type it: trimmed, without control characters (other
//! than line breaks and tabs) or NUL, and at most as long as the database's
//! check constraint allows. One type for every such field, so a page's limit
//! and the database's can't drift apart (a test compares them).

use std::fmt;

/// Text of at most `MAX` characters (Unicode scalar values, as PostgreSQL's
/// `char_length` counts them), already trimmed. It may be empty; forms that
/// need something use [`Bounded::parse_required`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bounded<const MAX: usize>(String);

/// Why a text field was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextError {
    Empty,
    TooLong {
        max: usize,
    },
    /// NUL or another control character (PostgreSQL refuses NUL in text).
    BadCharacter,
}

impl TextError {
    /// The sentence for the page, naming the field as `label` ("The note").
    pub fn message(self, label: &str, if_empty: &str) -> String {
        self.message_in(crate::i18n::Lang::En, label, if_empty)
    }

    /// The same, in `lang` (`label` and `if_empty` already in it).
    pub fn message_in(self, lang: crate::i18n::Lang, label: &str, if_empty: &str) -> String {
        match self {
            TextError::Empty => if_empty.to_owned(),
            TextError::TooLong { max } => lang.t2("text-too-long", "label", label, "max", thousands(max)),
            TextError::BadCharacter => lang.t1("text-bad-character", "label", label),
        }
    }
}

impl<const MAX: usize> Bounded<MAX> {
    pub const MAX: usize = MAX;

    pub fn parse(raw: &str) -> Result<Self, TextError> {
        let text = raw.trim();
        if text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
            return Err(TextError::BadCharacter);
        }
        if text.chars().count() > MAX {
            return Err(TextError::TooLong { max: MAX });
        }
        Ok(Self(text.to_owned()))
    }

    pub fn parse_required(raw: &str) -> Result<Self, TextError> {
        let text = Self::parse(raw)?;
        if text.0.is_empty() { Err(TextError::Empty) } else { Ok(text) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

impl<const MAX: usize> fmt::Display for Bounded<MAX> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `20000` → `20,000`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

// The free-text columns forms write, each with its database limit.
pub type ContactPhone = Bounded<40>;
pub type CaseSummary = Bounded<4000>;
pub type DoctorOrClinic = Bounded<200>;
pub type SpecialistNote = Bounded<1000>;
pub type Facility = Bounded<200>;
pub type RecordsDescription = Bounded<2000>;
pub type DateRange = Bounded<200>;
pub type Language = Bounded<60>;
pub type UnavailableReason = Bounded<500>;
pub type NoteBody = Bounded<4000>;
pub type FeeReason = Bounded<2000>;
pub type OpinionText = Bounded<20000>;
pub type PcpNotes = Bounded<10000>;
pub type FollowUpBody = Bounded<2000>;
pub type FollowUpAnswer = Bounded<10000>;
pub type CallNotes = Bounded<4000>;
pub type ReferralNote = Bounded<2000>;
pub type Specialty = Bounded<120>;
pub type CallTimes = Bounded<200>;
pub type RecordRequestBody = Bounded<2000>;
pub type SuggestionReason = Bounded<2000>;
/// Why a case is closed with something still open (kept on its timeline).
pub type CloseReason = Bounded<1000>;
pub type EventNote = Bounded<2000>;
pub type Credentials = Bounded<120>;
pub type ClinicalFocus = Bounded<1000>;
pub type MessageBody = Bounded<4000>;
pub type SignerName = Bounded<200>;
pub type CorrectionReason = Bounded<1000>;
pub type BreakGlassReason = Bounded<1000>;
/// A day the hospital is closed, as the admin names it.
pub type HolidayName = Bounded<100>;

/// `(table, column, limit)` for every alias above (and the question and name
/// types), which a test compares with the database's check constraints.
pub const COLUMN_LIMITS: &[(&str, &str, usize)] = &[
    ("break_glass_openings", "reason", BreakGlassReason::MAX),
    ("cases", "contact_phone", ContactPhone::MAX),
    ("cases", "diagnosis_summary", CaseSummary::MAX),
    ("cases", "treatment_summary", CaseSummary::MAX),
    ("cases", "treating_physician", DoctorOrClinic::MAX),
    ("cases", "treating_clinic", DoctorOrClinic::MAX),
    ("cases", "requested_specialist_note", SpecialistNote::MAX),
    ("record_sources", "facility", Facility::MAX),
    ("record_sources", "contact_name", DoctorOrClinic::MAX),
    ("record_sources", "phone", ContactPhone::MAX),
    ("record_sources", "records_description", RecordsDescription::MAX),
    ("record_sources", "date_range", DateRange::MAX),
    ("record_sources", "language", Language::MAX),
    ("record_sources", "unavailable_reason", UnavailableReason::MAX),
    ("case_notes", "body", NoteBody::MAX),
    ("fee_requests", "reason", FeeReason::MAX),
    ("opinions", "summary", OpinionText::MAX),
    ("opinions", "recommendations", OpinionText::MAX),
    ("opinions", "pcp_notes", PcpNotes::MAX),
    ("opinion_answers", "body", OpinionText::MAX),
    ("follow_up_questions", "body", FollowUpBody::MAX),
    ("follow_up_questions", "answer", FollowUpAnswer::MAX),
    ("follow_up_calls", "notes", CallNotes::MAX),
    ("referral_requests", "note", ReferralNote::MAX),
    ("specialists", "specialty", Specialty::MAX),
    ("cases", "call_times", CallTimes::MAX),
    ("record_requests", "body", RecordRequestBody::MAX),
    ("fee_suggestions", "reason", SuggestionReason::MAX),
    ("fee_suggestions", "dismiss_reason", SuggestionReason::MAX),
    ("case_events", "note", EventNote::MAX),
    ("specialists", "credentials", Credentials::MAX),
    ("specialists", "clinical_focus", ClinicalFocus::MAX),
    ("case_messages", "body", MessageBody::MAX),
    ("record_releases", "signer_name", SignerName::MAX),
    ("child_corrections", "reason", CorrectionReason::MAX),
    ("case_questions", "body", super::question::MAX_QUESTION_CHARS),
    ("children", "first_name", super::child::MAX_NAME_PART_CHARS),
    ("children", "last_name", super::child::MAX_NAME_PART_CHARS),
    ("children", "preferred_name", super::child::MAX_NAME_PART_CHARS),
    ("users", "full_name", super::name::MAX_NAME_CHARS),
    ("holidays", "name", HolidayName::MAX),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_characters_not_bytes_and_trims() {
        assert_eq!(Bounded::<3>::parse("  héé \n").unwrap().as_str(), "héé");
        assert_eq!(Bounded::<3>::parse("😀😀😀").unwrap().as_str(), "😀😀😀");
        assert_eq!(Bounded::<3>::parse("abcd"), Err(TextError::TooLong { max: 3 }));
    }

    #[test]
    fn keeps_line_breaks_but_refuses_nul_and_controls() {
        assert!(Bounded::<50>::parse("1. first\r\n2. second\tend").is_ok());
        assert_eq!(Bounded::<50>::parse("a\0b"), Err(TextError::BadCharacter));
        assert_eq!(Bounded::<50>::parse("a\u{7}b"), Err(TextError::BadCharacter));
    }

    #[test]
    fn required_means_something_other_than_spaces() {
        assert_eq!(Bounded::<5>::parse_required(" \n "), Err(TextError::Empty));
        assert!(Bounded::<5>::parse(" \n ").unwrap().is_empty());
    }

    #[test]
    fn messages_name_the_field_and_the_limit() {
        assert_eq!(
            TextError::TooLong { max: 20000 }.message("The summary", ""),
            "The summary can be at most 20,000 characters."
        );
        assert_eq!(TextError::Empty.message("The note", "Write the note."), "Write the note.");
    }
}
