//! The opinion as the specialist signed it, to reread from their case page.

use super::opinion::assigned;
use crate::audit::{self, Entry, Outcome};
use crate::cases::db::questions;
use crate::cases::opinion::{self, Header, OpinionView};
use crate::domain::CaseId;
use crate::error::AppError;
use crate::state::AppState;
use crate::web::extract::{ClientIp, Path, Specialist};
use crate::web::page::{PageContext, html};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

#[derive(Template)]
#[template(path = "specialist/signed.html")]
pub struct SignedPage {
    page: PageContext,
    case: super::opinion::ReviewCase,
    opinion: OpinionView,
    header: Header,
}

/// The opinion as signed, for the specialist to reread (audited like any view).
pub async fn signed(
    State(state): State<AppState>,
    page: PageContext,
    Specialist(me): Specialist,
    ClientIp(ip): ClientIp,
    Path(id): Path<CaseId>,
) -> Result<Response, AppError> {
    let case = assigned(&state, me.id, id).await?;
    let mut conn = state.db.acquire().await?;
    let stored = opinion::load_signed(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    let questions = questions(&mut *conn, id).await?;
    let header = opinion::header(&mut conn, id).await?;
    let entry =
        Entry::new("view_signed_opinion", Outcome::Success).by(me.id, me.role).on("case", id).case(id).from_ip(ip);
    audit::record(&mut *conn, entry).await?;
    let opinion = OpinionView::of(&questions, &stored);
    Ok(html(&SignedPage { page, case, opinion, header })?.into_response())
}
