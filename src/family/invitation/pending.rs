//! The invitations waiting for a signed-in family member: the dashboard
//! says who invited them, and links to the invitation by its id. The id is
//! no secret, so it opens only for the address the invitation was sent to
//! (anyone else gets the 404 a stranger gets).

use super::{AcceptForm, show};
use crate::domain::{InvitationId, UserId};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::extract::{ClientIp, Family, Path};
use crate::web::page::PageContext;
use axum::extract::State;
use axum::response::Response;
use jiff::Timestamp;
use jiff_sqlx::ToSqlx;
use sqlx::PgConnection;

/// An open invitation to this person's address, as the dashboard shows it.
pub struct Pending {
    pub id: InvitationId,
    pub inviter: String,
}

/// The open, unexpired invitations to `email`, oldest first, except to a
/// child `user` already shares (accepting would be refused anyway).
pub async fn pending(conn: &mut PgConnection, user: UserId, email: &str, now: Timestamp) -> sqlx::Result<Vec<Pending>> {
    sqlx::query_as!(
        Pending,
        r#"select i.id as "id: InvitationId", u.full_name as inviter
           from guardian_invitations i join users u on u.id = i.invited_by
           where i.email = $1 and i.accepted_at is null and i.withdrawn_at is null and i.expires_at > $2
             and not is_guardian(i.child_id, $3)
           order by i.created_at"#,
        email.trim().to_lowercase(),
        now.to_sqlx() as _,
        user as UserId
    )
    .fetch_all(conn)
    .await
}

/// `GET /family/invitations/{id}`: the accept page, as the emailed link shows it.
pub async fn open_by_id(
    State(state): State<AppState>,
    page: PageContext,
    Family(user): Family,
    ClientIp(ip): ClientIp,
    Path(id): Path<InvitationId>,
) -> Result<Response, AppError> {
    let form = AcceptForm { invitation: id.to_string(), ..AcceptForm::default() };
    show(&state, page, &user, ip, form).await
}
