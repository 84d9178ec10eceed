//! The family's side: children, the case wizard, the case page, paying,
//! receipts, the opinion and what follows it.

mod archive;
mod archive_text;
mod case_page;
mod children;
mod dashboard;
pub mod db;
mod draft;
mod emails;
mod follow_on;
mod guardians;
mod invitation;
mod messages;
mod opinion;
mod pay;
pub mod progress;
mod questions;
mod receipts;
mod records;
mod release;
mod review;
pub mod screen;
mod seen;
mod shares;
mod steps;
mod wizard;

use crate::state::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(dashboard::dashboard))
        .route("/emails", get(emails::emails_page).post(emails::save_emails))
        .route("/children/new", get(children::new_child_form).post(children::add_child))
        .route("/children/{id}", get(children::edit_child_form).post(children::edit_child))
        .route("/children/{id}/guardians", get(guardians::guardians_page).post(guardians::invite))
        .route("/children/{id}/guardians/{user}/remove", post(guardians::remove))
        .route("/children/{id}/invitations/{invitation}/revoke", post(guardians::revoke))
        .route("/children/{id}/leave", post(guardians::leave))
        // The emailed link: open to anyone (it says to sign in), accepted by the invited address.
        .route("/invitation", get(invitation::open).post(invitation::accept))
        // The same, from the dashboard of the person it was sent to.
        .route("/invitations/{invitation}", get(invitation::open_by_id))
        .route("/cases/new", get(wizard::new_case_form).post(wizard::open_case))
        .route("/cases/{id}", get(case_page::case_page))
        .route("/cases/{id}/details", get(wizard::details_form).post(wizard::save_details))
        .route("/cases/{id}/records", get(records::records_page).post(records::add_source))
        .route("/cases/{id}/records/{source}/delete", post(records::remove_source))
        .route("/cases/{id}/records/{source}/release", post(release::sign_release))
        .route("/cases/{id}/questions", get(questions::questions_page).post(questions::save_questions))
        .route("/cases/{id}/questions/{question}/delete", post(questions::remove_question))
        .route("/cases/{id}/questions/{question}/move", post(questions::move_question))
        .route("/cases/{id}/specialist", get(wizard::specialist_form).post(wizard::save_specialist))
        .route("/cases/{id}/review", get(review::review_page))
        .route("/cases/{id}/submit", post(review::submit))
        .route("/cases/{id}/pay", get(pay::case_fee_page).post(pay::pay_case_fee))
        .route("/cases/{id}/cancel", post(case_page::cancel))
        .route(
            "/cases/{id}/messages",
            get(messages::messages_page)
                .post(messages::send_message)
                .layer(DefaultBodyLimit::max(crate::cases::documents::MAX_BYTES as usize + 64 * 1024)),
        )
        .route("/cases/{id}/seen", get(seen::seen_page))
        .route("/cases/{id}/archive", get(archive::download_archive))
        .route("/cases/{id}/follow-on", get(follow_on::confirm_page).post(follow_on::open_follow_on))
        .route("/cases/{id}/fees/{fee}/pay", get(pay::fee_page).post(pay::pay_fee))
        .route("/cases/{id}/fees/{fee}/decline", post(pay::decline_fee))
        .route("/cases/{id}/opinion", get(opinion::opinion_page))
        .route("/cases/{id}/follow-ups", post(opinion::ask_follow_up))
        .route("/cases/{id}/referral", post(opinion::ask_referral))
        .route("/cases/{id}/shares", post(shares::create_share))
        .route("/cases/{id}/shares/{share}/revoke", post(shares::revoke_share))
        .route("/payments/{id}/receipt", get(receipts::receipt_page))
        .route("/statements/{year}", get(receipts::statement_page))
}
