//! Everything that happens after the opinion, as the care team reads it:
//! the signed opinion, the clarifying questions and who answered them, the
//! call's attempts, referral requests and the follow-up window.

use super::calls::{self, CallRow};
use super::db::questions;
use super::follow_ups::{self, FollowUpRow};
use super::opinion::{self, Header, OpinionView};
use super::referrals::{self, ReferralRow};
use crate::domain::CaseId;
use sqlx::PgConnection;

pub struct AfterOpinion {
    /// The signed opinion and its document header.
    pub opinion: Option<(OpinionView, Header)>,
    pub follow_ups: Vec<FollowUpRow>,
    pub calls: Vec<CallRow>,
    pub referrals: Vec<ReferralRow>,
}

impl AfterOpinion {
    pub async fn load(conn: &mut PgConnection, case: CaseId) -> sqlx::Result<Self> {
        let opinion = match opinion::load_signed(&mut *conn, case).await? {
            Some(signed) => Some((
                OpinionView::of(&questions(&mut *conn, case).await?, &signed),
                opinion::header(&mut *conn, case).await?,
            )),
            None => None,
        };
        Ok(AfterOpinion {
            opinion,
            follow_ups: follow_ups::for_case(&mut *conn, case, false).await?,
            calls: calls::for_case(&mut *conn, case).await?,
            referrals: referrals::for_case(&mut *conn, case).await?,
        })
    }

    pub fn call_completed(&self) -> bool {
        self.calls.iter().any(|c| c.outcome == crate::domain::CallOutcome::Completed)
    }
}
