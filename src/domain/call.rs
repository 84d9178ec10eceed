//! The clinician's follow-up call, attempt by attempt (the `call_outcome` Postgres enum).

#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::Type, serde::Deserialize)]
#[sqlx(type_name = "call_outcome", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum CallOutcome {
    NoAnswer,
    LeftMessage,
    Completed,
}

impl CallOutcome {
    pub const ALL: [CallOutcome; 3] = [CallOutcome::NoAnswer, CallOutcome::LeftMessage, CallOutcome::Completed];

    pub fn as_str(self) -> &'static str {
        match self {
            CallOutcome::NoAnswer => "no_answer",
            CallOutcome::LeftMessage => "left_message",
            CallOutcome::Completed => "completed",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == raw)
    }

    pub fn label(self) -> &'static str {
        match self {
            CallOutcome::NoAnswer => "No answer",
            CallOutcome::LeftMessage => "Left a message",
            CallOutcome::Completed => "Talked it through (call completed)",
        }
    }
}
