//! Operations: staff accounts, the specialist directory, undeliverable email,
//! payments that need a person, reports, settings (holidays, the case fee and additional fees' defaults,
//! the program's names, numbers and texts).

mod audit;
mod db;
mod outbox;
mod payments;
mod program_settings;
mod reports;
mod reports_calls;
mod reports_chart;
mod reports_data;
mod reports_flow;
mod reports_follow_ups;
mod reports_money;
mod reports_records;
mod reports_views;
mod second_factor;
mod settings;
mod specialists;
mod staff;

use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(staff::staff_page).post(staff::create_staff))
        .route("/users/{id}/disable", post(staff::disable))
        .route("/users/{id}/enable", post(staff::enable))
        .route("/users/{id}/second-factor/reset", post(second_factor::reset))
        .route("/second-factor", get(second_factor::find_page).post(second_factor::find))
        .route("/specialists", get(specialists::specialists_page))
        .route("/specialists/{id}", post(specialists::update_specialist))
        .route("/outbox", get(outbox::outbox_page))
        .route("/outbox/{id}/retry", post(outbox::retry))
        .route("/payments", get(payments::payments_page))
        .route("/audit", get(audit::audit_page))
        .route("/audit/break-glass", get(audit::break_glass_page))
        .route("/audit/break-glass/{id}/reviewed", post(audit::mark_reviewed))
        .route("/payments/anomalies/{id}/review", post(payments::review_anomaly))
        .route("/payments/refunds/{id}/made", post(payments::refund_made))
        .route("/reports", get(reports::reports_page))
        .route("/reports/on-time.svg", get(reports::on_time_svg))
        .route("/reports/on-time.csv", get(reports::on_time_csv))
        .route("/reports/waiting.svg", get(reports::waiting_svg))
        .route("/reports/waiting.csv", get(reports::waiting_csv))
        .route("/reports/follow-ups.svg", get(reports::follow_ups_svg))
        .route("/reports/follow-ups.csv", get(reports::follow_ups_csv))
        .route("/reports/calls.svg", get(reports::calls_svg))
        .route("/reports/calls.csv", get(reports::calls_csv))
        .route("/reports/records.svg", get(reports_views::records_svg))
        .route("/reports/records.csv", get(reports_views::records_csv))
        .route("/reports/states.svg", get(reports_views::flow_svg))
        .route("/reports/states.csv", get(reports_views::flow_csv))
        .route("/reports/money.svg", get(reports_views::money_svg))
        .route("/reports/money.csv", get(reports_views::money_csv))
        .route("/settings", get(settings::settings_page))
        .route("/settings/holidays", post(settings::add_holiday))
        .route("/settings/holidays/remove", post(settings::remove_holiday))
        .route("/settings/fee", post(settings::schedule_fee))
        .route("/settings/fee/withdraw", post(settings::withdraw_fee))
        .route("/settings/fee-default", post(settings::schedule_default))
        .route("/settings/program/{setting}", get(program_settings::show).post(program_settings::save))
        .route("/settings/program/{setting}/revert", post(program_settings::revert))
}
