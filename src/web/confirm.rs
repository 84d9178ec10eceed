//! The confirmation step of an action that can't be undone (send to the
//! specialist, cancel and refund, close, waive a fee): the first press of the
//! button shows this page, which says what will happen and carries the same
//! fields on with `confirmed=yes`. No JavaScript needed; the action's handler
//! owns the wording and acts only on the second press.

use crate::error::AppError;
use crate::web::page::{PageContext, html};
use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// A written reason the action needs (closing with items open).
pub struct Reason {
    pub label: &'static str,
    pub hint: &'static str,
    pub value: String,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "confirm.html")]
pub struct Confirm {
    pub page: PageContext,
    /// "Send case SO-2026-000009 to Dr. Ada Reyes?"
    pub title: String,
    /// What will happen, one sentence each.
    pub consequences: Vec<String>,
    /// Things still open the person should know before going on.
    pub warnings: Vec<String>,
    pub action: String,
    /// The form's fields, carried on unchanged.
    pub fields: Vec<(&'static str, String)>,
    pub reason: Option<Reason>,
    pub button: String,
    pub danger: bool,
    /// Where "Go back" leads: the page the person came from.
    pub back: String,
}

impl Confirm {
    /// The first press shows this page (200); a missing reason shows it again (422).
    pub fn render(&self) -> Result<Response, AppError> {
        let failed = self.reason.as_ref().is_some_and(|r| r.error.is_some());
        let status = if failed { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
        Ok((status, html(self)?).into_response())
    }

    pub fn none(&self) -> Option<&str> {
        None
    }
}

/// `confirmed=yes`: the second press.
pub fn confirmed(field: &Option<String>) -> bool {
    field.as_deref() == Some("yes")
}
