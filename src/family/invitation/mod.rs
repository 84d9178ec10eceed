//! The invited parent or guardian opens the emailed link and accepts
//! (issue 14). The link's secret says which invitation; the gate is that the
//! person is signed in to a family account with the address it was sent to.
//! Signed out, the page sends them to sign in or register and back here
//! (the link rides along as `next`). Accepting is one transaction: the
//! invitation is settled by compare-and-set (it accepts once) and the
//! guardianship written, with who they are to the child, confirmed.
//! Signed in, the dashboard lists the invitations to their address
//! (`pending.rs`), each opened by its id: the gate is the same address.

mod key;
mod pending;
mod refusal;

use super::children::{GUARDIAN_RELATIONSHIPS, parse_guardian};
use super::guardians::token_hash;
use crate::audit::{self, Entry, Outcome};
use crate::domain::{ChildId, InvitationId, Relationship, Role, UserId};
use crate::error::{AppError, constraint_of};
use crate::state::AppState;
use crate::web::extract::{ClientIp, CurrentUser, MaybeUser, Query};
use crate::web::forms::{Form, FormErrors};
use crate::web::page::{FlashKind, PageContext, flash_redirect, html};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use jiff_sqlx::ToSqlx;
use key::Key;
pub use pending::{Pending, open_by_id, pending};
use refusal::Refusal;
use serde::Deserialize;
use sqlx::PgConnection;
use tower_sessions::Session;

/// An invitation as its link finds it.
struct Found {
    id: InvitationId,
    child_id: ChildId,
    email: String,
    expires_at: jiff_sqlx::Timestamp,
    accepted_at: Option<jiff_sqlx::Timestamp>,
    withdrawn_at: Option<jiff_sqlx::Timestamp>,
    inviter: String,
    child_name: String,
}

async fn find(conn: &mut PgConnection, key: &Key<'_>) -> sqlx::Result<Option<Found>> {
    let (hash, id, email) = match key {
        Key::Token(token) => (Some(token_hash(token)), None, None),
        Key::Id(id, email) => (None, Some(*id), Some(email.trim().to_lowercase())),
    };
    sqlx::query_as!(
        Found,
        r#"select i.id as "id: InvitationId", i.child_id as "child_id: ChildId", i.email,
                  i.expires_at as "expires_at: jiff_sqlx::Timestamp",
                  i.accepted_at as "accepted_at: jiff_sqlx::Timestamp",
                  i.withdrawn_at as "withdrawn_at: jiff_sqlx::Timestamp",
                  u.full_name as inviter, coalesce(c.preferred_name, c.first_name) as "child_name!"
           from guardian_invitations i
           join users u on u.id = i.invited_by
           join children c on c.id = i.child_id
           where i.token_hash = $1 or (i.id = $2 and i.email = $3)"#,
        hash,
        id as Option<InvitationId>,
        email
    )
    .fetch_optional(conn)
    .await
}

#[derive(Template)]
#[template(path = "family/guardians/refused.html")]
struct RefusedPage {
    page: PageContext,
    message: String,
    /// Signed in with the wrong account: offer to sign out.
    sign_out: bool,
}

#[derive(Template)]
#[template(path = "family/guardians/sign_in.html")]
struct SignInPage {
    page: PageContext,
    /// `/family/invitation?token=…`, URL-encoded for a `next` parameter.
    next: String,
}

#[derive(Default, Deserialize)]
pub struct AcceptForm {
    #[serde(default)]
    token: String,
    /// Opened from the dashboard: the invitation's id instead of the token.
    #[serde(default)]
    invitation: String,
    #[serde(default)]
    relationship: String,
    #[serde(default)]
    confirm_guardian: String,
}

#[derive(Template)]
#[template(path = "family/guardians/accept.html")]
struct AcceptPage {
    page: PageContext,
    inviter: String,
    child: String,
    form: AcceptForm,
    errors: FormErrors,
    relationships: [Relationship; 2],
}

/// What this person may do with the invitation `found` (its state first,
/// then whose it is). A wrong address or a staff account is audited.
async fn check(
    state: &AppState,
    found: &Option<Found>,
    user: &CurrentUser,
    ip: Option<String>,
    now: Timestamp,
) -> Result<Result<(), Refusal>, AppError> {
    let Some(found) = found else { return Ok(Err(Refusal::Unknown)) };
    let refusal = if user.role != Role::Family {
        Some(Refusal::Staff)
    } else if found.accepted_at.is_some() {
        Some(Refusal::Used)
    } else if found.withdrawn_at.is_some() {
        Some(Refusal::Withdrawn)
    } else if found.expires_at.to_jiff() <= now {
        Some(Refusal::Expired)
    } else if !found.email.eq_ignore_ascii_case(user.email.trim()) {
        Some(Refusal::WrongAddress)
    } else if crate::family::db::child(&state.db, user.id, found.child_id).await?.is_some() {
        Some(Refusal::AlreadyGuardian)
    } else {
        None
    };
    if matches!(refusal, Some(Refusal::WrongAddress | Refusal::Staff)) {
        audit::record(
            &state.db,
            Entry::new("guardian_invitation_accept", Outcome::Denied)
                .by(user.id, user.role)
                .on("invitation", found.id)
                .from_ip(ip),
        )
        .await?;
    }
    Ok(refusal.map_or(Ok(()), Err))
}

