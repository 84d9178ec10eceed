//! The three outcomes a second opinion can have (rule 7 of the spec).

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::Type, Serialize, Deserialize)]
#[sqlx(type_name = "opinion_outcome", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum OpinionOutcome {
    Agrees,
    AgreesDiagnosisDifferentTreatment,
    DifferentDiagnosis,
}

impl OpinionOutcome {
    pub const ALL: [OpinionOutcome; 3] =
        [OpinionOutcome::Agrees, OpinionOutcome::AgreesDiagnosisDifferentTreatment, OpinionOutcome::DifferentDiagnosis];

    pub fn as_str(self) -> &'static str {
        match self {
            OpinionOutcome::Agrees => "agrees",
            OpinionOutcome::AgreesDiagnosisDifferentTreatment => "agrees_diagnosis_different_treatment",
            OpinionOutcome::DifferentDiagnosis => "different_diagnosis",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == raw)
    }

    /// For the specialist's form.
    pub fn label(self) -> &'static str {
        match self {
            OpinionOutcome::Agrees => "Agrees with the diagnosis and the treatment plan",
            OpinionOutcome::AgreesDiagnosisDifferentTreatment => {
                "Agrees with the diagnosis; recommends different or additional treatment"
            }
            OpinionOutcome::DifferentDiagnosis => "Different diagnosis; recommends a different course of treatment",
        }
    }
}
