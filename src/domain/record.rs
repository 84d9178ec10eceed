//! A record source's place on the checklist, mirrored by the `record_status`
//! Postgres enum.

#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::Type, serde::Deserialize)]
#[sqlx(type_name = "record_status", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum RecordStatus {
    NotRequested,
    Requested,
    Received,
    Digitized,
    Unavailable,
}

impl RecordStatus {
    /// The states a coordinator can mark a source as, in checklist order.
    pub const MARKABLE: [RecordStatus; 4] =
        [RecordStatus::Requested, RecordStatus::Received, RecordStatus::Digitized, RecordStatus::Unavailable];

    pub fn as_str(self) -> &'static str {
        match self {
            RecordStatus::NotRequested => "not_requested",
            RecordStatus::Requested => "requested",
            RecordStatus::Received => "received",
            RecordStatus::Digitized => "digitized",
            RecordStatus::Unavailable => "unavailable",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::NotRequested, Self::Requested, Self::Received, Self::Digitized, Self::Unavailable]
            .into_iter()
            .find(|s| s.as_str() == raw)
    }

    /// The checklist word for a parent.
    pub fn label(self) -> &'static str {
        match self {
            RecordStatus::NotRequested => "Not requested yet",
            RecordStatus::Requested => "Requested, waiting for the clinic",
            RecordStatus::Received => "Received",
            RecordStatus::Digitized => "Received and digitized",
            RecordStatus::Unavailable => "Unavailable",
        }
    }

    /// What a coordinator picks from.
    pub fn action_label(self) -> &'static str {
        match self {
            RecordStatus::NotRequested => "Not requested yet",
            RecordStatus::Requested => "Requested from the clinic",
            RecordStatus::Received => "Received",
            RecordStatus::Digitized => "Received and digitized",
            RecordStatus::Unavailable => "Unavailable",
        }
    }

    /// Nothing more will come from this source: the checklist item is done.
    pub fn is_complete(self) -> bool {
        matches!(self, RecordStatus::Digitized | RecordStatus::Unavailable)
    }
}
