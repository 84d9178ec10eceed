//! Pure domain types: parsed at the edge, valid by construction, no I/O.

pub mod business_days;
pub mod call;
pub mod case_status;
pub mod child;
pub mod email;
pub mod fee;
pub mod ids;
pub mod money;
pub mod name;
pub mod opinion;
pub mod password;
pub mod payment;
pub mod phone;
pub mod prose;
pub mod question;
pub mod record;
pub mod referral;
pub mod release;
pub mod role;
pub mod text;
pub mod time_zones;
pub mod update;

pub use call::CallOutcome;
pub use case_status::CaseStatus;
pub use child::Sex;
pub use email::EmailAddress;
pub use fee::{ADDITIONAL_FEE_RANGE, FeeKind, FeeStatus};
pub use ids::{
    AnomalyId, BreakGlassId, CallId, CaseId, ChildId, DocumentId, EmailId, FeeRequestId, FollowUpId, InvitationId,
    MessageId, PaymentId, QuestionId, RecordRequestId, RecordSourceId, ReferralId, RefundId, ReleaseId, SafetyScreenId,
    ShareId, SuggestionId, UserId,
};
pub use money::Cents;
pub use name::PersonName;
pub use password::NewPassword;
pub use payment::{PaymentStatus, Provider, Purpose, PurposeKind, RefundStatus};
pub use phone::PhoneNumber;
pub use question::QuestionText;
pub use record::RecordStatus;
pub use referral::ReferralStatus;
pub use release::Relationship;
pub use role::Role;
pub use update::{EmailUpdates, UpdateKind};
