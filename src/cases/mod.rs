//! The case core every role uses: the one writer of `cases.status` (with the
//! deadline of each state), cancelling, the shared reads of a case's parts,
//! the opinion as read by anyone, follow-ups, documents and the timeline.
//! Role folders depend on this module, never on each other.

pub mod activity;
pub mod after_opinion;
pub mod break_glass;
pub mod calls;
pub mod cancel;
pub mod closing;
pub mod db;
pub mod documents;
pub mod download;
pub mod fees;
pub mod follow_ups;
pub mod guardians;
pub mod message_files;
pub mod messages;
pub mod opinion;
pub mod record_requests;
pub mod referrals;
pub mod releases;
pub mod schedule;
pub mod shared_view;
pub mod shares;
pub mod timeline;
pub mod transition;
pub mod updates;

pub use transition::{open_draft, transition};
