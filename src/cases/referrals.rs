//! Help with a visit or a referral after the opinion: the family asks, the
//! clinician records what happened; the coordinator's checklist reads it.

use crate::domain::{CaseId, ReferralId, ReferralStatus};
use sqlx::PgExecutor;

pub struct ReferralRow {
    pub id: ReferralId,
    pub note: String,
    pub status: ReferralStatus,
    pub created_at: jiff_sqlx::Timestamp,
    pub decided_by: Option<String>,
}

impl ReferralRow {
    pub fn when(&self) -> String {
        crate::web::format::date_time(self.created_at)
    }
}

pub async fn for_case(db: impl PgExecutor<'_>, case: CaseId) -> sqlx::Result<Vec<ReferralRow>> {
    sqlx::query_as!(
        ReferralRow,
        r#"select r.id as "id: ReferralId", r.note, r.status as "status: ReferralStatus",
                  r.created_at as "created_at: jiff_sqlx::Timestamp", u.full_name as "decided_by?"
           from referral_requests r left join users u on u.id = r.decided_by
           where r.case_id = $1 order by r.created_at"#,
        case as CaseId
    )
    .fetch_all(db)
    .await
}
