//! Pure domain types: parsed at the edge, valid by construction, no I/O.

pub mod email;
pub mod ids;
pub mod name;
pub mod password;
pub mod role;

pub use email::EmailAddress;
pub use ids::UserId;
pub use name::PersonName;
pub use password::NewPassword;
pub use role::Role;
