//! Second Opinion: the web system behind a children's hospital's online
//! second opinion program. See README.md for the map of this crate.

pub mod admin;
pub mod app;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod cases;
pub mod cli;
pub mod clinician;
pub mod clock;
pub mod config;
pub mod coordinator;
pub mod directory;
pub mod domain;
pub mod error;
pub mod family;
pub mod i18n;
pub mod jobs;
pub mod json_rows;
pub mod local_pg;
pub mod metrics;
pub mod notify;
pub mod payments;
pub mod program;
pub mod progress;
pub mod reference_cache;
pub mod secret_key;
pub mod seed;
pub mod specialist;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod web;
