//! A child's parents and guardians, as the family manages them (issue 14):
//! the page that lists them, the invitation to the other parent or guardian
//! (by email, a week, one open at a time), withdrawing it, removing the
//! second guardian, and leaving. Accepting is in `../invitation.rs`; removing
//! and leaving in `remove.rs`.
//!
//! Who may do what: any current guardian sees the page; only the guardian who
//! added the child (`children.family_id`) invites, withdraws and removes; the
//! invited guardian may leave. Anything else is the same 404 as a stranger.

mod remove;

use super::db;
use crate::audit::{self, Entry, Outcome};
use crate::domain::{ChildId, EmailAddress, InvitationId, Relationship, UserId};
use crate::error::AppError;
use crate::i18n::{Lang, Msg};
use crate::notify::{self, Email};
use crate::state::AppState;
use crate::web::extract::{ClientIp, Family, Path};
use crate::web::forms::{Form, FormErrors};
use crate::web::page::{FlashKind, PageContext, flash_redirect, html};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff_sqlx::ToSqlx;
pub use remove::{leave, remove};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use sqlx::PgConnection;
use tower_sessions::Session;

/// How long an invitation works (the database checks the same week).
pub const INVITATION_DAYS: i64 = 7;

/// SHA-256 of an invitation's secret: all the database keeps of it.
pub(super) fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// A current guardian, as the family's page lists them.
pub struct GuardianRow {
    pub user_id: UserId,
    pub full_name: String,
    pub relationship: Option<Relationship>,
    /// Added the child (and so may invite and remove); else invited.
    pub added_child: bool,
}

/// The open invitation (it may have run out: then it can only be replaced).
pub struct OpenInvitation {
    pub id: InvitationId,
    pub email: String,
    pub expires_at: jiff_sqlx::Timestamp,
}

/// The child as this guardian may manage it: `None` when they are not a
/// current guardian (→ 404).
pub(super) struct Managed {
    pub(super) child: db::ChildRow,
    /// This person added the child: they invite, withdraw and remove.
    pub(super) is_adder: bool,
}

pub(super) async fn managed(conn: &mut PgConnection, user: UserId, id: ChildId) -> Result<Managed, AppError> {
    let child = db::child(&mut *conn, user, id).await?.ok_or(AppError::NotFound)?;
    let is_adder = sqlx::query_scalar!(
        r#"select family_id = $2 as "adder!" from children where id = $1"#,
        id as ChildId,
        user as UserId
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(Managed { child, is_adder })
}

/// The child's current guardians, the one who added the child first.
pub async fn current(conn: &mut PgConnection, child: ChildId) -> sqlx::Result<Vec<GuardianRow>> {
    sqlx::query_as!(
        GuardianRow,
        r#"select g.user_id as "user_id: UserId", u.full_name, g.relationship as "relationship: Relationship",
                  g.invited_by is null as "added_child!"
           from guardianships g join users u on u.id = g.user_id
           where g.child_id = $1 and g.removed_at is null
           order by g.invited_by is null desc, g.created_at"#,
        child as ChildId
    )
    .fetch_all(conn)
    .await
}

async fn open_invitation(conn: &mut PgConnection, child: ChildId) -> sqlx::Result<Option<OpenInvitation>> {
    sqlx::query_as!(
        OpenInvitation,
        r#"select id as "id: InvitationId", email, expires_at as "expires_at: jiff_sqlx::Timestamp"
           from guardian_invitations
           where child_id = $1 and accepted_at is null and withdrawn_at is null"#,
        child as ChildId
    )
    .fetch_optional(conn)
    .await
}

#[derive(Default, Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    email: String,
}

#[derive(Template)]
#[template(path = "family/guardians/page.html")]
struct GuardiansPage {
    page: PageContext,
    child: db::ChildRow,
    me: UserId,
    is_adder: bool,
    guardians: Vec<GuardianRow>,
    invitation: Option<OpenInvitation>,
    /// The open invitation's week is over.
    expired: bool,
    form: InviteForm,
    errors: FormErrors,
}

impl GuardiansPage {
    fn can_invite(&self) -> bool {
        self.is_adder && self.guardians.len() < 2
    }
}

async fn render(
    state: &AppState,
    page: PageContext,
    user: UserId,
    id: ChildId,
    form: InviteForm,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    let Managed { child, is_adder } = managed(&mut conn, user, id).await?;
    let guardians = current(&mut conn, id).await?;
    let invitation = open_invitation(&mut conn, id).await?;
    let now = state.clock.now();
    let expired = invitation.as_ref().is_some_and(|i| i.expires_at.to_jiff() <= now);
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = GuardiansPage { page, child, me: user, is_adder, guardians, invitation, expired, form, errors };
    Ok((status, html(&page)?).into_response())
}

pub async fn guardians_page(
    State(state): State<AppState>,
    page: PageContext,
    Family(user): Family,
    Path(id): Path<ChildId>,
) -> Result<Response, AppError> {
    let errors = FormErrors::new(page.lang);
    render(&state, page, user.id, id, InviteForm::default(), errors).await
}

