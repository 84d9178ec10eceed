//! Ending a guardianship: the inviter removes the second guardian, or the
//! second guardian leaves. Both show what will happen first, and both keep
//! the guardianship's row, so what the guardian did stays theirs.

use super::{Managed, current, managed};
use crate::audit::{self, Entry, Outcome};
use crate::domain::{ChildId, UserId};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::extract::{CurrentUser, Family, Path};
use crate::web::forms::Form;
use crate::web::page::{FlashKind, PageContext, flash_redirect, html};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use jiff_sqlx::ToSqlx;
use serde::Deserialize;
use sqlx::PgConnection;
use tower_sessions::Session;

/// The first press of "Remove" or "Stop sharing" shows what will happen.
#[derive(Template)]
#[template(path = "family/guardians/confirm.html")]
struct ConfirmPage {
    page: PageContext,
    title: String,
    consequences: Vec<String>,
    action: String,
    button: String,
    back: String,
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    confirmed: Option<String>,
}

/// The inviter removes the second guardian (never the one who added the
/// child: the database refuses that too). Access ends at their next request.
pub async fn remove(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Family(user): Family,
    Path((id, other)): Path<(ChildId, UserId)>,
    Form(form): Form<ConfirmForm>,
) -> Result<Response, AppError> {
    let mut tx = state.db.begin().await?;
    let Managed { child, is_adder } = managed(&mut tx, user.id, id).await?;
    let guardian = current(&mut tx, id).await?.into_iter().find(|g| g.user_id == other && !g.added_child);
    let (true, Some(guardian)) = (is_adder, guardian) else { return Err(AppError::NotFound) };
    let (lang, name, child_name) = (page.lang, guardian.full_name, child.display_name());
    let back = format!("/family/children/{id}/guardians");
    if !crate::web::confirm::confirmed(&form.confirmed) {
        let page = ConfirmPage {
            title: lang.t1("guardians-remove-title", "name", name.as_str()),
            consequences: vec![
                lang.t2("guardians-remove-effect", "name", name.as_str(), "child", child_name.as_str()),
                lang.t("guardians-remove-kept"),
            ],
            action: format!("/family/children/{id}/guardians/{other}/remove"),
            button: lang.t("guardians-remove-button"),
            back,
            page,
        };
        return Ok(html(&page)?.into_response());
    }
    if !end_guardianship(&mut tx, id, other, &user, state.clock.now()).await? {
        return flash_redirect(&session, &back, FlashKind::Error, lang.t("guardians-not-current")).await;
    }
    tx.commit().await?;
    let message = lang.t2("guardians-removed", "name", name.as_str(), "child", child_name.as_str());
    flash_redirect(&session, &back, FlashKind::Success, message).await
}

/// The invited guardian stops sharing the child.
pub async fn leave(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Family(user): Family,
    Path(id): Path<ChildId>,
    Form(form): Form<ConfirmForm>,
) -> Result<Response, AppError> {
    let mut tx = state.db.begin().await?;
    let Managed { child, is_adder } = managed(&mut tx, user.id, id).await?;
    if is_adder {
        return Err(AppError::NotFound);
    }
    let (lang, child_name) = (page.lang, child.display_name());
    if !crate::web::confirm::confirmed(&form.confirmed) {
        let page = ConfirmPage {
            title: lang.t1("guardians-leave-title", "child", child_name.as_str()),
            consequences: vec![
                lang.t1("guardians-leave-effect", "child", child_name.as_str()),
                lang.t("guardians-leave-again"),
            ],
            action: format!("/family/children/{id}/leave"),
            button: lang.t("guardians-leave-button"),
            back: format!("/family/children/{id}/guardians"),
            page,
        };
        return Ok(html(&page)?.into_response());
    }
    end_guardianship(&mut tx, id, user.id, &user, state.clock.now()).await?;
    tx.commit().await?;
    flash_redirect(&session, "/family", FlashKind::Success, lang.t1("guardians-left", "child", child_name.as_str()))
        .await
}

/// Ends `guardian`'s guardianship of `child` (compare-and-set: once), with
/// its audit row. The row stays, so what they did stays theirs.
async fn end_guardianship(
    conn: &mut PgConnection,
    child: ChildId,
    guardian: UserId,
    by: &CurrentUser,
    now: Timestamp,
) -> Result<bool, AppError> {
    let ended = sqlx::query!(
        "update guardianships set removed_at = $3, removed_by = $4
         where child_id = $1 and user_id = $2 and removed_at is null and invited_by is not null",
        child as ChildId,
        guardian as UserId,
        now.to_sqlx() as _,
        by.id as UserId
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if ended == 1 {
        let action = if guardian == by.id { "guardian_left" } else { "guardian_removed" };
        audit::record(&mut *conn, Entry::new(action, Outcome::Success).by(by.id, by.role).on("user", guardian)).await?;
    }
    Ok(ended == 1)
}
