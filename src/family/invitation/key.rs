//! Which invitation a request names: the emailed link's secret, or (from the
//! dashboard, signed in) its id together with the signed-in address.

use super::AcceptForm;
use crate::domain::InvitationId;
use crate::web::extract::CurrentUser;

/// How the invitation is named: by the emailed link's secret, or (signed in,
/// from the dashboard) by its id together with the address it was sent to.
pub(super) enum Key<'a> {
    Token(&'a str),
    Id(InvitationId, &'a str),
}

impl<'a> Key<'a> {
    /// The accept form carries the one its page was opened with.
    pub(super) fn of(form: &'a AcceptForm, user: &'a CurrentUser) -> Key<'a> {
        match form.invitation.parse::<uuid::Uuid>() {
            Ok(id) if form.token.is_empty() => Key::Id(InvitationId(id), user.email.as_str()),
            _ => Key::Token(&form.token),
        }
    }
}
