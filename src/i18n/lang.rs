//! The languages the family's side is written in, and which one a request
//! is answered in.

/// A language the family's side is written in (Postgres enum `language`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, sqlx::Type, serde::Serialize, serde::Deserialize)]
#[sqlx(type_name = "language", rename_all = "lowercase")]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Es,
}

/// The cookie that keeps a visitor's choice (no session row is made for it).
pub const COOKIE: &str = "so_lang";

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Es];

    /// The BCP 47 tag, for `<html lang>` and the cookie.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    /// The language's name in itself, as the switch offers it.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Es => "Español",
        }
    }

    pub fn parse(raw: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.tag() == raw.trim())
    }

    /// The other language: what the switch offers.
    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Es,
            Lang::Es => Lang::En,
        }
    }

    /// The best of our languages for an `Accept-Language` header (RFC 9110
    /// §12.5.4: weights, `es-MX` counts as `es`, `*` as anything), or `None`
    /// when it names neither.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(Lang, f32, usize)> = None;
        for (position, item) in header.split(',').enumerate() {
            let mut parts = item.split(';');
            let range = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let weight = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if weight <= 0.0 {
                continue;
            }
            let primary = range.split('-').next().unwrap_or("");
            let Some(lang) = Lang::parse(primary) else { continue };
            // Higher weight wins; on a tie, the one listed first.
            if best.is_none_or(|(_, w, p)| weight > w || (weight == w && position < p)) {
                best = Some((lang, weight, position));
            }
        }
        best.map(|(lang, _, _)| lang)
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.tag())
    }
}

/// The language a request is answered in: the account's choice, else the
/// switch's cookie, else what the browser asks for, else English.
pub fn choose(account: Option<Lang>, cookie: Option<&str>, accept_language: Option<&str>) -> Lang {
    account
        .or_else(|| cookie.and_then(Lang::parse))
        .or_else(|| accept_language.and_then(Lang::from_accept_language))
        .unwrap_or_default()
}

/// Middleware (after `authenticate`): puts the request's [`Lang`] in its
/// extensions, for `PageContext`, handlers and error pages. Staff pages stay
/// English, whatever the browser says. Reads no database: the account's
/// choice came with the signed-in user.
pub async fn negotiate(mut request: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    let user = request.extensions().get::<crate::web::extract::CurrentUser>();
    let lang = match user {
        Some(u) if u.role != crate::domain::Role::Family => Lang::En,
        user => {
            let headers = request.headers();
            let cookie = crate::web::extract::cookie(headers, COOKIE);
            let accept = headers.get(axum::http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
            choose(user.and_then(|u| u.language), cookie.as_deref(), accept)
        }
    };
    request.extensions_mut().insert(lang);
    next.run(request).await
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<Lang>().copied().unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_weights_and_regions() {
        assert_eq!(Lang::from_accept_language("es-MX,es;q=0.9,en;q=0.8"), Some(Lang::Es));
        assert_eq!(Lang::from_accept_language("en-US,en;q=0.9,es;q=0.8"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("fr-FR, es;q=0.5, en;q=0.3"), Some(Lang::Es));
        assert_eq!(Lang::from_accept_language("ES"), Some(Lang::Es));
        assert_eq!(Lang::from_accept_language("es;q=0, en;q=0.1"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("de, fr"), None);
        assert_eq!(Lang::from_accept_language(""), None);
    }

    #[test]
    fn the_account_then_the_cookie_then_the_browser() {
        assert_eq!(choose(Some(Lang::En), Some("es"), Some("es")), Lang::En);
        assert_eq!(choose(None, Some("es"), Some("en")), Lang::Es);
        assert_eq!(choose(None, Some("klingon"), Some("es-419")), Lang::Es);
        assert_eq!(choose(None, None, None), Lang::En);
    }
}
