//! The family shares the signed opinion with their child's doctor: a link
//! made here (shown once, to copy), listed with every time it was opened,
//! and withdrawn whenever they like.

use crate::audit::{self, Entry, Outcome};
use crate::cases::shares;
use crate::domain::{CaseId, ShareId, UserId};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::extract::{ClientIp, Family, Path};
use crate::web::page::{FlashKind, flash_redirect};
use axum::extract::State;
use axum::response::Response;
use tower_sessions::Session;

/// The link just made, kept in the session until the opinion page shows it once.
const NEW_LINK_KEY: &str = "new_share_link";

/// The family's case with a signed opinion, or 404.
async fn shareable(state: &AppState, family: UserId, id: CaseId) -> Result<(), AppError> {
    sqlx::query_scalar!(
        r#"select 1 as "one!" from cases c join opinions o on o.case_id = c.id
           where c.id = $1 and is_guardian(c.child_id, $2) and o.signed_at is not null"#,
        id as CaseId,
        family as UserId
    )
    .fetch_optional(&state.db)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(())
}

/// The link made for `case` a moment ago, once.
pub async fn take_new_link(session: &Session, case: CaseId) -> Result<Option<String>, AppError> {
    let Some((for_case, link)) = session.get::<(CaseId, String)>(NEW_LINK_KEY).await? else { return Ok(None) };
    session.remove::<(CaseId, String)>(NEW_LINK_KEY).await?;
    Ok((for_case == case).then_some(link))
}

pub async fn create_share(
    State(state): State<AppState>,
    session: Session,
    page: crate::web::page::PageContext,
    Family(user): Family,
    ClientIp(ip): ClientIp,
    Path(id): Path<CaseId>,
) -> Result<Response, AppError> {
    shareable(&state, user.id, id).await?;
    let mut tx = state.db.begin().await?;
    let (share, token) = shares::create(&mut tx, id, user.id, state.clock.now()).await?;
    let entry = Entry::new("share_created", Outcome::Success).by(user.id, user.role).on("case_share", share).case(id);
    audit::record(&mut *tx, entry.from_ip(ip)).await?;
    tx.commit().await?;
    session.insert(NEW_LINK_KEY, (id, format!("{}/shared/{token}", state.config.base_url))).await?;
    flash_redirect(&session, &format!("/family/cases/{id}/opinion#share"), FlashKind::Success, page.t("share-created"))
        .await
}

pub async fn revoke_share(
    State(state): State<AppState>,
    session: Session,
    page: crate::web::page::PageContext,
    Family(user): Family,
    ClientIp(ip): ClientIp,
    Path((id, share)): Path<(CaseId, ShareId)>,
) -> Result<Response, AppError> {
    shareable(&state, user.id, id).await?;
    let mut tx = state.db.begin().await?;
    if !shares::revoke(&mut *tx, id, share, state.clock.now()).await? {
        return Err(AppError::NotFound);
    }
    let entry = Entry::new("share_revoked", Outcome::Success).by(user.id, user.role).on("case_share", share).case(id);
    audit::record(&mut *tx, entry.from_ip(ip)).await?;
    tx.commit().await?;
    flash_redirect(&session, &format!("/family/cases/{id}/opinion#share"), FlashKind::Success, page.t("share-revoked"))
        .await
}
