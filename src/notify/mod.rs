//! Email, through a transactional outbox: `enqueue` writes in the caller's
//! transaction; the worker delivers, retries with backoff, and gives up
//! (status `dead`, visible to admins) after a few attempts.

pub mod mailer;
pub mod messages;
pub mod outbox;
pub mod seal;
pub mod worker;

pub use messages::Email;
pub use outbox::{enqueue, enqueue_in, enqueue_sealed, enqueue_sealed_in};
