//! `GET/POST /login/code`: the sign-in's second step. The password step left
//! a [`SecondStep`] in the session; only a right, unused code (or an unused
//! recovery code) turns it into a signed-in session. Wrong codes count
//! against the same per-account limit as wrong passwords.

use super::Check;
use crate::audit::{self, Entry, Outcome};
use crate::auth::session::{self, SecondStep};
use crate::auth::throttle::{self, Verdict};
use crate::config::AppEnv;
use crate::domain::{Role, UserId};
use crate::error::AppError;
use crate::i18n::Msg;
use crate::state::AppState;
use crate::web::extract::ClientIp;
use crate::web::forms::{Form, FormErrors};
use crate::web::page::{FlashKind, PageContext, flash_redirect, html};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tower_sessions::Session;

pub const PATH: &str = "/login/code";

#[derive(Template)]
#[template(path = "auth/login_code.html")]
pub struct CodePage {
    page: PageContext,
    errors: FormErrors,
    /// Development and test only: the demo accounts' secret, said on the page.
    /// Empty in production.
    demo_secret: String,
}

fn render(state: &AppState, page: PageContext, errors: FormErrors, status: StatusCode) -> Result<Response, AppError> {
    let demo_secret =
        if state.config.env == AppEnv::Production { String::new() } else { super::DEMO_SECRET.to_owned() };
    Ok((status, html(&CodePage { page, errors, demo_secret })?).into_response())
}

/// Back to the password step (the half sign-in timed out or is not there).
fn start_again() -> Response {
    Redirect::to("/login?reason=ended").into_response()
}

pub async fn code_form(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
) -> Result<Response, AppError> {
    if session::second_step(&session, state.clock.now()).await?.is_none() {
        return Ok(start_again());
    }
    render(&state, page, FormErrors::default(), StatusCode::OK)
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

/// Who the half sign-in is for, as the database has them now.
struct Person {
    email: String,
    role: Role,
    generation: i32,
}

async fn person(state: &AppState, step: &SecondStep) -> Result<Option<Person>, AppError> {
    let row = sqlx::query_as!(
        Person,
        r#"select email, role as "role: Role", session_generation as generation
           from users where id = $1 and disabled_at is null"#,
        step.user_id as UserId
    )
    .fetch_optional(&state.db)
    .await?;
    // A password change or an admin's reset since the password step ends it.
    Ok(row.filter(|p| p.generation == step.generation))
}

pub async fn check_code(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    let now = state.clock.now();
    let Some(step) = session::second_step(&session, now).await? else { return Ok(start_again()) };
    let Some(person) = person(&state, &step).await? else {
        session::end_second_step(&session).await?;
        return Ok(start_again());
    };
    let mut errors = FormErrors::new(page.lang);
    if form.code.trim().is_empty() {
        errors.add("code", Msg("second-factor-code-missing"));
        return render(&state, page, errors, StatusCode::UNPROCESSABLE_ENTITY);
    }
    // Counted before it is checked, against the account's sign-in limit.
    let known_device = crate::auth::login::recognised_device(&state, &headers, step.user_id);
    let reserved = match throttle::reserve_sign_in(&state.db, &person.email, ip.as_deref(), known_device, now).await? {
        Verdict::Go(reserved) => reserved,
        Verdict::Wait { minutes, .. } => {
            if state.throttled.first(&format!("second-factor:{}", person.email), now) {
                let entry = Entry::new("login_throttled", Outcome::Denied).on("user", step.user_id).from_ip(ip);
                audit::record(&state.db, entry).await?;
            }
            errors.add("code", page.t1("second-factor-throttled", "minutes", minutes));
            let mut response = render(&state, page, errors, StatusCode::TOO_MANY_REQUESTS)?;
            response.headers_mut().insert("retry-after", HeaderValue::from(minutes * 60));
            return Ok(response);
        }
    };
    let key = super::key(&state.config.secret_key);
    let refuse_demo = state.config.env == AppEnv::Production;
    let mut conn = state.db.acquire().await?;
    let checked = super::check(&mut conn, &key, step.user_id, &form.code, now, refuse_demo).await?;
    drop(conn);
    let refusal = match checked {
        Check::Code | Check::Recovery { .. } => None,
        Check::Reused => Some("second-factor-code-used"),
        Check::Wrong => Some("second-factor-code-wrong"),
        Check::NotEnrolled => {
            // Reset by an admin between the two steps: the generation moved, so this is rare.
            throttle::release(&state.db, reserved).await?;
            session::end_second_step(&session).await?;
            return Ok(start_again());
        }
    };
    if let Some(message) = refusal {
        let entry = Entry::new("login_second_factor", Outcome::Failure)
            .by(step.user_id, person.role)
            .on("user", step.user_id)
            .from_ip(ip);
        audit::record(&state.db, entry).await?;
        errors.add("code", Msg(message));
        return render(&state, page, errors, StatusCode::UNPROCESSABLE_ENTITY);
    }

    throttle::release(&state.db, reserved).await?;
    session::log_in(&session, step.user_id, person.generation, now, true).await?;
    let action = if matches!(checked, Check::Recovery { .. }) { "login_recovery_code" } else { "login" };
    audit::record(
        &state.db,
        Entry::new(action, Outcome::Success).by(step.user_id, person.role).on("user", step.user_id).from_ip(ip),
    )
    .await?;
    let to = if step.next.is_empty() { person.role.home() } else { step.next.as_str() };
    let mut response = match checked {
        Check::Recovery { left } => {
            let text = page.t1("second-factor-recovery-used", "left", left);
            flash_redirect(&session, to, FlashKind::Info, text).await?
        }
        _ => Redirect::to(to).into_response(),
    };
    crate::auth::login::remember_device(&state, &mut response, step.user_id);
    Ok(response)
}
