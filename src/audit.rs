//! The audit trail (HIPAA 164.312(b)): who did what to which record, and
//! whether it was allowed. Ids only; the table is append-only in the database.

use crate::domain::{CaseId, Role, UserId};
use sqlx::PgExecutor;

/// How an audited action ended.
#[derive(Clone, Copy, Debug)]
pub enum Outcome {
    Success,
    Failure,
    Denied,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Failure => "failure",
            Outcome::Denied => "denied",
        }
    }
}

/// One audit row. Build it with [`Entry::new`] and the `with_*` methods.
#[derive(Clone, Debug)]
pub struct Entry {
    pub actor: Option<(UserId, Role)>,
    pub action: &'static str,
    pub entity: Option<(&'static str, String)>,
    pub case_id: Option<CaseId>,
    pub outcome: Outcome,
    pub client_ip: Option<String>,
}

impl Entry {
    pub fn new(action: &'static str, outcome: Outcome) -> Self {
        Self { actor: None, action, entity: None, case_id: None, outcome, client_ip: None }
    }
    pub fn by(mut self, user: UserId, role: Role) -> Self {
        self.actor = Some((user, role));
        self
    }
    pub fn on(mut self, entity_type: &'static str, id: impl ToString) -> Self {
        self.entity = Some((entity_type, id.to_string()));
        self
    }
    pub fn from_ip(mut self, ip: Option<String>) -> Self {
        self.client_ip = ip;
        self
    }
    /// The case the action was about, so its audit trail can be read by case.
    pub fn case(mut self, case: CaseId) -> Self {
        self.case_id = Some(case);
        self
    }
}

/// Writes one row, in the caller's transaction when it has one.
pub async fn record(db: impl PgExecutor<'_>, entry: Entry) -> sqlx::Result<()> {
    let (actor, role) = entry.actor.unzip();
    let (entity_type, entity_id) = entry.entity.unzip();
    sqlx::query!(
        r#"insert into audit_log (actor_user_id, actor_role, action, entity_type, entity_id, case_id, outcome, client_ip)
           values ($1, $2, $3, $4, $5, $6, $7, $8)"#,
        actor as Option<UserId>,
        role as Option<Role>,
        entry.action,
        entity_type,
        entity_id,
        entry.case_id as Option<CaseId>,
        entry.outcome.as_str(),
        entry.client_ip,
    )
    .execute(db)
    .await?;
    Ok(())
}
