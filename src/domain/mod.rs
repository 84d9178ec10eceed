//! Pure domain types: parsed at the edge, valid by construction, no I/O.

pub mod business_days;
pub mod case_status;
pub mod child;
pub mod email;
pub mod ids;
pub mod money;
pub mod name;
pub mod opinion;
pub mod password;
pub mod question;
pub mod role;

pub use case_status::CaseStatus;
pub use email::EmailAddress;
pub use ids::{CaseId, ChildId, PaymentId, QuestionId, RecordSourceId, UserId};
pub use money::Cents;
pub use name::PersonName;
pub use password::NewPassword;
pub use question::QuestionText;
pub use role::Role;
