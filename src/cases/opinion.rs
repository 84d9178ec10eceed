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
    pub signed: Option<Timestamp>,
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
            signed: signed_at,
        }
    }

    pub fn of(questions: &[QuestionRow], opinion: &StoredOpinion) -> Self {
        Self::new(questions, &opinion.text, &opinion.specialist_name, opinion.signed_at)
    }
}

/// What the opinion document says about itself at the top: whose it is,
/// who wrote it, where, when, and from which records.
pub struct Header {
    pub child_name: String,
    pub date_of_birth: jiff::civil::Date,
    pub case_number: String,
    pub specialist: Option<crate::directory::Profile>,
    pub institution: String,
    /// The Pacific date it was signed.
    pub signed_on: Option<jiff::civil::Date>,
    /// Each record location the specialist had, with its files' names.
    pub records: Vec<ReviewedSource>,
}

pub struct ReviewedSource {
    pub facility: String,
    pub files: Vec<String>,
    /// Why there are no files from it, if it was marked unavailable.
    pub unavailable: Option<String>,
}

/// The header of `case`'s opinion (signed or, for the specialist's preview, not yet).
pub async fn header(conn: &mut PgConnection, case: CaseId) -> sqlx::Result<Header> {
    let row = sqlx::query!(
        r#"select c.case_number, ch.first_name || ' ' || ch.last_name as "child_name!",
                  ch.date_of_birth as "dob: jiff_sqlx::Date",
                  coalesce(o.specialist_id, c.specialist_id) as "specialist: UserId",
                  o.signed_at as "signed_at?: jiff_sqlx::Timestamp"
           from cases c join children ch on ch.id = c.child_id left join opinions o on o.case_id = c.id
           where c.id = $1"#,
        case as CaseId
    )
    .fetch_one(&mut *conn)
    .await?;
    let specialist = match row.specialist {
        Some(id) => crate::directory::profile(&mut *conn, id).await?,
        None => None,
    };
    let records = super::db::sources_with_documents(conn, case)
        .await?
        .into_iter()
        .map(|s| ReviewedSource {
            facility: s.source.facility,
            files: s.documents.into_iter().map(|d| d.original_name).collect(),
            unavailable: s.source.unavailable_reason,
        })
        .collect();
    Ok(Header {
        child_name: row.child_name,
        date_of_birth: row.dob.to_jiff(),
        case_number: row.case_number,
        specialist,
        institution: crate::program::current().hospital.clone(),
        signed_on: row.signed_at.map(crate::web::format::pacific_date),
        records,
    })
}
