//! Cross-cutting HTTP plumbing: extractors, CSRF, page context, forms,
//! formatting, headers, static files. No business rules live here (the
//! router that puts it together is `app`).

pub mod assets;
pub mod confirm;
pub mod csrf;
pub mod extract;
pub mod format;
pub mod forms;
pub mod headers;
pub mod health;
pub mod language;
pub mod page;
pub mod public;
