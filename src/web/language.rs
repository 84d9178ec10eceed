//! The language switch on every page of the family's side: `POST /language`
//! with the language and the page it was pressed on, which it goes back to.
//! A signed-in family's choice is kept on the account (every device, and
//! the emails we send them); a visitor's in a cookie, so reading the public
//! pages still makes no session.

use crate::error::AppError;
use crate::i18n::{COOKIE, Lang};
use crate::state::AppState;
use crate::web::extract::MaybeUser;
use crate::web::forms::Form;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct SwitchForm {
    #[serde(default)]
    lang: String,
    #[serde(default)]
    back: String,
}

/// A path on this site to go back to; anything else (another site,
/// `//host`, a scheme) is the home page.
fn back_to(raw: &str) -> &str {
    let local = raw.starts_with('/') && !raw.starts_with("//") && !raw.contains('\\') && !raw.contains(':');
    if local && raw.len() <= 300 { raw } else { "/" }
}

pub async fn switch(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Form(form): Form<SwitchForm>,
) -> Result<Response, AppError> {
    let lang = Lang::parse(&form.lang).ok_or_else(|| AppError::BadRequest("unknown language".into()))?;
    if let Some(user) = user.filter(|u| u.role == crate::domain::Role::Family) {
        sqlx::query!("update users set language = $2 where id = $1", user.id as _, lang as Lang)
            .execute(&state.db)
            .await?;
    }
    let mut response = Redirect::to(back_to(&form.back)).into_response();
    let secure = if state.config.https() { "; Secure" } else { "" };
    let cookie = format!("{COOKIE}={}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax{secure}", lang.tag());
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(response)
}

/// Keeps `lang` as the new account's choice: the language the person read
/// the registration page in is the one their emails are written in.
pub async fn remember(conn: &mut sqlx::PgConnection, user: crate::domain::UserId, lang: Lang) -> sqlx::Result<()> {
    sqlx::query!("update users set language = $2 where id = $1", user as _, lang as Lang).execute(conn).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn goes_back_only_to_this_site() {
        assert_eq!(super::back_to("/family/cases/1"), "/family/cases/1");
        for bad in ["https://evil.test/", "//evil.test", "/\\evil", "javascript:alert(1)", "family"] {
            assert_eq!(super::back_to(bad), "/", "{bad}");
        }
    }
}
