//! Who signs a records release for a child, mirrored by the
//! `release_relationship` Postgres enum.

#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::Type, serde::Deserialize)]
#[sqlx(type_name = "release_relationship", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum Relationship {
    Parent,
    LegalGuardian,
    LegalRepresentative,
}

impl Relationship {
    pub const ALL: [Relationship; 3] =
        [Relationship::Parent, Relationship::LegalGuardian, Relationship::LegalRepresentative];

    pub fn as_str(self) -> &'static str {
        match self {
            Relationship::Parent => "parent",
            Relationship::LegalGuardian => "legal_guardian",
            Relationship::LegalRepresentative => "legal_representative",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == raw)
    }

    /// "I am the child's …"
    pub fn label(self) -> &'static str {
        match self {
            Relationship::Parent => "Parent",
            Relationship::LegalGuardian => "Legal guardian",
            Relationship::LegalRepresentative => "Other legal representative",
        }
    }
}

/// How long a release runs unless the signer chooses otherwise, and the most it may.
pub const DEFAULT_MONTHS: i8 = 12;
pub const MAX_YEARS: i16 = 2;
