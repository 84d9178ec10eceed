//! The family's side: children, the case wizard, the case page, paying,
//! receipts, the opinion and what follows it.

mod case_page;
mod children;
mod dashboard;
pub mod db;
mod draft;
mod opinion;
mod pay;
mod questions;
mod receipts;
mod records;
mod wizard;

use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(dashboard::dashboard))
        .route("/children/new", get(children::new_child_form).post(children::add_child))
        .route("/children/{id}", get(children::edit_child_form).post(children::edit_child))
        .route("/cases/new", get(wizard::new_case_form).post(wizard::open_case))
        .route("/cases/{id}", get(case_page::case_page))
        .route("/cases/{id}/details", get(wizard::details_form).post(wizard::save_details))
        .route("/cases/{id}/records", get(records::records_page).post(records::add_source))
        .route("/cases/{id}/records/{source}/delete", post(records::remove_source))
        .route("/cases/{id}/questions", get(questions::questions_page).post(questions::add_question))
        .route("/cases/{id}/questions/{question}", post(questions::edit_question))
        .route("/cases/{id}/questions/{question}/delete", post(questions::remove_question))
        .route("/cases/{id}/questions/{question}/move", post(questions::move_question))
        .route("/cases/{id}/specialist", get(wizard::specialist_form).post(wizard::save_specialist))
        .route("/cases/{id}/review", get(wizard::review_page))
        .route("/cases/{id}/submit", post(wizard::submit))
        .route("/cases/{id}/pay", get(pay::case_fee_page).post(pay::pay_case_fee))
        .route("/cases/{id}/cancel", post(case_page::cancel))
        .route("/cases/{id}/follow-on", post(case_page::open_follow_on))
        .route("/cases/{id}/fees/{fee}/pay", get(pay::fee_page).post(pay::pay_fee))
        .route("/cases/{id}/fees/{fee}/decline", post(pay::decline_fee))
        .route("/cases/{id}/opinion", get(opinion::opinion_page))
        .route("/cases/{id}/follow-ups", post(opinion::ask_follow_up))
        .route("/cases/{id}/referral", post(opinion::ask_referral))
        .route("/payments/{id}/receipt", get(receipts::receipt_page))
        .route("/statements/{year}", get(receipts::statement_page))
}
