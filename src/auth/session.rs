//! The typed session. Nothing else touches session keys for sign-in.
//!
//! Timeouts are enforced here, on the server, with the injected clock:
//! idle (15 minutes staff, 30 families; a page read counts) and absolute
//! (12 hours). Activity is written at most once a minute: a session write on
//! every request would cost far more than the page itself.

use crate::audit::{self, Entry, Outcome};
use crate::domain::{Role, UserId};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::csrf::SessionCsrf;
use crate::web::extract::{CurrentUser, SignedOut};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use jiff::{SignedDuration, Timestamp};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use tower_sessions::{Expiry, Session};

const AUTH_KEY: &str = "auth";
const KEPT_KEY: &str = "kept_for_sign_in";
const SECOND_STEP_KEY: &str = "second_step";
/// How long the code step waits after the password step.
pub const SECOND_STEP_TIMEOUT: SignedDuration = SignedDuration::from_mins(5);
pub const ABSOLUTE_TIMEOUT: SignedDuration = SignedDuration::from_hours(12);
const ACTIVITY_GRANULARITY: SignedDuration = SignedDuration::from_mins(1);

/// What the session remembers about who signed in, and when.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct SessionAuth {
    user_id: UserId,
    generation: i32,
    // Whole seconds since the epoch, as sessions have always stored them.
    #[serde(with = "jiff::fmt::serde::timestamp::second::required")]
    authenticated_at: Timestamp,
    #[serde(with = "jiff::fmt::serde::timestamp::second::required")]
    last_seen: Timestamp,
    /// The person also gave a second-factor code (or enrolled one) in this
    /// session. A staff session without it reaches only enrolment; sessions
    /// from before the second factor have it false.
    #[serde(default)]
    second_factor: bool,
}

/// A sign-in halfway: the password was right, the code is still to come.
/// Not a signed-in session (no `AUTH_KEY`, no owner): it passes no extractor.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SecondStep {
    pub user_id: UserId,
    pub generation: i32,
    #[serde(with = "jiff::fmt::serde::timestamp::second::required")]
    pub at: Timestamp,
    /// Where to go after the code.
    pub next: String,
}

/// Marks a request whose staff session has no second factor yet:
/// `CurrentUser` (and so every role extractor) then answers "enrol first".
#[derive(Clone, Copy, Debug)]
pub struct NeedsSecondFactor;

/// What a request whose session had just timed out kept for the same
/// person's next sign-in (a draft they were typing), and whose it is.
#[derive(Serialize, Deserialize)]
struct Kept {
    user_id: UserId,
    what: String,
    value: serde_json::Value,
}

/// Keeps `value` for the person whose session just `ended`, until they sign
/// in again. Nothing is kept for someone who was never signed in.
pub async fn keep_for_sign_in(
    session: &Session,
    ended: &SignedOut,
    what: &str,
    value: impl Serialize,
) -> Result<(), AppError> {
    let kept = Kept {
        user_id: ended.user,
        what: what.to_owned(),
        value: serde_json::to_value(value).map_err(anyhow::Error::from)?,
    };
    session.insert(KEPT_KEY, kept).await?;
    Ok(())
}

/// What [`keep_for_sign_in`] kept for `user` under `what`, once.
pub async fn take_kept<T: DeserializeOwned>(
    session: &Session,
    user: UserId,
    what: &str,
) -> Result<Option<T>, AppError> {
    let Some(kept) = session.get::<Kept>(KEPT_KEY).await? else { return Ok(None) };
    if kept.user_id != user || kept.what != what {
        return Ok(None);
    }
    session.remove::<Kept>(KEPT_KEY).await?;
    Ok(serde_json::from_value(kept.value).ok())
}

/// Signs `user` in: a new session id (no fixation), a new CSRF token, and a
/// cookie that dies with the absolute limit. Whatever was kept for someone
/// else who used this browser is dropped.
/// `second_factor`: a code was given too (see [`SessionAuth`]).
pub async fn log_in(
    session: &Session,
    user: UserId,
    generation: i32,
    now: Timestamp,
    second_factor: bool,
) -> Result<(), AppError> {
    session.cycle_id().await?;
    session.remove::<SecondStep>(SECOND_STEP_KEY).await?;
    if session.get::<Kept>(KEPT_KEY).await?.is_some_and(|kept| kept.user_id != user) {
        session.remove::<Kept>(KEPT_KEY).await?;
    }
    session
        .insert(
            AUTH_KEY,
            SessionAuth { user_id: user, generation, authenticated_at: now, last_seen: now, second_factor },
        )
        .await?;
    // The cookie's own expiry is tower-sessions' type; the limit that counts is checked above, on the server.
    let absolute = tower_sessions::cookie::time::Duration::seconds(ABSOLUTE_TIMEOUT.as_secs());
    session.set_expiry(Some(Expiry::AtDateTime(tower_sessions::cookie::time::OffsetDateTime::now_utc() + absolute)));
    crate::web::csrf::rotate(session).await
}

/// The password was right and a code must follow: a new session id, and
/// nothing signed in yet.
pub async fn begin_second_step(session: &Session, step: SecondStep) -> Result<(), AppError> {
    session.cycle_id().await?;
    session.remove::<SessionAuth>(AUTH_KEY).await?;
    session.insert(SECOND_STEP_KEY, step).await?;
    crate::web::csrf::rotate(session).await
}

