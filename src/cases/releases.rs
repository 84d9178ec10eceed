//! Records releases: the family's signed authorization, one per record
//! location, for the program to obtain those records for a second opinion.
//! Kept exactly as signed (the database refuses changes), and required for
//! every location before a case can be submitted (`cases_releases_signed`).

use crate::domain::release::{DEFAULT_MONTHS, MAX_YEARS};
use crate::domain::text::SignerName;
use crate::domain::{CaseId, RecordSourceId, Relationship, ReleaseId, UserId};
use crate::error::{AppError, conflicts};
use crate::web::forms::FormErrors;
use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use jiff_sqlx::ToSqlx;
use sqlx::{PgConnection, PgExecutor};

/// Shown when a case is submitted with a location that has no release.
pub const MISSING: &str =
    "Sign the release for every record location first, so your care coordinator can ask for the records.";
pub const ALREADY: crate::i18n::Msg = crate::i18n::Msg("refusal-release-signed");

/// A release as typed, before it is checked.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct ReleaseForm {
    #[serde(default)]
    pub release_signer: String,
    #[serde(default)]
    pub release_relationship: String,
    #[serde(default)]
    pub release_expires_on: String,
    /// The "I authorize …" checkbox.
    pub release_authorize: Option<String>,
}

impl ReleaseForm {
    /// The form as first shown: the expiry a year from today.
    pub fn new(today: Date) -> Self {
        let expires = today.checked_add(DEFAULT_MONTHS.months()).unwrap_or(today);
        ReleaseForm { release_expires_on: expires.to_string(), ..Self::default() }
    }

    pub fn is_blank(&self) -> bool {
        self.release_signer.trim().is_empty()
            && self.release_relationship.is_empty()
            && self.release_authorize.is_none()
    }

    pub fn relationship_is(&self, r: &Relationship) -> bool {
        self.release_relationship == r.as_str()
    }

    /// Checks it, adding each problem to `errors` under its field's name.
    pub fn parse(&self, today: Date, errors: &mut FormErrors) -> Option<NewRelease> {
        let signer: Option<SignerName> = errors.required_text(
            "release_signer",
            &self.release_signer,
            "Your name",
            "Type your full name to sign the release.",
        );
        let relationship = Relationship::parse(&self.release_relationship);
        if relationship.is_none() {
            errors.add("release_relationship", "Say who you are to the child.");
        }
        let latest = today.checked_add(MAX_YEARS.years()).unwrap_or(today);
        let default = today.checked_add(DEFAULT_MONTHS.months()).unwrap_or(today);
        let expires_on = match self.release_expires_on.trim() {
            "" => Ok(default),
            typed => typed.parse::<Date>(),
        };
        let expires_on = match expires_on {
            Ok(d) if d > today && d <= latest => Some(d),
            Ok(_) => {
                errors.add("release_expires_on", "The release must end after today and within two years.");
                None
            }
            Err(_) => {
                errors.add("release_expires_on", "Enter the date the release ends, for example 2027-12-31.");
                None
            }
        };
        if self.release_authorize.is_none() {
            errors.add("release_authorize", "Tick the box to authorize the release.");
        }
        match (signer, relationship, expires_on, self.release_authorize.is_some()) {
            (Some(signer), Some(relationship), Some(expires_on), true) => {
                Some(NewRelease { signer, relationship, expires_on })
            }
            _ => None,
        }
    }
}

/// A checked release, ready to sign.
pub struct NewRelease {
    pub signer: SignerName,
    pub relationship: Relationship,
    pub expires_on: Date,
}

/// Signs the release of `source` (a location of `case`, as it reads now), in
/// the caller's transaction.
pub async fn sign(
    conn: &mut PgConnection,
    case: CaseId,
    source: RecordSourceId,
    release: &NewRelease,
    by: UserId,
    ip: Option<&str>,
    at: Timestamp,
) -> Result<ReleaseId, AppError> {
    sqlx::query_scalar!(
        r#"insert into record_releases (case_id, record_source_id, provider_name, records_description, date_range,
                                        expires_on, signer_name, relationship, signed_by, signed_at, signer_ip)
           select s.case_id, s.id, s.facility, s.records_description, s.date_range, $3, $4, $5, $6, $7, $8
           from record_sources s where s.id = $2 and s.case_id = $1
           returning id as "id: ReleaseId""#,
        case as CaseId,
        source as RecordSourceId,
        release.expires_on.to_sqlx() as _,
        release.signer.as_str(),
        release.relationship as Relationship,
        by as UserId,
        at.to_sqlx() as _,
        ip
    )
    .fetch_optional(conn)
    .await
    .map_err(|e| conflicts(e, &[("record_releases_one_per_source", ALREADY)]))?
    .ok_or(AppError::NotFound)
}

/// A signed release, as the family and the coordinator see it.
#[derive(serde::Deserialize)]
pub struct ReleaseRow {
    pub id: ReleaseId,
    pub record_source_id: Option<RecordSourceId>,
    pub signer_name: String,
    pub relationship: Relationship,
    #[serde(with = "crate::json_rows::date")]
    pub expires_on: jiff_sqlx::Date,
    #[serde(with = "crate::json_rows::timestamp")]
    pub signed_at: jiff_sqlx::Timestamp,
}

impl ReleaseRow {
    pub fn signed(&self) -> String {
        crate::web::format::date_time(self.signed_at)
    }
    pub fn expires(&self) -> String {
        crate::web::format::date(self.expires_on)
    }
}

/// The case's signed releases in the order they were signed (`case_releases_list`, migration 0061).
pub async fn for_case(db: impl PgExecutor<'_>, case: CaseId) -> sqlx::Result<Vec<ReleaseRow>> {
    let list = sqlx::query_scalar!(
        r#"select case_releases_list($1) as "list!: sqlx::types::Json<Vec<ReleaseRow>>""#,
        case as CaseId
    )
    .fetch_one(db)
    .await?;
    Ok(list.0)
}

/// The release of one source, if signed.
pub fn of(releases: &[ReleaseRow], source: RecordSourceId) -> Option<&ReleaseRow> {
    releases.iter().find(|r| r.record_source_id == Some(source))
}

/// The one-page authorization a coordinator sends to the provider.
pub struct Letter {
    pub case_number: String,
    pub child_name: String,
    pub date_of_birth: jiff_sqlx::Date,
    pub provider_name: String,
    pub records_description: String,
    pub date_range: String,
    pub purpose: String,
    pub expires_on: jiff_sqlx::Date,
    pub signer_name: String,
    pub relationship: Relationship,
    pub signed_at: jiff_sqlx::Timestamp,
}

pub async fn letter(db: impl PgExecutor<'_>, case: CaseId, source: RecordSourceId) -> sqlx::Result<Option<Letter>> {
    sqlx::query_as!(
        Letter,
        r#"select c.case_number, ch.first_name || ' ' || ch.last_name as "child_name!",
                  ch.date_of_birth as "date_of_birth: jiff_sqlx::Date", r.provider_name, r.records_description,
                  r.date_range, r.purpose, r.expires_on as "expires_on: jiff_sqlx::Date", r.signer_name,
                  r.relationship as "relationship: Relationship", r.signed_at as "signed_at: jiff_sqlx::Timestamp"
           from record_releases r join cases c on c.id = r.case_id join children ch on ch.id = c.child_id
           where r.case_id = $1 and r.record_source_id = $2"#,
        case as CaseId,
        source as RecordSourceId
    )
    .fetch_optional(db)
    .await
}
