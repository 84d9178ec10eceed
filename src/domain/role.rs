//! The five roles of the spec, mirrored by the `user_role` Postgres enum.

use serde::{Deserialize, Serialize};

/// What a signed-in person is allowed to see and do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, sqlx::Type, Serialize, Deserialize)]
#[sqlx(type_name = "user_role", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Family,
    Coordinator,
    Clinician,
    Specialist,
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Family, Role::Coordinator, Role::Clinician, Role::Specialist, Role::Admin];
    pub const STAFF: [Role; 4] = [Role::Coordinator, Role::Clinician, Role::Specialist, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Family => "family",
            Role::Coordinator => "coordinator",
            Role::Clinician => "clinician",
            Role::Specialist => "specialist",
            Role::Admin => "admin",
        }
    }

    pub fn parse(raw: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == raw.trim())
    }

    /// Words for people, not for the database.
    pub fn label(self) -> &'static str {
        match self {
            Role::Family => "Family",
            Role::Coordinator => "Care coordinator",
            Role::Clinician => "Clinician",
            Role::Specialist => "Specialist",
            Role::Admin => "Administrator",
        }
    }

    /// Where this role lands after signing in.
    pub fn home(self) -> &'static str {
        match self {
            Role::Family => "/family",
            Role::Coordinator => "/coordinator",
            Role::Clinician => "/clinician",
            Role::Specialist => "/specialist",
            Role::Admin => "/admin",
        }
    }

    pub fn is_staff(self) -> bool {
        self != Role::Family
    }

    /// Idle limit from the spec: staff 15 minutes, families 30.
    pub fn idle_timeout(self) -> jiff::SignedDuration {
        jiff::SignedDuration::from_mins(if self.is_staff() { 15 } else { 30 })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_round_trips_through_its_name() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn staff_sessions_idle_out_sooner_than_families() {
        assert!(Role::Coordinator.idle_timeout() < Role::Family.idle_timeout());
    }
}
