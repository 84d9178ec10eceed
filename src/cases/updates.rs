//! The family is told: one function records each thing that happens to a
//! case on the family's timeline and, as their email preference says, emails
//! them that there is an update (never what it is). Every step that a family
//! hears about goes through [`tell_family`], in the transaction of the change
//! it announces, so the update exists if and only if the change committed.
//! Each is told once: a second call for the same step records nothing and
//! sends nothing (unique indexes of `case_updates`, migration 0016).

use super::timeline::TimelineEntry;
use crate::domain::{
    CaseId, Cents, FeeKind, FeeRequestId, FollowUpId, RecordSourceId, ReferralId, ReferralStatus, Role, UpdateKind,
};
use crate::error::AppError;
use crate::notify::{self, Email};
use crate::state::AppState;
use jiff::Timestamp;
use jiff_sqlx::ToSqlx;
use sqlx::PgConnection;

/// Something the family is told, with what it is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Update {
    CaseTaken,
    RecordReceived(RecordSourceId),
    RecordsComplete,
    /// The expected date is the opinion's deadline, which the transition just set.
    SentToSpecialist,
    FeeRequested(FeeRequestId),
    FeePaid(FeeRequestId),
    FeeDeclined(FeeRequestId),
    FeeWaived(FeeRequestId),
    OpinionReady,
    FollowUpAsked(FollowUpId),
    FollowUpAnswered(FollowUpId),
    CallScheduled {
        at: Timestamp,
    },
    CallDone,
    ReferralRequested(ReferralId),
    ReferralUpdated(ReferralId),
    /// A record location the family has not signed a release for yet.
    ReleaseNeeded(RecordSourceId),
    PaymentDeclined,
    CaseClosed,
    CaseCancelled,
}

impl Update {
    pub fn kind(self) -> UpdateKind {
        use Update::*;
        match self {
            CaseTaken => UpdateKind::CaseTaken,
            RecordReceived(_) => UpdateKind::RecordReceived,
            RecordsComplete => UpdateKind::RecordsComplete,
            SentToSpecialist => UpdateKind::SentToSpecialist,
            FeeRequested(_) => UpdateKind::FeeRequested,
            FeePaid(_) => UpdateKind::FeePaid,
            FeeDeclined(_) => UpdateKind::FeeDeclined,
            FeeWaived(_) => UpdateKind::FeeWaived,
            OpinionReady => UpdateKind::OpinionReady,
            FollowUpAsked(_) => UpdateKind::FollowUpAsked,
            FollowUpAnswered(_) => UpdateKind::FollowUpAnswered,
            CallScheduled { .. } => UpdateKind::CallScheduled,
            CallDone => UpdateKind::CallDone,
            ReferralRequested(_) => UpdateKind::ReferralRequested,
            ReferralUpdated(_) => UpdateKind::ReferralUpdated,
            ReleaseNeeded(_) => UpdateKind::ReleaseNeeded,
            PaymentDeclined => UpdateKind::PaymentDeclined,
            CaseClosed => UpdateKind::CaseClosed,
            CaseCancelled => UpdateKind::CaseCancelled,
        }
    }

    /// The email, which says only that there is an update and where to read it.
    fn email(self, base_url: &str, case: CaseId) -> Email {
        let page = |suffix: &str| format!("{base_url}/family/cases/{case}{suffix}");
        match self {
            Update::OpinionReady => Email::OpinionReady { link: page("/opinion") },
            Update::FeeRequested(_) => Email::AdditionalFee { link: page("") },
            Update::FollowUpAnswered(_) | Update::ReferralUpdated(_) => Email::CaseUpdate { link: page("/opinion") },
            _ => Email::CaseUpdate { link: page("") },
        }
    }
}

/// Records `update` on `case`'s timeline and emails the family if they want
/// this kind of email. `Ok(false)` when they had already been told.
pub async fn tell_family(
    state: &AppState,
    conn: &mut PgConnection,
    case: CaseId,
    update: Update,
) -> Result<bool, AppError> {
    tell(conn, &state.config.base_url, state.clock.now(), case, update).await
}

/// [`tell_family`] for work outside a request (the closing job): the links'
/// base address and the time come from the caller.
pub async fn tell(
    conn: &mut PgConnection,
    base_url: &str,
    now: Timestamp,
    case: CaseId,
    update: Update,
) -> Result<bool, AppError> {
    // Each guardian is emailed as their own preference says, in their language;
    // the timeline records whether anyone was.
    let policy = update.kind().email_policy();
    let recipients = super::guardians::recipients(&mut *conn, case).await?;
    let emailed = recipients.iter().any(|r| r.updates.wants(policy));
    if !insert(conn, case, update, now, emailed).await? {
        return Ok(false);
    }
    let email = update.email(base_url, case);
    for r in recipients.iter().filter(|r| r.updates.wants(policy)) {
        notify::enqueue_in(conn, now, &r.email, r.lang, &email).await?;
    }
    Ok(true)
}

