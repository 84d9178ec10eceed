//! `DraftCase`: the signed-in family's case from the path, while it is still
//! a draft. Another family's case is not found (404); a case past the draft
//! sends the family to its case page instead of the wizard.

use super::db::{self, CaseRow};
use crate::domain::{CaseId, CaseStatus};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::extract::{CurrentUser, Family, Path};
use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};

pub struct DraftCase {
    pub user: CurrentUser,
    pub case: CaseRow,
}

impl<S> FromRequestParts<S> for DraftCase
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        let Family(user) = Family::from_request_parts(parts, state).await.map_err(IntoResponse::into_response)?;
        let Path(id) = Path::<CaseId>::from_request_parts(parts, state).await.map_err(IntoResponse::into_response)?;
        let state = AppState::from_ref(state);
        let found = async {
            let mut conn = state.db.acquire().await?;
            db::case(&mut conn, user.id, id, false).await?.ok_or(AppError::NotFound)
        };
        let case = found.await.map_err(|e: AppError| e.into_response())?;
        if case.status != CaseStatus::Draft {
            return Err(Redirect::to(&format!("/family/cases/{id}")).into_response());
        }
        Ok(DraftCase { user, case })
    }
}
