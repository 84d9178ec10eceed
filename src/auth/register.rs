//! `GET/POST /register`: public sign-up creates family accounts only.
//!
//! The answer never says whether an address already has an account: its
//! owner gets an email instead ("someone tried to register with your address").

use super::throttle::{self, Limit, Verdict};
use super::{db, tokens};
use crate::audit::{self, Entry, Outcome};
use crate::domain::{EmailAddress, NewPassword, PersonName, Role};
use crate::error::AppError;
use crate::notify::{self, Email};
use crate::state::AppState;
use crate::web::extract::{ClientIp, MaybeUser, Query};
use crate::web::forms::{Form, FormErrors};
use crate::web::page::{PageContext, html};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "auth/register.html")]
pub struct RegisterPage {
    page: PageContext,
    full_name: String,
    email: String,
    errors: FormErrors,
    /// Where to go after signing in (an invitation's link), kept through registration.
    next: Next,
}

/// A same-site path to come back to after registering and signing in.
#[derive(Default, Deserialize)]
pub struct Next {
    #[serde(default)]
    next: String,
}

impl Next {
    fn safe(self) -> Self {
        if super::login::safe_next(&self.next) { self } else { Next::default() }
    }

    /// `?next=…` for a link, or nothing.
    pub fn query(&self) -> String {
        if self.next.is_empty() {
            return String::new();
        }
        format!("?next={}", form_urlencoded::byte_serialize(self.next.as_bytes()).collect::<String>())
    }
}

pub async fn register_form(
    page: PageContext,
    MaybeUser(user): MaybeUser,
    Query(next): Query<Next>,
) -> Result<Response, AppError> {
    if let Some(user) = user {
        return Ok(Redirect::to(user.role.home()).into_response());
    }
    let errors = FormErrors::new(page.lang);
    let page = RegisterPage { page, full_name: String::new(), email: String::new(), errors, next: next.safe() };
    Ok(html(&page)?.into_response())
}

#[derive(Deserialize)]
pub struct RegisterForm {
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

pub async fn register(
    State(state): State<AppState>,
    page: PageContext,
    ClientIp(ip): ClientIp,
    Form(form): Form<RegisterForm>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::new(page.lang);
    let next = Next { next: form.next.clone() }.safe();
    let name = errors.check("full_name", PersonName::parse(&form.full_name));
    let email = errors.check("email", EmailAddress::parse(&form.email));
    let password = errors.check("password", NewPassword::parse(&form.password));
    let (Some(name), Some(email), Some(password)) = (name, email, password) else {
        // What was typed is kept, except the password, which is never echoed back.
        let page = RegisterPage {
            page,
            full_name: form.full_name.trim().to_owned(),
            email: form.email.trim().to_owned(),
            errors,
            next,
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)?).into_response());
    };

    let now = state.clock.now();
    if let Verdict::Wait { minutes, by } =
        throttle::reserve_sign_up(&state.db, email.as_str(), ip.as_deref(), now).await?
    {
        tracing::warn!(limit = ?by, "sign-up throttled");
        errors.add(
            "email",
            match by {
                Limit::Account => page.t1("register-throttled-account", "minutes", minutes),
                Limit::Network => page.t1("register-throttled-network", "minutes", minutes),
            },
        );
        let page = RegisterPage {
            page,
            full_name: form.full_name.trim().to_owned(),
            email: form.email.trim().to_owned(),
            errors,
            next,
        };
        let mut response = (StatusCode::TOO_MANY_REQUESTS, html(&page)?).into_response();
        response.headers_mut().insert("retry-after", axum::http::HeaderValue::from(minutes * 60));
        return Ok(response);
    }
    let phc = state.hasher.hash(password.expose()).await?;
    let base = &state.config.base_url;
    let mut tx = state.db.begin().await?;
    match db::insert_user(&mut tx, &email, name.as_str(), Role::Family, &phc, false).await? {
        Some(user) => {
            crate::web::language::remember(&mut tx, user, page.lang).await?;
            let token = tokens::issue(&mut tx, user, tokens::Purpose::VerifyEmail, now).await?;
            notify::enqueue_sealed(
                &mut tx,
                &state.outbox_key,
                now,
                email.as_str(),
                &Email::VerifyEmail { link: format!("{base}/verify-email?token={token}") },
            )
            .await?;
            audit::record(
                &mut *tx,
                Entry::new("account_created", Outcome::Success).by(user, Role::Family).on("user", user).from_ip(ip),
            )
            .await?;
        }
        None => {
            notify::enqueue(
                &mut tx,
                now,
                email.as_str(),
                &Email::AccountExists { reset_link: format!("{base}/password-reset") },
            )
            .await?;
            audit::record(&mut *tx, Entry::new("account_created", Outcome::Failure).from_ip(ip)).await?;
        }
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("/register/check-email{}", next.query())).into_response())
}

#[derive(Template)]
#[template(path = "auth/check_email.html")]
pub struct CheckEmailPage {
    page: PageContext,
    next: Next,
}

pub async fn check_email(page: PageContext, Query(next): Query<Next>) -> Result<Html<String>, AppError> {
    html(&CheckEmailPage { page, next: next.safe() })
}