/// Records `update` on the timeline without emailing anyone (where no app
/// state is at hand: the payment that pays a fee is recorded by `fulfil`).
pub async fn record(conn: &mut PgConnection, case: CaseId, update: Update, at: Timestamp) -> Result<bool, AppError> {
    insert(conn, case, update, at, false).await
}

async fn insert(
    conn: &mut PgConnection,
    case: CaseId,
    update: Update,
    at: Timestamp,
    emailed: bool,
) -> Result<bool, AppError> {
    use Update::*;
    let (source, fee, follow_up, referral) = match update {
        RecordReceived(s) | ReleaseNeeded(s) => (Some(s), None, None, None),
        FeeRequested(f) | FeePaid(f) | FeeDeclined(f) | FeeWaived(f) => (None, Some(f), None, None),
        FollowUpAsked(f) | FollowUpAnswered(f) => (None, None, Some(f), None),
        ReferralRequested(r) | ReferralUpdated(r) => (None, None, None, Some(r)),
        _ => (None, None, None, None),
    };
    let call_at = match update {
        CallScheduled { at } => Some(at.to_sqlx()),
        _ => None,
    };
    // The expected date is the Pacific date of the opinion's deadline.
    let inserted = sqlx::query!(
        r#"insert into case_updates (case_id, kind, at, record_source_id, fee_request_id, follow_up_id, referral_id,
                                     expected_on, call_at, emailed)
           select $1, $2, $3, $4, $5, $6, $7,
                  case when $2 = 'sent_to_specialist'::case_update_kind
                       then (c.due_at at time zone 'America/Los_Angeles')::date end,
                  $8, $9
           from cases c where c.id = $1
           on conflict do nothing"#,
        case as CaseId,
        update.kind() as UpdateKind,
        at.to_sqlx() as _,
        source as Option<RecordSourceId>,
        fee as Option<FeeRequestId>,
        follow_up as Option<FollowUpId>,
        referral as Option<ReferralId>,
        call_at as _,
        emailed
    )
    .execute(conn)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

/// An update as the family's timeline shows it, with what it is about.
#[derive(serde::Deserialize)]
pub struct UpdateRow {
    pub kind: UpdateKind,
    pub facility: Option<String>,
    pub fee_kind: Option<FeeKind>,
    pub fee_amount: Option<Cents>,
    /// The original question a follow-up is about, and whether the specialist answered it.
    pub about: Option<i16>,
    pub answered_by: Option<Role>,
    pub referral: Option<ReferralStatus>,
    #[serde(with = "crate::json_rows::option_date")]
    pub expected_on: Option<jiff_sqlx::Date>,
    #[serde(with = "crate::json_rows::option_timestamp")]
    pub call_at: Option<jiff_sqlx::Timestamp>,
}

impl UpdateRow {
    pub fn by_specialist(&self) -> bool {
        self.answered_by == Some(Role::Specialist)
    }
}

/// An update when it was made (`family_updates_list`, migration 0061, given
/// [`UpdateKind::OFF_TIMELINE`]: the updates that *are* a change of state
/// are said once, by the change).
#[derive(serde::Deserialize)]
pub struct FamilyUpdate {
    at: Timestamp,
    #[serde(flatten)]
    row: UpdateRow,
}

/// One line of the family's timeline: a change of state, or an update.
pub enum Happened {
    State(TimelineEntry),
    Update(UpdateRow),
}

pub struct FamilyEntry {
    pub at: Timestamp,
    pub what: Happened,
}

/// The family's timeline, oldest first: the case's changes of state and
/// what they were told besides.
pub fn family_timeline(states: Vec<TimelineEntry>, updates: Vec<FamilyUpdate>) -> Vec<FamilyEntry> {
    let mut entries: Vec<FamilyEntry> = states
        .into_iter()
        .map(|s| FamilyEntry { at: s.at.to_jiff(), what: Happened::State(s) })
        .chain(updates.into_iter().map(|u| FamilyEntry { at: u.at, what: Happened::Update(u.row) }))
        .collect();
    // Stable: a change of state comes before the update made with it.
    entries.sort_by_key(|e| e.at);
    entries
}