fn refused(page: PageContext, refusal: Refusal, found: &Option<Found>) -> Result<Response, AppError> {
    let until = found.as_ref().map(|f| page.date_time(f.expires_at.to_jiff())).unwrap_or_default();
    let message = page.lang.t1(refusal.message(), "until", until);
    let sign_out = matches!(refusal, Refusal::WrongAddress | Refusal::Staff);
    Ok((refusal.status(), html(&RefusedPage { page, message, sign_out })?).into_response())
}

#[derive(Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

/// The emailed link. Reading it changes nothing (mail scanners follow links).
pub async fn open(
    State(state): State<AppState>,
    page: PageContext,
    MaybeUser(user): MaybeUser,
    ClientIp(ip): ClientIp,
    Query(q): Query<TokenQuery>,
) -> Result<Response, AppError> {
    // Tokens are hex; anything else would not survive the round trip anyway.
    let token: String = q.token.chars().filter(char::is_ascii_hexdigit).take(64).collect();
    let Some(user) = user else {
        let next = format!("/family/invitation%3Ftoken%3D{token}");
        return Ok(html(&SignInPage { page, next })?.into_response());
    };
    let form = AcceptForm { token, ..AcceptForm::default() };
    show(&state, page, &user, ip, form).await
}

/// The accept page for the invitation `form` names (nothing typed yet), or
/// why it can't be accepted.
async fn show(
    state: &AppState,
    page: PageContext,
    user: &CurrentUser,
    ip: Option<String>,
    form: AcceptForm,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let found = find(&mut conn, &Key::of(&form, user)).await?;
    drop(conn);
    if found.is_none() && matches!(Key::of(&form, user), Key::Id(..)) {
        return Err(AppError::NotFound); // not an invitation to this address
    }
    if let Err(refusal) = check(state, &found, user, ip, state.clock.now()).await? {
        return refused(page, refusal, &found);
    }
    let Some(found) = found else { return Err(AppError::NotFound) };
    let (inviter, child, errors) = (found.inviter, found.child_name, FormErrors::new(page.lang));
    let page = AcceptPage { page, inviter, child, form, errors, relationships: GUARDIAN_RELATIONSHIPS };
    Ok(html(&page)?.into_response())
}

/// Accepts: the invitation settles once, and the guardianship is written
/// with it, or neither.
pub async fn accept(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    MaybeUser(user): MaybeUser,
    ClientIp(ip): ClientIp,
    Form(form): Form<AcceptForm>,
) -> Result<Response, AppError> {
    let Some(user) = user else {
        return Err(AppError::SignInRequired { next: None, reason: None });
    };
    let now = state.clock.now();
    let mut conn = state.db.acquire().await?;
    let found = find(&mut conn, &Key::of(&form, &user)).await?;
    drop(conn);
    if let Err(refusal) = check(&state, &found, &user, ip.clone(), now).await? {
        return refused(page, refusal, &found);
    }
    let Some(found) = found else { return Err(AppError::NotFound) };
    let mut errors = FormErrors::new(page.lang);
    let Some(relationship) = parse_guardian(&form.relationship, &form.confirm_guardian, &mut errors) else {
        let (inviter, child) = (found.inviter, found.child_name);
        let page = AcceptPage { page, inviter, child, form, errors, relationships: GUARDIAN_RELATIONSHIPS };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)?).into_response());
    };
    let mut tx = state.db.begin().await?;
    // Compare-and-set: only an open invitation, in its week, to this address.
    let settled = sqlx::query_scalar!(
        r#"update guardian_invitations set accepted_at = $3, accepted_by = $2
           where id = $1 and accepted_at is null and withdrawn_at is null and expires_at > $3 and email = $4
           returning invited_by as "invited_by: UserId""#,
        found.id as InvitationId,
        user.id as UserId,
        now.to_sqlx() as _,
        user.email.trim().to_lowercase()
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(invited_by) = settled else {
        // Someone settled it since the page was read: say how it stands now.
        drop(tx);
        let mut conn = state.db.acquire().await?;
        let found = find(&mut conn, &Key::of(&form, &user)).await?;
        let refusal = check(&state, &found, &user, ip, now).await?.err().unwrap_or(Refusal::Used);
        return refused(page, refusal, &found);
    };
    let inserted = sqlx::query!(
        "insert into guardianships (child_id, user_id, relationship, confirmed_at, invited_by)
         values ($1, $2, $3, $4, $5)",
        found.child_id as ChildId,
        user.id as UserId,
        relationship as Relationship,
        now.to_sqlx() as _,
        invited_by as UserId
    )
    .execute(&mut *tx)
    .await;
    match inserted {
        Ok(_) => {}
        Err(e) if constraint_of(&e) == Some("guardianships_at_most_two") => {
            return refused(page, Refusal::TwoGuardians, &Some(found));
        }
        Err(e) if constraint_of(&e) == Some("guardianships_current") => {
            return refused(page, Refusal::AlreadyGuardian, &Some(found));
        }
        Err(e) => return Err(e.into()),
    }
    audit::record(
        &mut *tx,
        Entry::new("guardian_invitation_accept", Outcome::Success)
            .by(user.id, user.role)
            .on("invitation", found.id)
            .from_ip(ip),
    )
    .await?;
    tx.commit().await?;
    let message = page.lang.t1("invitation-accepted", "child", found.child_name.as_str());
    flash_redirect(&session, "/family", FlashKind::Success, message).await
}
