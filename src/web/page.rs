//! What every page shares: the signed-in person, navigation, the CSRF token
//! for its forms, a one-time flash message and the test-mode banner.

use crate::error::AppError;
use crate::i18n::{Arg, Lang};
use crate::state::AppState;
use crate::web::assets;
use crate::web::extract::CurrentUser;
use crate::web::format::{Day, Instant};
use askama::Template;
use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

/// A link in the site navigation.
pub struct NavLink {
    pub href: &'static str,
    pub label: String,
    pub current: bool,
}

/// A message shown once, on the next page, after a redirect.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Flash {
    pub kind: FlashKind,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FlashKind {
    Success,
    Info,
    /// Something was refused: nothing changed, and the message says why.
    Error,
}

impl Flash {
    /// Errors are announced at once (and focused); the rest politely.
    pub fn is_error(&self) -> bool {
        self.kind == FlashKind::Error
    }

    pub fn class(&self) -> &'static str {
        match self.kind {
            FlashKind::Success => "flash flash-success",
            FlashKind::Info => "flash flash-info",
            FlashKind::Error => "flash flash-error",
        }
    }
}

const FLASH_KEY: &str = "flash";

/// Stores a flash message for the next page and redirects there (303).
pub async fn flash_redirect(
    session: &Session,
    to: &str,
    kind: FlashKind,
    message: impl Into<String>,
) -> Result<Response, AppError> {
    session.insert(FLASH_KEY, Flash { kind, message: message.into() }).await?;
    Ok(Redirect::to(to).into_response())
}

/// A refusal the person can act on ("this case changed since you opened
/// it", "records are still outstanding") takes them back to the page they
/// were on, with the reason at the top, instead of to an error page.
pub async fn back_on_refusal(
    session: &Session,
    to: &str,
    result: Result<Response, AppError>,
) -> Result<Response, AppError> {
    match result {
        // Staff pages (the only callers) are in English.
        Err(AppError::Conflict(refusal)) => flash_redirect(session, to, FlashKind::Error, refusal.to_string()).await,
        other => other,
    }
}

/// The layout's data. Every page struct has a `page: PageContext` field.
pub struct PageContext {
    pub user_name: Option<String>,
    pub role_label: Option<&'static str>,
    /// Signed in as care team or administrator: the staff footer, not the family's.
    pub staff: bool,
    pub home: &'static str,
    pub nav: Vec<NavLink>,
    pub csrf_token: String,
    pub flash: Option<Flash>,
    pub test_mode: bool,
    pub css_url: &'static str,
    pub print_css_url: &'static str,
    /// The hospital, the partner, the help lines: named from configuration.
    pub program: std::sync::Arc<crate::config::Program>,
    /// The language of the page (staff pages: always English).
    pub lang: Lang,
    /// The page's own path, for the language switch to come back to.
    pub path: String,
}

impl PageContext {
    /// For error pages rendered outside any request context: no user, no forms.
    pub fn bare() -> Self {
        Self::new(None, String::new(), None, false, "", Lang::En)
    }

    /// The layout for `user` (if signed in) on the page at `path`.
    pub fn new(
        user: Option<&CurrentUser>,
        csrf_token: String,
        flash: Option<Flash>,
        test_mode: bool,
        path: &str,
        lang: Lang,
    ) -> Self {
        // Staff pages stay English (and have no switch).
        let lang = if user.is_some_and(|u| u.role != crate::domain::Role::Family) { Lang::En } else { lang };
        Self {
            user_name: user.map(|u| u.full_name.clone()),
            role_label: user.map(|u| u.role.label()),
            staff: user.is_some_and(|u| u.role != crate::domain::Role::Family),
            home: user.map_or("/", |u| u.role.home()),
            nav: nav_for(user, path, lang),
            csrf_token,
            flash,
            test_mode,
            css_url: assets::url("app.css"),
            print_css_url: assets::url("print.css"),
            program: crate::program::current(),
            lang,
            path: path.to_owned(),
        }
    }

    pub fn signed_in(&self) -> bool {
        self.user_name.is_some()
    }

    pub fn is_staff(&self) -> bool {
        self.staff
    }

    // The translation layer, for templates: `{{ page.t("id") }}`,
    // `{{ page.t1("id", "name", value) }}`; `th*` for messages with markup.

