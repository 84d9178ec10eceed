//! Signing the release of a record location that has none yet (one the
//! coordinator added, or one from before releases were asked for), from
//! its card on the records page.

use super::db;
use super::records::{FROZEN, Shown, family_case, fresh_form, render, shown};
use crate::audit::{self, Entry, Outcome};
use crate::cases::releases::{self, ReleaseForm};
use crate::domain::{CaseId, RecordSourceId};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::extract::{ClientIp, Family, Path};
use crate::web::format::pacific_date;
use crate::web::forms::{Form, FormErrors};
use crate::web::page::{FlashKind, PageContext, flash_redirect};
use axum::extract::State;
use axum::response::Response;
use tower_sessions::Session;

/// Signs the release of a location that has none (one a coordinator added).
pub async fn sign_release(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Family(user): Family,
    ClientIp(ip): ClientIp,
    Path((id, source)): Path<(CaseId, RecordSourceId)>,
    Form(form): Form<ReleaseForm>,
) -> Result<Response, AppError> {
    let case = family_case(&state, user.id, id).await?;
    let now = state.clock.now();
    let mut errors = FormErrors::new(page.lang);
    let refused = |errors: FormErrors, form: ReleaseForm| Shown {
        signing: Some((source, form, errors)),
        ..shown(fresh_form(&state), FormErrors::default())
    };
    if case.status.is_frozen() {
        errors.add("release_signer", FROZEN);
        return render(&state, page, case, refused(errors, form)).await;
    }
    let Some(release) = form.parse(pacific_date(now), &mut errors) else {
        return render(&state, page, case, refused(errors, form)).await;
    };
    let mut tx = state.db.begin().await?;
    db::case(&mut tx, user.id, id, true).await?.ok_or(AppError::NotFound)?;
    let signed = releases::sign(&mut tx, id, source, &release, user.id, ip.as_deref(), now).await?;
    audit::record(
        &mut *tx,
        Entry::new("release_signed", Outcome::Success)
            .by(user.id, user.role)
            .on("release", signed)
            .case(id)
            .from_ip(ip),
    )
    .await?;
    tx.commit().await?;
    flash_redirect(&session, &format!("/family/cases/{id}/records"), FlashKind::Success, page.t("release-signed")).await
}
