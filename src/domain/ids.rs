//! Typed ids: a `UserId` can never be passed where another id is expected.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Declares a transparent uuid newtype that sqlx, serde and `Path` understand.
macro_rules! decl_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, sqlx::Type, Serialize, Deserialize)]
        #[sqlx(transparent)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

decl_id!(
    /// A person who signs in.
    UserId
);

decl_id!(
    /// An emergency opening of a case by someone it is not assigned to.
    BreakGlassId
);

decl_id!(
    /// A child's profile, owned by one family.
    ChildId
);
decl_id!(
    /// A second opinion case.
    CaseId
);
decl_id!(
    /// One of a case's (at most five) questions.
    QuestionId
);
decl_id!(
    /// A place the child's records are held.
    RecordSourceId
);
decl_id!(
    /// A payment attempt (case fee or additional fee).
    PaymentId
);
decl_id!(
    /// An additional fee asked of the family (imaging or pathology re-review).
    FeeRequestId
);
decl_id!(
    /// A refund of one payment.
    RefundId
);
decl_id!(
    /// Money that arrived in a way we did not ask for, for an admin to review.
    AnomalyId
);
decl_id!(
    /// An uploaded record.
    DocumentId
);
decl_id!(
    /// A clarifying question asked after the opinion.
    FollowUpId
);
decl_id!(
    /// A family's request for help with a visit or referral.
    ReferralId
);
decl_id!(
    /// An email in the outbox.
    EmailId
);
decl_id!(
    /// One attempt at the clinician's follow-up call.
    CallId
);
decl_id!(
    /// A specialist's suggestion of a re-review, for the coordinator to price.
    SuggestionId
);
decl_id!(
    /// The care team's request to the family for a specific record.
    RecordRequestId
);
decl_id!(
    /// A message in a case's thread between the family and the care team.
    MessageId
);
decl_id!(
    /// A signed records release for one record location.
    ReleaseId
);
decl_id!(
    /// A link that shares the signed opinion with the child's doctor.
    ShareId
);
decl_id!(
    /// A parent's answers to the safety screen before a case is opened.
    SafetyScreenId
);
decl_id!(
    /// An invitation to a child's other parent or guardian.
    InvitationId
);