    pub fn t(&self, id: &str) -> String {
        self.lang.t(id)
    }
    pub fn t1(&self, id: &str, k: &'static str, v: impl Into<Arg>) -> String {
        self.lang.t1(id, k, v)
    }
    pub fn t2(&self, id: &str, k1: &'static str, v1: impl Into<Arg>, k2: &'static str, v2: impl Into<Arg>) -> String {
        self.lang.t2(id, k1, v1, k2, v2)
    }
    // A message's id and three named values: templates can't build a Vec.
    #[allow(clippy::too_many_arguments)]
    pub fn t3(
        &self,
        id: &str,
        k1: &'static str,
        v1: impl Into<Arg>,
        k2: &'static str,
        v2: impl Into<Arg>,
        k3: &'static str,
        v3: impl Into<Arg>,
    ) -> String {
        self.lang.t3(id, k1, v1, k2, v2, k3, v3)
    }
    pub fn th(&self, id: &str) -> askama::filters::Safe<String> {
        self.lang.th(id, vec![])
    }
    pub fn th1(&self, id: &str, k: &'static str, v: impl Into<Arg>) -> askama::filters::Safe<String> {
        self.lang.th(id, vec![(k, v.into())])
    }
    pub fn th2(
        &self,
        id: &str,
        k1: &'static str,
        v1: impl Into<Arg>,
        k2: &'static str,
        v2: impl Into<Arg>,
    ) -> askama::filters::Safe<String> {
        self.lang.th(id, vec![(k1, v1.into()), (k2, v2.into())])
    }
    // A message's id and three named values: templates can't build a Vec.
    #[allow(clippy::too_many_arguments)]
    pub fn th3(
        &self,
        id: &str,
        k1: &'static str,
        v1: impl Into<Arg>,
        k2: &'static str,
        v2: impl Into<Arg>,
        k3: &'static str,
        v3: impl Into<Arg>,
    ) -> askama::filters::Safe<String> {
        self.lang.th(id, vec![(k1, v1.into()), (k2, v2.into()), (k3, v3.into())])
    }
    /// A domain value's name (a state, a relationship…) in the page's language.
    pub fn label(&self, value: &impl crate::i18n::Labelled) -> String {
        self.lang.t(value.msg().0)
    }

    // Dates, times and money as the page's language writes them (Pacific time).

    pub fn date_time(&self, at: impl Instant) -> String {
        crate::i18n::date_time_in(self.lang, at)
    }
    pub fn long_date_time(&self, at: impl Instant) -> String {
        crate::i18n::long_date_time_in(self.lang, at)
    }
    pub fn deadline(&self, at: impl Instant) -> String {
        crate::i18n::deadline_in(self.lang, at)
    }
    pub fn date(&self, day: impl Day) -> String {
        crate::i18n::date_in(self.lang, day)
    }
    pub fn long_date(&self, day: impl Day) -> String {
        crate::i18n::long_date_in(self.lang, day.day())
    }
    pub fn money(&self, amount: &crate::domain::Cents) -> String {
        crate::i18n::money_in(self.lang, *amount)
    }
}

impl<S> FromRequestParts<S> for PageContext
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let state = AppState::from_ref(state);
        let session = Session::from_request_parts(parts, &state)
            .await
            .map_err(|(_, msg)| AppError::Internal(anyhow::anyhow!(msg)))?;
        // Worked out by the CSRF middleware: the session's, or a visitor's cookie-bound one.
        let crate::web::csrf::CsrfToken(csrf_token) =
            crate::web::csrf::CsrfToken::from_request_parts(parts, &state).await?;
        let user = parts.extensions.get::<CurrentUser>();
        // Only touch the session when there is a flash: `remove` marks it
        // modified, and a session write on every page view would cost far
        // more than the page itself.
        let flash = match session.get::<Flash>(FLASH_KEY).await? {
            Some(flash) => {
                session.remove::<Flash>(FLASH_KEY).await?;
                Some(flash)
            }
            None => None,
        };
        let path = crate::web::extract::original_uri(parts);
        let lang = parts.extensions.get::<Lang>().copied().unwrap_or_default();
        Ok(Self::new(
            user,
            csrf_token,
            flash,
            state.config.payments_test_mode(),
            path.split('?').next().unwrap_or("/"),
            lang,
        ))
    }
}

fn nav_for(user: Option<&CurrentUser>, path: &str, lang: Lang) -> Vec<NavLink> {
    use crate::domain::Role;
    let links: &[(&'static str, &'static str)] = match user.map(|u| u.role) {
        // The family's side and visitors read it in their language (message ids).
        None => &[("/", "nav-home"), ("/login", "nav-sign-in"), ("/register", "nav-register")],
        Some(Role::Family) => &[("/family", "nav-family"), ("/account", "nav-account")],
        Some(Role::Coordinator) => &[("/coordinator", "Case queue"), ("/account", "Account")],
        Some(Role::Clinician) => &[("/clinician", "Follow-ups"), ("/account", "Account")],
        Some(Role::Specialist) => {
            &[("/specialist", "Assigned cases"), ("/specialist/profile", "Your profile"), ("/account", "Account")]
        }
        Some(Role::Admin) => &[
            ("/admin", "Staff"),
            ("/admin/specialists", "Specialists"),
            ("/admin/outbox", "Email"),
            ("/admin/payments", "Payments"),
            ("/admin/reports", "Reports"),
            ("/admin/settings", "Settings"),
            ("/admin/audit", "Audit"),
            ("/account", "Account"),
        ],
    };
    let family_side = user.is_none_or(|u| u.role == Role::Family);
    links
        .iter()
        .map(|&(href, label)| NavLink {
            href,
            label: if family_side { lang.t(label) } else { label.to_owned() },
            current: href == path,
        })
        .collect()
}

/// Renders a template to an HTML response body.
pub fn html<T: Template>(template: &T) -> Result<Html<String>, AppError> {
    Ok(Html(template.render()?))
}
