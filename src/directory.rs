//! The specialist directory: each specialist's specialty, whether they take
//! new cases, and the short profile a family reads once their case is sent
//! to them (credentials, clinical focus). The admin and the specialist both
//! edit it, so its one writer lives here, outside both role folders.

use crate::domain::UserId;
use crate::domain::text::{ClinicalFocus, Credentials, Specialty};
use crate::error::AppError;
use crate::web::forms::FormErrors;
use sqlx::PgExecutor;

/// What a family (and the opinion's header) says about a specialist.
#[derive(Clone, Debug, serde::Deserialize)]
pub struct Profile {
    pub id: UserId,
    pub name: String,
    pub specialty: String,
    pub credentials: String,
    pub clinical_focus: String,
    pub accepting_cases: bool,
}

impl Profile {
    /// "Dr. Sam Specialist, MD, PhD"
    pub fn name_with_credentials(&self) -> String {
        if self.credentials.is_empty() { self.name.clone() } else { format!("{}, {}", self.name, self.credentials) }
    }
}

/// `None` for anyone who is not a specialist (`specialist_profile`, migration 0061).
pub async fn profile(db: impl PgExecutor<'_>, specialist: UserId) -> sqlx::Result<Option<Profile>> {
    let profile = sqlx::query_scalar!(
        r#"select specialist_profile($1) as "profile: sqlx::types::Json<Profile>""#,
        specialist as UserId
    )
    .fetch_one(db)
    .await?;
    Ok(profile.map(|p| p.0))
}

/// A profile as typed in the admin's or the specialist's form.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct ProfileForm {
    #[serde(default)]
    pub specialty: String,
    #[serde(default)]
    pub credentials: String,
    #[serde(default)]
    pub clinical_focus: String,
}

impl ProfileForm {
    pub fn of(p: &Profile) -> Self {
        ProfileForm {
            specialty: p.specialty.clone(),
            credentials: p.credentials.clone(),
            clinical_focus: p.clinical_focus.clone(),
        }
    }
}

/// A checked profile.
pub struct NewProfile {
    specialty: Specialty,
    credentials: Credentials,
    clinical_focus: ClinicalFocus,
}

impl ProfileForm {
    pub fn parse(&self, errors: &mut FormErrors) -> Option<NewProfile> {
        let specialty = errors.required_text(
            "specialty",
            &self.specialty,
            "The specialty",
            "Enter the specialty, for example Pediatric cardiology.",
        );
        let credentials = errors.text("credentials", &self.credentials, "The credentials");
        let clinical_focus = errors.text("clinical_focus", &self.clinical_focus, "The clinical focus");
        Some(NewProfile { specialty: specialty?, credentials: credentials?, clinical_focus: clinical_focus? })
    }
}

/// Saves a profile; `accepting` (the admin's to change) is left as it is when `None`.
pub async fn update(
    db: impl PgExecutor<'_>,
    specialist: UserId,
    profile: &NewProfile,
    accepting: Option<bool>,
) -> Result<(), AppError> {
    let done = sqlx::query!(
        r#"update specialists set specialty = $2, credentials = $3, clinical_focus = $4,
                                  accepting_cases = coalesce($5, accepting_cases)
           where user_id = $1"#,
        specialist as UserId,
        profile.specialty.as_str(),
        profile.credentials.as_str(),
        profile.clinical_focus.as_str(),
        accepting
    )
    .execute(db)
    .await?;
    if done.rows_affected() == 1 { Ok(()) } else { Err(AppError::NotFound) }
}
