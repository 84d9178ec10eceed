//! Integration tests: the real app over real HTTP, a fresh PostgreSQL
//! database per test (`#[sqlx::test]`), and the real SMTP sink where mail
//! is delivered. `scripts/test` starts the peers and sets the environment.

mod helpers;

mod access;
mod auth;
mod care_team;
mod cli;
mod coordinator;
mod csrf;
mod family_cases;
mod follow_on;
mod headers;
mod local_cluster;
mod messages;
mod opinion_document;
mod opinions;
mod outbox;
mod payments_stripe;
mod receipts;
mod releases;
mod rules;
mod sessions;
mod shares;
mod updates;
mod wizard;