/// Sends the invitation: a new one withdraws the open one, in one
/// transaction with its email (sealed: the link is a secret).
pub async fn invite(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Family(user): Family,
    ClientIp(ip): ClientIp,
    Path(id): Path<ChildId>,
    Form(form): Form<InviteForm>,
) -> Result<Response, AppError> {
    let lang = page.lang;
    let mut errors = FormErrors::new(lang);
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    if !managed(&mut tx, user.id, id).await?.is_adder {
        return Err(AppError::NotFound);
    }
    // One invitation at a time for this child: the child's row is the lock.
    sqlx::query!("select id from children where id = $1 for update", id as ChildId).fetch_one(&mut *tx).await?;
    let email = errors.check("email", EmailAddress::parse(&form.email));
    let guardians = current(&mut tx, id).await?;
    if guardians.len() >= 2 {
        errors.add("email", Msg("guardians-two-already"));
    }
    let Some(email) = email.filter(|_| errors.is_empty()) else {
        drop(tx);
        return render(&state, page, user.id, id, form, errors).await;
    };
    let already = sqlx::query_scalar!(
        r#"select exists (select 1 from guardianships g join users u on u.id = g.user_id
                          where g.child_id = $1 and g.removed_at is null and u.email = $2) as "already!""#,
        id as ChildId,
        email.as_str()
    )
    .fetch_one(&mut *tx)
    .await?;
    if already {
        drop(tx);
        errors.add("email", Msg("guardians-already-guardian"));
        return render(&state, page, user.id, id, form, errors).await;
    }
    sqlx::query!(
        "update guardian_invitations set withdrawn_at = $2, withdrawn_by = $3
         where child_id = $1 and accepted_at is null and withdrawn_at is null",
        id as ChildId,
        now.to_sqlx() as _,
        user.id as UserId
    )
    .execute(&mut *tx)
    .await?;
    let token = hex::encode(rand::random::<[u8; 32]>());
    let invitation = sqlx::query_scalar!(
        r#"insert into guardian_invitations (child_id, invited_by, email, created_at, expires_at, token_hash)
           values ($1, $2, $3, $4::timestamptz, $4::timestamptz + make_interval(days => $5), $6)
           returning id as "id: InvitationId""#,
        id as ChildId,
        user.id as UserId,
        email.as_str(),
        now.to_sqlx() as _,
        INVITATION_DAYS as i32,
        token_hash(&token)
    )
    .fetch_one(&mut *tx)
    .await?;
    let link = format!("{}/family/invitation?token={token}", state.config.base_url);
    let to_lang = invitee_language(&mut tx, email.as_str()).await?.unwrap_or(lang);
    notify::enqueue_sealed_in(
        &mut tx,
        &state.outbox_key,
        now,
        email.as_str(),
        to_lang,
        &Email::GuardianInvite { link },
    )
    .await?;
    audit::record(
        &mut *tx,
        Entry::new("guardian_invited", Outcome::Success)
            .by(user.id, user.role)
            .on("invitation", invitation)
            .from_ip(ip),
    )
    .await?;
    tx.commit().await?;
    let to = format!("/family/children/{id}/guardians");
    flash_redirect(&session, &to, FlashKind::Success, lang.t1("guardians-invite-sent", "email", email.as_str())).await
}

/// The language the invited address's family account chose, if it has one.
async fn invitee_language(conn: &mut PgConnection, email: &str) -> sqlx::Result<Option<Lang>> {
    let chosen = sqlx::query_scalar!(
        r#"select language as "language: Lang" from users where email = $1 and role = 'family'"#,
        email
    )
    .fetch_optional(conn)
    .await?;
    Ok(chosen.flatten())
}

/// Withdraws the open invitation: its link stops working at once.
pub async fn revoke(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Family(user): Family,
    Path((id, invitation)): Path<(ChildId, InvitationId)>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    if !managed(&mut conn, user.id, id).await?.is_adder {
        return Err(AppError::NotFound);
    }
    let withdrawn = sqlx::query!(
        "update guardian_invitations set withdrawn_at = $3, withdrawn_by = $4
         where id = $1 and child_id = $2 and accepted_at is null and withdrawn_at is null",
        invitation as InvitationId,
        id as ChildId,
        state.clock.now().to_sqlx() as _,
        user.id as UserId
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    let to = format!("/family/children/{id}/guardians");
    if withdrawn == 0 {
        return flash_redirect(&session, &to, FlashKind::Error, page.lang.t("guardians-invite-settled")).await;
    }
    audit::record(
        &mut *conn,
        Entry::new("guardian_invitation_withdrawn", Outcome::Success)
            .by(user.id, user.role)
            .on("invitation", invitation),
    )
    .await?;
    flash_redirect(&session, &to, FlashKind::Success, page.lang.t("guardians-invite-withdrawn")).await
}
