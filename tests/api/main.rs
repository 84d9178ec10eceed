//! Integration tests: the real app over real HTTP, a fresh PostgreSQL
//! database per test (`#[sqlx::test]`), and the real SMTP sink where mail
//! is delivered. `scripts/test` starts the peers and sets the environment.

mod helpers;

mod access;
mod archive;
mod audit_trail;
mod audit_viewer;
mod auth;
mod backup;
mod break_glass;
mod calendar;
mod care_team;
mod cli;
mod coordinator;
mod csrf;
mod family_cases;
mod faults;
mod faults_payments;
mod follow_on;
mod guardian_contact;
mod guardians;
mod headers;
mod hostile_input;
mod instances;
mod integrity;
mod languages;
mod local_cluster;
mod messages;
mod opinion_document;
mod opinions;
mod ops;
mod outbox;
mod outbox_at_rest;
mod payments_stripe;
mod processes;
mod program_settings;
mod receipts;
mod releases;
mod reports;
mod reports_more;
mod rules;
mod s3;
mod safety_screen;
mod second_factor;
mod session_safety;
mod sessions;
mod settings;
mod shares;
mod spanish_pages;
mod spanish_refusals;
mod throttling;
mod updates;
mod wizard;
