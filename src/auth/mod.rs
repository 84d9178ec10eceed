//! Accounts: register, verify email, sign in and out, reset and change passwords.

pub mod account;
pub mod db;
pub mod hash_threads;
pub mod login;
pub mod password;
pub mod register;
pub mod reset;
pub mod second_factor;
pub mod session;
pub mod session_store;
pub mod throttle;
pub mod tokens;
pub mod verify;

use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(login::login_form).post(login::log_in))
        .route(
            second_factor::challenge::PATH,
            get(second_factor::challenge::code_form).post(second_factor::challenge::check_code),
        )
        .route("/logout", post(login::log_out))
        .route("/register", get(register::register_form).post(register::register))
        .route("/register/check-email", get(register::check_email))
        .route("/verify-email", get(verify::confirm_form).post(verify::confirm))
        .route("/verify-email/resend", post(verify::resend))
        .route("/password-reset", get(reset::request_form).post(reset::request))
        .route("/password-reset/sent", get(reset::sent))
        .route("/password-reset/new", get(reset::new_password_form).post(reset::set_new_password))
        .route("/account", get(account::account_page))
        .route(second_factor::enrol::PATH, get(second_factor::enrol::page).post(second_factor::enrol::confirm))
        .route("/account/second-factor/off", post(second_factor::enrol::turn_off))
        .route("/account/second-factor/recovery-codes", post(second_factor::enrol::regenerate))
        .route("/account/password", get(account::change_password_form).post(account::change_password))
}
