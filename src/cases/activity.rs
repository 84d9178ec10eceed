//! The staff timeline: who did what on a case, in one list — state changes,
//! internal notes, messages with the family, uploads, record requests, fees and suggestions,
//! clarifying questions, calls and referral steps. Read from the rows each
//! of those already writes; nothing is stored twice.

use crate::domain::{CallOutcome, CaseId, CaseStatus, Cents, FeeKind, FeeStatus, ReferralStatus, Role};
use serde::Deserialize;
use sqlx::PgConnection;
use sqlx::types::Json;

pub struct Activity {
    pub at: jiff_sqlx::Timestamp,
    /// A whole sentence: "Casey Coordinator took the case."
    pub sentence: String,
    /// What was written with it, if anything (a note, a reason).
    pub detail: Option<String>,
}

impl Activity {
    pub fn when(&self) -> String {
        crate::web::format::date_time(self.at)
    }
}

fn who(name: Option<String>) -> String {
    name.unwrap_or_else(|| "The system".into())
}

fn status_sentence(to: CaseStatus, actor: Option<String>, role: Option<Role>) -> String {
    let actor = match role {
        Some(Role::Family) => "The family".to_owned(),
        _ => who(actor),
    };
    match to {
        CaseStatus::Draft => "The family opened the case.".into(),
        CaseStatus::Submitted => "The family submitted the case and paid the fee.".into(),
        CaseStatus::CollectingRecords => format!("{actor} took the case and began collecting records."),
        CaseStatus::ReadyForReview => format!("{actor} marked the records complete."),
        CaseStatus::InReview => format!("{actor} sent the case to the specialist."),
        CaseStatus::OpinionDelivered => format!("{actor} signed the opinion; the family was told."),
        CaseStatus::Closed => format!("{actor} closed the case."),
        CaseStatus::Cancelled => format!("{actor} cancelled the case."),
    }
}

/// One thing that happened, as the statement below reads it: its kind and
/// what its sentence needs. Each has its own time, so a request and its
/// answer are two items.
#[derive(Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Item {
    Status { to: CaseStatus, note: Option<String>, actor: Option<String>, role: Option<Role> },
    Note { author: String, body: String },
    Message { author: String, role: Role, file: Option<String> },
    Upload { by: String, role: Role, translation: bool, facility: String, name: String },
    RecordAsked { by: String, body: String },
    RecordReceived { by: Option<String> },
    Suggested { by: String, fee: FeeKind, reason: String },
    SuggestionDismissed { by: Option<String>, fee: FeeKind, reason: Option<String> },
    FeeAsked { by: String, fee: FeeKind, amount: i64, reason: String },
    FeeDecided { by: Option<String>, fee: FeeKind, amount: i64, status: FeeStatus },
    Asked { n: i16, body: String },
    Escalated { n: i16 },
    Answered { n: i16, by: Option<String>, answer: Option<String> },
    Call { by: String, outcome: CallOutcome, notes: String },
    ReferralAsked { note: String },
    ReferralDecided { by: Option<String>, status: ReferralStatus },
}

impl Item {
    /// Its sentence and detail; `None` for what is not a step (a fee still requested).
    fn told(self) -> Option<(String, Option<String>)> {
        let kind = |fee: FeeKind| fee.label().to_lowercase();
        let written = |text: String| (!text.is_empty()).then_some(text);
        Some(match self {
            Item::Status { to, note, actor, role } => (status_sentence(to, actor, role), note),
            Item::Note { author, body } => (format!("{author} wrote an internal note."), Some(body)),
            // The thread with the family (its text stays on the messages page).
            Item::Message { author, role, file } => match (role, file) {
                (Role::Family, Some(file)) => (format!("The family sent a message with a file ({file})."), None),
                (Role::Family, None) => ("The family sent a message.".to_owned(), None),
                (_, _) => (format!("{author} wrote to the family."), None),
            },
            Item::Upload { by, role, translation, facility, name } => {
                let by = if role == Role::Family { "The family".to_owned() } else { by };
                let what = if translation { "the English translation" } else { "a document" };
                (format!("{by} uploaded {what} for {facility}: {name}."), None)
            }
            Item::RecordAsked { by, body } => (format!("{by} asked the family for a record."), Some(body)),
            Item::RecordReceived { by } => (format!("{} marked the requested record received.", who(by)), None),
            Item::Suggested { by, fee, reason } => (format!("{by} suggested an {}.", kind(fee)), Some(reason)),
            Item::SuggestionDismissed { by, fee, reason } => {
                (format!("{} decided not to ask the family for the {}.", who(by), kind(fee)), reason)
            }
            Item::FeeAsked { by, fee, amount, reason } => {
                (format!("{by} asked the family to pay {} for an {}.", Cents(amount), kind(fee)), Some(reason))
            }
            Item::FeeDecided { by, fee, amount, status } => {
                let sentence = match status {
                    FeeStatus::Paid => format!("The family paid {} for the {}.", Cents(amount), kind(fee)),
                    FeeStatus::Declined => format!("The family declined the {}.", kind(fee)),
                    FeeStatus::Waived => format!("{} waived the {} fee.", who(by), kind(fee)),
                    FeeStatus::Withdrawn => format!("The {} fee was withdrawn when the case was cancelled.", kind(fee)),
                    FeeStatus::Requested => return None,
                };
                (sentence, None)
            }
            Item::Asked { n, body } => (format!("The family asked clarifying question {n} of 3."), Some(body)),
            Item::Escalated { n } => (format!("Clarifying question {n} was passed to the specialist."), None),
            Item::Answered { n, by, answer } => (format!("{} answered clarifying question {n}.", who(by)), answer),
            Item::Call { by, outcome, notes } => {
                let how = match outcome {
                    CallOutcome::NoAnswer => "called the family: no answer",
                    CallOutcome::LeftMessage => "called the family and left a message",
                    CallOutcome::Completed => "completed the follow-up call with the family",
                };
                (format!("{by} {how}."), written(notes))
            }
            Item::ReferralAsked { note } => {
                ("The family asked for help with a visit or referral.".into(), written(note))
            }
            Item::ReferralDecided { by, status } => {
                (format!("{} recorded the referral's outcome: {}.", who(by), status.label()), None)
            }
        })
    }
}