/// The sign-in waiting for its code, if it is not older than [`SECOND_STEP_TIMEOUT`].
pub async fn second_step(session: &Session, now: Timestamp) -> Result<Option<SecondStep>, AppError> {
    let step = session.get::<SecondStep>(SECOND_STEP_KEY).await?;
    Ok(step.filter(|s| now.duration_since(s.at) <= SECOND_STEP_TIMEOUT))
}

/// Drops a sign-in waiting for its code (it timed out, or the account changed).
pub async fn end_second_step(session: &Session) -> Result<(), AppError> {
    session.remove::<SecondStep>(SECOND_STEP_KEY).await?;
    Ok(())
}

/// This session's person just enrolled: they proved the code, the session counts as both steps.
pub async fn second_factor_given(session: &Session) -> Result<(), AppError> {
    if let Some(mut auth) = session.get::<SessionAuth>(AUTH_KEY).await? {
        auth.second_factor = true;
        session.insert(AUTH_KEY, auth).await?;
    }
    Ok(())
}

/// Ends the session on the server; the old cookie is worth nothing after.
pub async fn log_out(session: &Session) -> Result<(), AppError> {
    session.flush().await?;
    Ok(())
}

/// After a password change: this session lives on in the new generation,
/// every other one ends at its next request.
pub async fn adopt_generation(session: &Session, generation: i32) -> Result<(), AppError> {
    if let Some(mut auth) = session.get::<SessionAuth>(AUTH_KEY).await? {
        auth.generation = generation;
        session.insert(AUTH_KEY, auth).await?;
    }
    Ok(())
}

/// Middleware: turns a valid session into a `CurrentUser` request extension,
/// or ends it and leaves a `SignedOut` reason for the sign-in page.
pub async fn authenticate(
    State(state): State<AppState>,
    session: Session,
    mut request: Request,
    next: Next,
) -> Result<Response, AppError> {
    let Some(mut auth) = session.get::<SessionAuth>(AUTH_KEY).await? else {
        return Ok(next.run(request).await);
    };
    let now = whole_seconds(state.clock.now());
    // The store read the user with the session (or found none: deleted, or a session from before owners).
    let user =
        session.get::<super::db::SessionUser>(super::session_store::USER_KEY).await?.filter(|u| u.id == auth.user_id);
    let user = match user {
        Some(user)
            if now.duration_since(auth.authenticated_at) <= ABSOLUTE_TIMEOUT
                && now.duration_since(auth.last_seen) <= user.role.idle_timeout()
                && !user.disabled
                && user.session_generation == auth.generation =>
        {
            user
        }
        user => {
            let reason = match user {
                _ if now.duration_since(auth.authenticated_at) > ABSOLUTE_TIMEOUT => "expired",
                Some(u) if now.duration_since(auth.last_seen) > u.role.idle_timeout() => "idle",
                _ => "ended",
            };
            tracing::info!(reason, "session ended");
            audit::record(&state.db, Entry::new("session_ended", Outcome::Success).on("user", auth.user_id)).await?;
            // The form that arrived with the ended session was still this
            // session's: its CSRF check comes next, against the old token.
            if let Some(token) = crate::web::csrf::session_token(&session).await? {
                request.extensions_mut().insert(SessionCsrf(token));
            }
            log_out(&session).await?;
            request.extensions_mut().insert(SignedOut { reason, user: auth.user_id });
            return Ok(next.run(request).await);
        }
    };
    // One rule for every staff page: no second factor in this session, nothing but enrolment.
    if user.role.is_staff() && !auth.second_factor {
        request.extensions_mut().insert(NeedsSecondFactor);
    }
    if now.duration_since(auth.last_seen) >= ACTIVITY_GRANULARITY {
        auth.last_seen = now;
        session.insert(AUTH_KEY, auth).await?;
    }
    request.extensions_mut().insert(CurrentUser {
        id: user.id,
        role: user.role,
        full_name: user.full_name,
        email: user.email,
        email_verified: user.email_verified,
        language: user.language,
    });
    Ok(next.run(request).await)
}

/// Who signed in to the session a record holds, for the store's `user_id`.
pub(super) fn owner(record: &tower_sessions::session::Record) -> Option<UserId> {
    let auth = record.data.get(AUTH_KEY)?;
    serde_json::from_value::<SessionAuth>(auth.clone()).ok().map(|auth| auth.user_id)
}

/// Sessions store whole seconds; comparing like with like keeps the limits exact.
fn whole_seconds(t: Timestamp) -> Timestamp {
    Timestamp::from_second(t.as_second()).unwrap_or(t)
}

/// The sentence the sign-in page shows for each `reason`.
pub fn reason_message(reason: &str) -> Option<crate::i18n::Msg> {
    Some(crate::i18n::Msg(match reason {
        "idle" => "signed-out-idle",
        "expired" => "signed-out-expired",
        "ended" => "signed-out-ended",
        "signed_out" => "signed-out",
        "password_reset" => "signed-out-password-reset",
        _ => return None,
    }))
}

/// The idle limit for a role, in minutes, for pages that mention it.
pub fn idle_minutes(role: Role) -> i64 {
    role.idle_timeout().as_secs() / 60
}
