//! The staff timeline: who did what on a case, in one list — state changes,
//! internal notes, messages with the family, uploads, record requests, fees and suggestions,
//! clarifying questions, calls and referral steps. Read from the rows each
//! of those already writes; nothing is stored twice.

use crate::domain::{CallOutcome, CaseId, CaseStatus, Cents, FeeKind, FeeStatus, ReferralStatus, Role};
use sqlx::PgConnection;

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

/// Everything on the case, oldest first.
pub async fn for_case(conn: &mut PgConnection, case: CaseId) -> sqlx::Result<Vec<Activity>> {
    let mut all = Vec::new();

    for e in sqlx::query!(
        r#"select e.at as "at: jiff_sqlx::Timestamp", e.to_status as "to_status: CaseStatus", e.note,
                  u.full_name as "actor?", u.role as "role?: Role"
           from case_events e left join users u on u.id = e.actor_user_id
           where e.case_id = $1 and e.to_status <> 'draft'"#,
        case as CaseId
    )
    .fetch_all(&mut *conn)
    .await?
    {
        all.push(Activity { at: e.at, sentence: status_sentence(e.to_status, e.actor, e.role), detail: e.note });
    }

    for n in sqlx::query!(
        r#"select n.created_at as "at: jiff_sqlx::Timestamp", n.body, u.full_name as author
           from case_notes n join users u on u.id = n.author_id where n.case_id = $1"#,
        case as CaseId
    )
    .fetch_all(&mut *conn)
    .await?
    {
        all.push(Activity {
            at: n.at,
            sentence: format!("{} wrote an internal note.", n.author),
            detail: Some(n.body),
        });
    }

    // The thread with the family (its text stays on the messages page).
    for m in sqlx::query!(
        r#"select m.created_at as "at: jiff_sqlx::Timestamp", m.attachment_name, u.full_name as author,
                  u.role as "role: Role"
           from case_messages m join users u on u.id = m.author_id where m.case_id = $1"#,
        case as CaseId
    )
    .fetch_all(&mut *conn)
    .await?
    {
        let sentence = match (m.role, m.attachment_name) {
            (Role::Family, Some(file)) => format!("The family sent a message with a file ({file})."),
            (Role::Family, None) => "The family sent a message.".to_owned(),
            (_, _) => format!("{} wrote to the family.", m.author),
        };
        all.push(Activity { at: m.at, sentence, detail: None });
    }

    for d in sqlx::query!(
        r#"select d.created_at as "at: jiff_sqlx::Timestamp", d.original_name, d.is_translation, r.facility,
                  u.full_name as uploader, u.role as "role: Role"
           from documents d join record_sources r on r.id = d.record_source_id join users u on u.id = d.uploaded_by
           where d.case_id = $1"#,
        case as CaseId
    )
    .fetch_all(&mut *conn)
    .await?
    {
        let by = if d.role == Role::Family { "The family".to_owned() } else { d.uploader };
        let what = if d.is_translation { "the English translation" } else { "a document" };
        all.push(Activity {
            at: d.at,
            sentence: format!("{by} uploaded {what} for {}: {}.", d.facility, d.original_name),
            detail: None,
        });
    }

    for r in sqlx::query!(
        r#"select q.created_at as "at: jiff_sqlx::Timestamp", q.body, q.resolved_at as "resolved_at: jiff_sqlx::Timestamp",
                  a.full_name as asker, b.full_name as "resolver?"
           from record_requests q join users a on a.id = q.requested_by left join users b on b.id = q.resolved_by
           where q.case_id = $1"#,
        case as CaseId
    )
    .fetch_all(&mut *conn)
    .await?
    {
        all.push(Activity {
            at: r.at,
            sentence: format!("{} asked the family for a record.", r.asker),
            detail: Some(r.body),
        });
        if let Some(at) = r.resolved_at {
            all.push(Activity {
                at,
                sentence: format!("{} marked the requested record received.", who(r.resolver)),
                detail: None,
            });
        }
    }

    for s in sqlx::query!(
        r#"select s.created_at as "at: jiff_sqlx::Timestamp", s.kind as "kind: FeeKind", s.reason,
                  s.dismissed_at as "dismissed_at: jiff_sqlx::Timestamp", s.dismiss_reason,
                  a.full_name as suggester, b.full_name as "dismisser?"
           from fee_suggestions s join users a on a.id = s.suggested_by left join users b on b.id = s.dismissed_by
           where s.case_id = $1"#,
        case as CaseId
    )
    .fetch_all(&mut *conn)
    .await?
    {
        let kind = s.kind.label().to_lowercase();
        all.push(Activity {
            at: s.at,
            sentence: format!("{} suggested an {kind}.", s.suggester),
            detail: Some(s.reason),
        });
        if let Some(at) = s.dismissed_at {
            all.push(Activity {
                at,
                sentence: format!("{} decided not to ask the family for the {kind}.", who(s.dismisser)),
                detail: s.dismiss_reason,
            });
        }
    }

    for f in sqlx::query!(
        r#"select f.created_at as "at: jiff_sqlx::Timestamp", f.kind as "kind: FeeKind", f.amount_cents as "amount: Cents",
                  f.status as "status: FeeStatus", f.decided_at as "decided_at: jiff_sqlx::Timestamp", f.reason,
                  a.full_name as asker, b.full_name as "decider?", b.role as "decider_role?: Role"
           from fee_requests f join users a on a.id = f.requested_by left join users b on b.id = f.decided_by
           where f.case_id = $1"#,
        case as CaseId
    )
    .fetch_all(&mut *conn)
    .await?
    {
        let kind = f.kind.label().to_lowercase();
        all.push(Activity {
            at: f.at,
            sentence: format!("{} asked the family to pay {} for an {kind}.", f.asker, f.amount),
            detail: Some(f.reason),
        });
        if let Some(at) = f.decided_at {
            let sentence = match f.status {
                FeeStatus::Paid => format!("The family paid {} for the {kind}.", f.amount),
                FeeStatus::Declined => format!("The family declined the {kind}."),
                FeeStatus::Waived => format!("{} waived the {kind} fee.", who(f.decider)),
                FeeStatus::Withdrawn => format!("The {kind} fee was withdrawn when the case was cancelled."),
                FeeStatus::Requested => continue,
            };
            all.push(Activity { at, sentence, detail: None });
        }
    }

    for q in sqlx::query!(
        r#"select q.asked_at as "asked_at: jiff_sqlx::Timestamp", q.position, q.escalated_at as "escalated_at: jiff_sqlx::Timestamp",
                  q.answered_at as "answered_at: jiff_sqlx::Timestamp", q.body, q.answer, u.full_name as "answerer?"
           from follow_up_questions q left join users u on u.id = q.answered_by where q.case_id = $1"#,
        case as CaseId
    )
    .fetch_all(&mut *conn)
    .await?
    {
        let n = q.position;
        all.push(Activity {
            at: q.asked_at,
            sentence: format!("The family asked clarifying question {n} of 3."),
            detail: Some(q.body),
        });
        if let Some(at) = q.escalated_at {
            all.push(Activity {
                at,
                sentence: format!("Clarifying question {n} was passed to the specialist."),
                detail: None,
            });
        }
        if let Some(at) = q.answered_at {
            all.push(Activity {
                at,
                sentence: format!("{} answered clarifying question {n}.", who(q.answerer)),
                detail: q.answer,
            });
        }
    }

    for c in sqlx::query!(
        r#"select k.at as "at: jiff_sqlx::Timestamp", k.outcome as "outcome: CallOutcome", k.notes, u.full_name as clinician
           from follow_up_calls k join users u on u.id = k.clinician_id where k.case_id = $1"#,
        case as CaseId
    )
    .fetch_all(&mut *conn)
    .await?
    {
        let how = match c.outcome {
            CallOutcome::NoAnswer => "called the family: no answer",
            CallOutcome::LeftMessage => "called the family and left a message",
            CallOutcome::Completed => "completed the follow-up call with the family",
        };
        let detail = (!c.notes.is_empty()).then_some(c.notes);
        all.push(Activity { at: c.at, sentence: format!("{} {how}.", c.clinician), detail });
    }

    for r in sqlx::query!(
        r#"select r.created_at as "at: jiff_sqlx::Timestamp", r.note, r.status as "status: ReferralStatus",
                  r.decided_at as "decided_at: jiff_sqlx::Timestamp", u.full_name as "decider?"
           from referral_requests r left join users u on u.id = r.decided_by where r.case_id = $1"#,
        case as CaseId
    )
    .fetch_all(&mut *conn)
    .await?
    {
        let detail = (!r.note.is_empty()).then_some(r.note);
        all.push(Activity { at: r.at, sentence: "The family asked for help with a visit or referral.".into(), detail });
        if let Some(at) = r.decided_at {
            all.push(Activity {
                at,
                sentence: format!("{} recorded the referral's outcome: {}.", who(r.decider), r.status.label()),
                detail: None,
            });
        }
    }

    all.sort_by_key(|a| a.at.to_jiff());
    Ok(all)
}
