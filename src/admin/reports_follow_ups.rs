//! Follow-up use for `/admin/reports`: the clarifying questions families asked
//! in the range, and who answered them — the clinician (the staff doctor) or,
//! after an escalation, the specialist. One pass over the range's rows through
//! `follow_up_questions_asked` (0044).

use crate::domain::Role;
use jiff::Timestamp;
use jiff_sqlx::ToSqlx;
use sqlx::PgConnection;

/// Follow-up questions asked in the range, by what has become of them.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct FollowUpUse {
    pub asked: u64,
    pub by_clinician: u64,
    pub by_specialist: u64,
    /// Asked in the range and not answered yet (escalated or not).
    pub open: u64,
    /// Passed to the specialist, answered or not.
    pub escalated: u64,
}

impl FollowUpUse {
    /// The chart's bars and the CSV's rows, in the table's order.
    pub fn rows(&self) -> [(&'static str, &'static str, u64); 5] {
        [
            ("asked", "Asked", self.asked),
            ("answered_by_clinician", "Answered by the clinician", self.by_clinician),
            ("answered_by_specialist", "Answered by the specialist", self.by_specialist),
            ("not_answered", "Not answered yet", self.open),
            ("escalated", "Passed to the specialist", self.escalated),
        ]
    }
}

pub async fn follow_up_use(conn: &mut PgConnection, from: Timestamp, to: Timestamp) -> sqlx::Result<FollowUpUse> {
    // Who answered is read from the answerer's role: the answer's only record of it.
    let r = sqlx::query!(
        r#"select count(*) as "asked!",
                  count(*) filter (where f.answer is not null and u.role = $3) as "by_clinician!",
                  count(*) filter (where f.answer is not null and u.role = $4) as "by_specialist!",
                  count(*) filter (where f.answer is null) as "open!",
                  count(*) filter (where f.escalated_at is not null) as "escalated!"
           from follow_up_questions f left join users u on u.id = f.answered_by
           where f.asked_at >= $1 and f.asked_at < $2"#,
        from.to_sqlx() as _,
        to.to_sqlx() as _,
        Role::Clinician as Role,
        Role::Specialist as Role
    )
    .fetch_one(conn)
    .await?;
    let n = |v: i64| v.max(0) as u64;
    Ok(FollowUpUse {
        asked: n(r.asked),
        by_clinician: n(r.by_clinician),
        by_specialist: n(r.by_specialist),
        open: n(r.open),
        escalated: n(r.escalated),
    })
}
