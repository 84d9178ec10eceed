//! `/admin/settings/program/{setting}`: one of the program's names, numbers
//! or texts (`program::Setting`), set over the configuration or returned to
//! it. The page says where the value in effect comes from; every change is
//! audited in its transaction, and every instance reads the settings again
//! on the table's NOTIFY (this one at once).

use crate::audit::{self, Entry, Outcome};
use crate::error::AppError;
use crate::program::{Override, Overrides, Setting, Shape};
use crate::reference_cache::Reference;
use crate::state::AppState;
use crate::web::extract::{Admin, ClientIp, CurrentUser, Path};
use crate::web::forms::{Form, FormErrors};
use crate::web::page::{FlashKind, PageContext, flash_redirect, html};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff_sqlx::ToSqlx;
use serde::Deserialize;
use tower_sessions::Session;

#[derive(Template)]
#[template(path = "admin/program_setting.html")]
pub struct SettingPage {
    page: PageContext,
    setting: Setting,
    configured: String,
    set: Option<Override>,
    /// What the field shows: the value in effect, or what was typed.
    value: String,
    errors: FormErrors,
}

impl SettingPage {
    pub fn is_text(&self) -> bool {
        matches!(self.setting.shape(), Shape::Text { .. })
    }
    pub fn when(&self, o: &Override) -> String {
        crate::web::format::date_time(o.set_at)
    }
}

/// The setting named in the address; an unknown one is a 404.
fn setting(key: &str) -> Result<Setting, AppError> {
    Setting::parse(key).ok_or(AppError::NotFound)
}

async fn render(
    state: &AppState,
    page: PageContext,
    setting: Setting,
    typed: Option<String>,
    errors: FormErrors,
) -> Result<SettingPage, AppError> {
    let mut conn = state.db.acquire().await?;
    let mut overrides = Overrides::load(&mut conn).await?;
    let value = typed.unwrap_or_else(|| overrides.in_effect.value(setting));
    let set = overrides.rows.iter().position(|o| o.setting == setting).map(|i| overrides.rows.swap_remove(i));
    let configured = setting.configured(crate::config::program());
    Ok(SettingPage { page, setting, configured, set, value, errors })
}

pub async fn show(
    State(state): State<AppState>,
    page: PageContext,
    _: Admin,
    Path(key): Path<String>,
) -> Result<Response, AppError> {
    let setting = setting(&key)?;
    Ok(html(&render(&state, page, setting, None, FormErrors::default()).await?)?.into_response())
}

#[derive(Deserialize)]
pub struct ValueForm {
    #[serde(default)]
    value: String,
}

/// `POST`: the admin's value for the setting, in effect from the next page on.
pub async fn save(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Admin(admin): Admin,
    ClientIp(ip): ClientIp,
    Path(key): Path<String>,
    Form(form): Form<ValueForm>,
) -> Result<Response, AppError> {
    let setting = setting(&key)?;
    let mut errors = FormErrors::default();
    let Some(value) = errors.check("value", setting.check(&form.value)) else {
        let page = render(&state, page, setting, Some(form.value), errors).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)?).into_response());
    };
    let mut tx = state.db.begin().await?;
    sqlx::query!(
        "insert into program_settings (setting, value, set_by, set_at) values ($1, $2, $3, $4)
         on conflict (setting) do update set value = excluded.value, set_by = excluded.set_by, set_at = excluded.set_at",
        setting as Setting,
        value,
        admin.id as _,
        state.clock.now().to_sqlx() as _
    )
    .execute(&mut *tx)
    .await?;
    audited(&mut tx, &admin, ip, "program_setting_changed", setting).await?;
    tx.commit().await?;
    state.program.forget();
    let message = format!("{} is now set here. Pages and emails use it from now on.", setting.label());
    flash_redirect(&session, "/admin/settings#program-h", FlashKind::Success, &message).await
}

/// `POST …/revert`: the configuration's value again.
pub async fn revert(
    State(state): State<AppState>,
    session: Session,
    Admin(admin): Admin,
    ClientIp(ip): ClientIp,
    Path(key): Path<String>,
) -> Result<Response, AppError> {
    let setting = setting(&key)?;
    let mut tx = state.db.begin().await?;
    let removed =
        sqlx::query!("delete from program_settings where setting = $1", setting as Setting).execute(&mut *tx).await?;
    if removed.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    audited(&mut tx, &admin, ip, "program_setting_reverted", setting).await?;
    tx.commit().await?;
    state.program.forget();
    let message = format!("{} comes from the configuration again.", setting.label());
    flash_redirect(&session, "/admin/settings#program-h", FlashKind::Success, &message).await
}

async fn audited(
    tx: &mut sqlx::PgConnection,
    admin: &CurrentUser,
    ip: Option<String>,
    action: &'static str,
    setting: Setting,
) -> Result<(), AppError> {
    let entry =
        Entry::new(action, Outcome::Success).by(admin.id, admin.role).on("program_setting", setting.key()).from_ip(ip);
    audit::record(tx, entry).await?;
    Ok(())
}
