//! `/shared/{token}`: the opinion as the child's doctor opens it from the
//! family's link. The link alone shows nothing about the child: first the
//! child's date of birth (wrong ones are throttled), then, for this browser
//! session, the opinion, read-only and printable. Every view is audited and
//! listed on the family's page. A withdrawn or expired link says so (410).

use super::opinion::{self, Header, OpinionView};
use super::shares::{self, LinkState};
use crate::audit::{self, Entry, Outcome};
use crate::domain::ShareId;
use crate::error::AppError;
use crate::state::AppState;
use crate::web::extract::{ClientIp, Path};
use crate::web::forms::{Form, FormErrors};
use crate::web::page::{PageContext, html};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use tower_sessions::Session;

/// The links this browser session has opened with the right date of birth.
const OPENED_KEY: &str = "shared_opened";

pub fn router() -> Router<AppState> {
    Router::new().route("/shared/{token}", get(shared).post(unlock))
}

#[derive(Template)]
#[template(path = "cases/shared_unlock.html")]
struct UnlockPage {
    page: PageContext,
    token: String,
    date_of_birth: String,
    errors: FormErrors,
    /// Minutes to wait after too many wrong dates.
    wait: Option<i64>,
}

#[derive(Template)]
#[template(path = "cases/shared_gone.html")]
struct GonePage {
    page: PageContext,
    state: LinkState,
}

#[derive(Template)]
#[template(path = "cases/shared_opinion.html")]
struct SharedOpinionPage {
    page: PageContext,
    header: Header,
    opinion: OpinionView,
    expires: String,
}

/// A token that looks like ours, else not found (nothing to look up).
fn well_formed(token: &str) -> Result<(), AppError> {
    if token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit()) { Ok(()) } else { Err(AppError::NotFound) }
}

async fn opened(session: &Session) -> Result<Vec<ShareId>, AppError> {
    Ok(session.get::<Vec<ShareId>>(OPENED_KEY).await?.unwrap_or_default())
}

fn gone(page: PageContext, state: LinkState) -> Result<Response, AppError> {
    Ok((StatusCode::GONE, html(&GonePage { page, state })?).into_response())
}

async fn shared(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    ClientIp(ip): ClientIp,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    well_formed(&token)?;
    let now = state.clock.now();
    let link = shares::by_token(&state.db, &token, now).await?.ok_or(AppError::NotFound)?;
    if link.state != LinkState::Active {
        return gone(page, link.state);
    }
    if !opened(&session).await?.contains(&link.id) {
        let page = UnlockPage { page, token, date_of_birth: String::new(), errors: FormErrors::default(), wait: None };
        return Ok(html(&page)?.into_response());
    }
    let mut conn = state.db.acquire().await?;
    let signed = opinion::load_signed(&mut conn, link.case_id).await?.ok_or(AppError::NotFound)?;
    let questions = super::db::questions(&mut *conn, link.case_id).await?;
    let header = opinion::header(&mut conn, link.case_id).await?;
    shares::record_view(&mut *conn, link.id, ip.as_deref(), now).await?;
    audit::record(
        &mut *conn,
        Entry::new("view_shared_opinion", Outcome::Success).on("case_share", link.id).case(link.case_id).from_ip(ip),
    )
    .await?;
    let expires = crate::web::format::date_time(link.expires_at);
    html(&SharedOpinionPage { page, header, opinion: OpinionView::of(&questions, &signed), expires })
        .map(IntoResponse::into_response)
}

#[derive(serde::Deserialize)]
struct UnlockForm {
    #[serde(default)]
    date_of_birth: String,
}

async fn unlock(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    ClientIp(ip): ClientIp,
    Path(token): Path<String>,
    Form(form): Form<UnlockForm>,
) -> Result<Response, AppError> {
    well_formed(&token)?;
    let now = state.clock.now();
    let link = shares::by_token(&state.db, &token, now).await?.ok_or(AppError::NotFound)?;
    if link.state != LinkState::Active {
        return gone(page, link.state);
    }
    let refuse = |page, errors, wait: Option<i64>, status| -> Result<Response, AppError> {
        let page = UnlockPage { page, token: token.clone(), date_of_birth: form.date_of_birth.clone(), errors, wait };
        Ok((status, html(&page)?).into_response())
    };
    if let Some(wait) = shares::throttled(&state.db, link.id, ip.as_deref(), now).await? {
        return refuse(page, FormErrors::default(), Some(wait), StatusCode::TOO_MANY_REQUESTS);
    }
    if form.date_of_birth.trim().parse::<jiff::civil::Date>().ok() != Some(link.date_of_birth) {
        shares::record_failure(&state.db, link.id, ip.as_deref(), now).await?;
        audit::record(
            &state.db,
            Entry::new("shared_opinion_unlock", Outcome::Denied)
                .on("case_share", link.id)
                .case(link.case_id)
                .from_ip(ip),
        )
        .await?;
        let mut errors = FormErrors::default();
        errors.add("date_of_birth", "That date of birth does not match. Check it with the family, and try again.");
        return refuse(page, errors, None, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let mut granted = opened(&session).await?;
    granted.push(link.id);
    session.insert(OPENED_KEY, granted).await?;
    Ok(Redirect::to(&format!("/shared/{token}")).into_response())
}
