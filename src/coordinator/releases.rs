//! The authorization letter a coordinator sends to a provider: one page per
//! record location, printed from the family's signed release (audited: it
//! names the child and their records).

use crate::audit::{self, Entry, Outcome};
use crate::cases::releases::{self, Letter};
use crate::domain::{CaseId, RecordSourceId};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::extract::{ClientIp, Coordinator, Path};
use crate::web::page::{PageContext, html};
use askama::Template;
use axum::extract::State;
use axum::response::Html;

#[derive(Template)]
#[template(path = "coordinator/release_letter.html")]
pub struct LetterPage {
    page: PageContext,
    case_id: CaseId,
    letter: Letter,
}

impl LetterPage {
    pub fn signed(&self) -> String {
        crate::web::format::date_time(self.letter.signed_at)
    }
}

/// `GET /coordinator/cases/{id}/sources/{source}/release`: 404 until signed.
pub async fn letter(
    State(state): State<AppState>,
    page: PageContext,
    Coordinator(me): Coordinator,
    ClientIp(ip): ClientIp,
    Path((id, source)): Path<(CaseId, RecordSourceId)>,
) -> Result<Html<String>, AppError> {
    let letter = releases::letter(&state.db, id, source).await?.ok_or(AppError::NotFound)?;
    let entry =
        Entry::new("view_release_letter", Outcome::Success).by(me.id, me.role).on("record_source", source).case(id);
    audit::record(&state.db, entry.from_ip(ip)).await?;
    html(&LetterPage { page, case_id: id, letter })
}
