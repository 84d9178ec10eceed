//! The opinion as stored, and as anyone reads it: the family's page, the
//! specialist's preview, the care team. (The specialist's editing buffer,
//! with what was typed but not yet valid, is the specialist's own.)

use super::db::QuestionRow;
use crate::domain::opinion::OpinionOutcome;
use crate::domain::{CaseId, QuestionId, UserId};
use jiff::Timestamp;
use sqlx::PgConnection;
use std::collections::HashMap;

/// What the specialist wrote.
#[derive(Clone, Debug, Default)]
pub struct OpinionText {
    pub outcome: Option<OpinionOutcome>,
    pub summary: String,
    pub recommendations: String,
    pub pcp_notes: String,
    pub answers: HashMap<QuestionId, String>,
}

/// An opinion row: a draft, or signed (and then immutable in the database).
pub struct StoredOpinion {
    pub text: OpinionText,
    pub signed_at: Option<Timestamp>,
    pub specialist_id: UserId,
    pub specialist_name: String,
}

/// The case's opinion, draft or signed.
pub async fn load(conn: &mut PgConnection, case: CaseId) -> sqlx::Result<Option<StoredOpinion>> {
    let Some(row) = sqlx::query!(
        r#"select o.id, o.outcome as "outcome: OpinionOutcome", o.summary, o.recommendations, o.pcp_notes,
                  o.signed_at as "signed_at: jiff_sqlx::Timestamp", o.specialist_id as "specialist_id: UserId",
                  u.full_name
           from opinions o join users u on u.id = o.specialist_id where o.case_id = $1"#,
        case as CaseId
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let answers = sqlx::query!(
        r#"select question_id as "question_id: QuestionId", body from opinion_answers where opinion_id = $1"#,
        row.id
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|a| (a.question_id, a.body))
    .collect();
    Ok(Some(StoredOpinion {
        text: OpinionText {
            outcome: row.outcome,
            summary: row.summary,
            recommendations: row.recommendations,
            pcp_notes: row.pcp_notes,
            answers,
        },
        signed_at: row.signed_at.map(jiff_sqlx::Timestamp::to_jiff),
        specialist_id: row.specialist_id,
        specialist_name: row.full_name,
    }))
}

/// The case's opinion once signed; a draft is nobody's business but its author's.
pub async fn load_signed(conn: &mut PgConnection, case: CaseId) -> sqlx::Result<Option<StoredOpinion>> {
    Ok(load(conn, case).await?.filter(|o| o.signed_at.is_some()))
}

/// The opinion laid out as the family reads it.
pub struct OpinionView {
    pub outcome: Option<OpinionOutcome>,
    /// (question number, question, answer)
    pub answers: Vec<(i16, String, String)>,
    pub summary: String,
    pub recommendations: String,
    pub pcp_notes: String,
    pub specialist_name: String,
    pub signed: Option<String>,
}

impl OpinionView {
    pub fn new(
        questions: &[QuestionRow],
        text: &OpinionText,
        specialist_name: &str,
        signed_at: Option<Timestamp>,
    ) -> Self {
        OpinionView {
            outcome: text.outcome,
            answers: questions
                .iter()
                .map(|q| (q.position, q.body.clone(), text.answers.get(&q.id).cloned().unwrap_or_default()))
                .collect(),
            summary: text.summary.clone(),
            recommendations: text.recommendations.clone(),
            pcp_notes: text.pcp_notes.clone(),
            specialist_name: specialist_name.to_owned(),
            signed: signed_at.map(crate::web::format::date_time),
        }
    }

    pub fn of(questions: &[QuestionRow], opinion: &StoredOpinion) -> Self {
        Self::new(questions, &opinion.text, &opinion.specialist_name, opinion.signed_at)
    }
}