/// Everything on the case, oldest first, in one statement: each source of
/// steps is one branch of the union, in the order they are told at the same instant.
pub async fn for_case(conn: &mut PgConnection, case: CaseId) -> sqlx::Result<Vec<Activity>> {
    let rows = sqlx::query!(
        r#"select at as "at!: jiff_sqlx::Timestamp", item as "item!: Json<Item>" from (
             select e.at, 1 as branch, jsonb_build_object('kind', 'status', 'to', e.to_status, 'note', e.note,
                                                         'actor', u.full_name, 'role', u.role) as item
             from case_events e left join users u on u.id = e.actor_user_id
             where e.case_id = $1 and e.to_status <> 'draft'
           union all
             select n.created_at, 2, jsonb_build_object('kind', 'note', 'author', u.full_name, 'body', n.body)
             from case_notes n join users u on u.id = n.author_id where n.case_id = $1
           union all
             select m.created_at, 3, jsonb_build_object('kind', 'message', 'author', u.full_name, 'role', u.role,
                                                       'file', m.attachment_name)
             from case_messages m join users u on u.id = m.author_id where m.case_id = $1
           union all
             select d.created_at, 4, jsonb_build_object('kind', 'upload', 'by', u.full_name, 'role', u.role,
                                                       'translation', d.is_translation, 'facility', r.facility,
                                                       'name', d.original_name)
             from documents d join record_sources r on r.id = d.record_source_id join users u on u.id = d.uploaded_by
             where d.case_id = $1
           union all
             select q.created_at, 5, jsonb_build_object('kind', 'record_asked', 'by', a.full_name, 'body', q.body)
             from record_requests q join users a on a.id = q.requested_by where q.case_id = $1
           union all
             select q.resolved_at, 5, jsonb_build_object('kind', 'record_received', 'by', b.full_name)
             from record_requests q left join users b on b.id = q.resolved_by
             where q.case_id = $1 and q.resolved_at is not null
           union all
             select s.created_at, 6, jsonb_build_object('kind', 'suggested', 'by', a.full_name, 'fee', s.kind,
                                                       'reason', s.reason)
             from fee_suggestions s join users a on a.id = s.suggested_by where s.case_id = $1
           union all
             select s.dismissed_at, 6, jsonb_build_object('kind', 'suggestion_dismissed', 'by', b.full_name,
                                                         'fee', s.kind, 'reason', s.dismiss_reason)
             from fee_suggestions s left join users b on b.id = s.dismissed_by
             where s.case_id = $1 and s.dismissed_at is not null
           union all
             select f.created_at, 7, jsonb_build_object('kind', 'fee_asked', 'by', a.full_name, 'fee', f.kind,
                                                       'amount', f.amount_cents, 'reason', f.reason)
             from fee_requests f join users a on a.id = f.requested_by where f.case_id = $1
           union all
             select f.decided_at, 7, jsonb_build_object('kind', 'fee_decided', 'by', b.full_name, 'fee', f.kind,
                                                       'amount', f.amount_cents, 'status', f.status)
             from fee_requests f left join users b on b.id = f.decided_by
             where f.case_id = $1 and f.decided_at is not null
           union all
             select q.asked_at, 8, jsonb_build_object('kind', 'asked', 'n', q.position, 'body', q.body)
             from follow_up_questions q where q.case_id = $1
           union all
             select q.escalated_at, 8, jsonb_build_object('kind', 'escalated', 'n', q.position)
             from follow_up_questions q where q.case_id = $1 and q.escalated_at is not null
           union all
             select q.answered_at, 8, jsonb_build_object('kind', 'answered', 'n', q.position, 'by', u.full_name,
                                                       'answer', q.answer)
             from follow_up_questions q left join users u on u.id = q.answered_by
             where q.case_id = $1 and q.answered_at is not null
           union all
             select k.at, 9, jsonb_build_object('kind', 'call', 'by', u.full_name, 'outcome', k.outcome, 'notes', k.notes)
             from follow_up_calls k join users u on u.id = k.clinician_id where k.case_id = $1
           union all
             select r.created_at, 10, jsonb_build_object('kind', 'referral_asked', 'note', r.note)
             from referral_requests r where r.case_id = $1
           union all
             select r.decided_at, 10, jsonb_build_object('kind', 'referral_decided', 'by', u.full_name,
                                                        'status', r.status)
             from referral_requests r left join users u on u.id = r.decided_by
             where r.case_id = $1 and r.decided_at is not null
           ) steps
           order by at, branch"#,
        case as CaseId
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let (sentence, detail) = row.item.0.told()?;
            Some(Activity { at: row.at, sentence, detail })
        })
        .collect())
}
