//! The case core every role uses: the one writer of `cases.status`, and the
//! timeline that writer leaves behind.

pub mod closing;
pub mod documents;
pub mod download;
pub mod schedule;
pub mod timeline;
pub mod transition;

pub use transition::{open_draft, transition};
