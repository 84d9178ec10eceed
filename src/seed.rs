//! `seed-demo` and `create-user`: accounts made from the command line.

mod samples;

use crate::auth::password::Hasher;
use crate::cases::documents::Storage;
use crate::domain::{EmailAddress, NewPassword, PersonName, Role, UserId};
use anyhow::{Context, bail};
use jiff_sqlx::ToSqlx;
use sqlx::PgPool;

pub const DEMO_PASSWORD: &str = "demo-password-1";

/// Creates one account (verified: its creator vouches for the address).
pub async fn create_user(
    db: &PgPool,
    role: Role,
    email: &EmailAddress,
    name: &PersonName,
    password: &NewPassword,
    specialty: Option<&str>,
) -> anyhow::Result<()> {
    let phc = Hasher::new(1).hash(password.expose()).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut tx = db.begin().await?;
    let Some(id) = crate::auth::db::insert_user(&mut tx, email, name.as_str(), role, &phc, true).await? else {
        bail!("an account with that email already exists");
    };
    if role == Role::Specialist {
        add_specialist(&mut tx, id, specialty.unwrap_or("General pediatrics")).await?;
    }
    tx.commit().await?;
    println!("created {} account {}", role.as_str(), email);
    Ok(())
}

async fn add_specialist(conn: &mut sqlx::PgConnection, id: UserId, specialty: &str) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into specialists (user_id, specialty) values ($1, $2) on conflict (user_id) do nothing",
        id as UserId,
        specialty
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The spec's five demo accounts plus a small specialist directory. Running
/// it again changes nothing. The staff accounts are enrolled in the second
/// factor with the one demo secret (`key` seals it, as the app will open it).
pub async fn seed_demo(db: PgPool, storage: Storage, key: crate::notify::seal::OutboxKey) -> anyhow::Result<()> {
    use crate::auth::second_factor;
    let demo_secret = second_factor::from_base32(second_factor::DEMO_SECRET).context("the demo secret is base32")?;
    let people: &[(&str, &str, Role, Option<&str>)] = &[
        ("family@demo.test", "Dana Family", Role::Family, None),
        ("coordinator@demo.test", "Casey Coordinator", Role::Coordinator, None),
        ("clinician@demo.test", "Dr. Lee Clinician", Role::Clinician, None),
        ("specialist@demo.test", "Dr. Sam Specialist", Role::Specialist, Some("Pediatric cardiology")),
        ("admin@demo.test", "Alex Admin", Role::Admin, None),
        ("neurology@demo.test", "Dr. Priya Raman", Role::Specialist, Some("Pediatric neurology")),
        ("oncology@demo.test", "Dr. Tomás Ortega", Role::Specialist, Some("Pediatric oncology")),
        ("gastro@demo.test", "Dr. Mei Chen", Role::Specialist, Some("Pediatric gastroenterology")),
    ];
    let phc = Hasher::new(1).hash(DEMO_PASSWORD).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut tx = db.begin().await?;
    for &(email, name, role, specialty) in people {
        let email = EmailAddress::parse(email).map_err(anyhow::Error::msg)?;
        let id = match crate::auth::db::insert_user(&mut tx, &email, name, role, &phc, true).await? {
            Some(id) => id,
            None => crate::auth::db::user_id_by_email(&mut *tx, &email)
                .await?
                .context("demo account exists but is disabled")?,
        };
        if role.is_staff() {
            // Step 0 used: any code the demo secret makes from now on signs in. Enrolled already: unchanged.
            second_factor::enrol(&mut tx, &key, id, &demo_secret, 0, jiff::Timestamp::now()).await?;
        }
        if let Some(specialty) = specialty {
            add_specialist(&mut tx, id, specialty).await?;
            demo_profile(&mut tx, id, specialty).await?;
        }
    }
    let family_email = EmailAddress::parse("family@demo.test").map_err(anyhow::Error::msg)?;
    let family =
        crate::auth::db::user_id_by_email(&mut *tx, &family_email).await?.context("the demo family is disabled")?;
    seed_cases(&mut tx, &storage, family).await?;
    tx.commit().await?;
    println!(
        "demo accounts ready (password {DEMO_PASSWORD}): family@, coordinator@, clinician@, specialist@, admin@demo.test\n\
         staff sign-in code: `oathtool --totp -b {}` (or add that key to an authenticator app)",
        second_factor::DEMO_SECRET
    );
    Ok(())
}

/// A short directory profile, as families read it (only where none was written).
async fn demo_profile(tx: &mut sqlx::PgConnection, id: UserId, specialty: &str) -> anyhow::Result<()> {
    let focus = format!(
        "Sees children and teenagers referred for {}, with a special interest in second opinions on complex treatment decisions.",
        specialty.trim_start_matches("Pediatric ").to_lowercase()
    );
    sqlx::query!(
        "update specialists set credentials = 'MD, board certified', clinical_focus = $2 where user_id = $1 and credentials = ''",
        id as UserId,
        focus
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// One sample case in every state for the demo family, once.
async fn seed_cases(tx: &mut sqlx::PgConnection, storage: &Storage, family: UserId) -> anyhow::Result<()> {
    use crate::domain::{CaseId, CaseStatus::*, ChildId};
    let existing: i64 =
        sqlx::query_scalar!(r#"select count(*) as "n!" from cases where family_id = $1"#, family as UserId)
            .fetch_one(&mut *tx)
            .await?;
    if existing > 0 {
        return Ok(());
    }
    let mut children = Vec::new();
    for (first, dob, sex) in [("Mila", "2016-05-04", "female"), ("Leo", "2019-09-12", "male")] {
        let dob: jiff::civil::Date = dob.parse()?;
        let values = crate::family::db::ChildValues {
            first_name: first.into(),
            last_name: "Okafor".into(),
            preferred_name: None,
            date_of_birth: dob,
            sex: if sex == "female" { crate::domain::Sex::Female } else { crate::domain::Sex::Male },
        };
        children.push(
            crate::family::db::insert_child(
                &mut *tx,
                family,
                &values,
                crate::domain::Relationship::Parent,
                jiff::Timestamp::now(),
            )
            .await?,
        );
    }
    let paths: [&[crate::domain::CaseStatus]; 8] = [
        &[],
        &[Submitted],
        &[Submitted, CollectingRecords],
        &[Submitted, CollectingRecords, ReadyForReview],
        &[Submitted, CollectingRecords, ReadyForReview, InReview],
        &[Submitted, CollectingRecords, ReadyForReview, InReview, OpinionDelivered],
        &[Submitted, CollectingRecords, ReadyForReview, InReview, OpinionDelivered, Closed],
        &[Submitted, Cancelled],
    ];
    for (n, path) in paths.iter().enumerate() {
        let child: ChildId = children[n % 2];
        // Each case reaches its state about a day ago, so deadlines and the
        // follow-up window are live when someone tries the demo.
        let mut at = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(24 * (path.len() as i64 + 2))
            + jiff::SignedDuration::from_mins(n as i64);
        // The demo's cases were opened after the safety screen, like any other.
        let answers = crate::family::screen::Answers { emergency: false, decision_soon: n == 2 };
        let screen = crate::family::screen::record(&mut *tx, family, child, answers, crate::i18n::Lang::En, at).await?;
        let case: CaseId =
            crate::cases::open_draft(&mut *tx, family, child, screen, "family@demo.test", None, at).await?;
        sqlx::query!(
            r#"update cases set diagnosis_summary = $2, treatment_summary = $3, treating_physician = 'Dr. Rivera',
                                treating_clinic = 'Valley Children''s Clinic', consented_at = $4,
                                contact_phone = '+14155550123', contact_time_zone = 'America/Los_Angeles',
                                call_times = 'Weekdays after 5 pm'
                           where id = $1"#,
            case as CaseId,
            if n % 2 == 0 {
                "Crohn's disease, diagnosed in 2025"
            } else {
                "Heart murmur; suspected atrial septal defect"
            },
            if n % 2 == 0 { "Biologic therapy proposed" } else { "Watchful waiting proposed" },
            at.to_sqlx() as _
        )
        .execute(&mut *tx)
        .await?;
        for (facility, what, language) in [
            ("Valley Children's Clinic", "Clinic notes and lab results", "English"),
            ("Hospital Central", "Imaging reports", "Spanish"),
        ] {
            let source = sqlx::query_scalar!(
                // clock_timestamp, not the transaction's now(): the checklist lists sources in the order they were added.
                "insert into record_sources (case_id, facility, records_description, language, created_at)
                 values ($1, $2, $3, $4, clock_timestamp()) returning id",
                case as CaseId,
                facility,
                what,
                language
            )
            .fetch_one(&mut *tx)
            .await?;
            // The family's signed release for it (a draft can't be submitted without).
            sqlx::query!(
                r#"insert into record_releases (case_id, record_source_id, provider_name, records_description, date_range,
                                                expires_on, signer_name, relationship, signed_by, signed_at)
                   values ($1, $2, $3, $4, '', ($5::timestamptz at time zone 'America/Los_Angeles')::date + 365,
                           'Dana Family', 'parent', $6, $5)"#,
                case as CaseId,
                source,
                facility,
                what,
                at.to_sqlx() as _,
                family as UserId
            )
            .execute(&mut *tx)
            .await?;
        }
        for (i, q) in [
            "Do you agree with the diagnosis?",
            "Is the proposed treatment the best option now?",
            "What should we watch for at home?",
        ]
        .iter()
        .enumerate()
        {
            sqlx::query!(
                "insert into case_questions (case_id, position, body) values ($1, $2, $3)",
                case as CaseId,
                i as i16 + 1,
                q
            )
            .execute(&mut *tx)
            .await?;
        }
        if !path.is_empty() {
            // Paid through the test gateway; the cancelled case was refunded.
            let payment = sqlx::query_scalar!(
                r#"insert into payments (case_id, purpose, amount_cents, provider, provider_payment_id, status,
                                         fulfilled, succeeded_at, receipt_number, card_brand, card_last4)
                   values ($1, 'case_fee', 90000, 'test_gateway', $3, 'succeeded', true, $2,
                           nextval('receipt_number_seq'), 'Test card', '4242')
                   returning id"#,
                case as CaseId,
                at.to_sqlx() as _,
                format!("demo_{case}")
            )
            .fetch_one(&mut *tx)
            .await?;
            if path.last() == Some(&Cancelled) {
                let refunded = at + jiff::SignedDuration::from_hours(24 * path.len() as i64);
                sqlx::query!(
                    r#"insert into refunds (payment_id, amount_cents, reason, status, provider_refund_id, attempts, requested_at, completed_at)
                       values ($1, 90000, 'case_cancelled', 'succeeded', $2, 1, $3, $3)"#,
                    payment,
                    format!("test_refund_demo_{case}"),
                    refunded.to_sqlx() as _
                )
                .execute(&mut *tx)
                .await?;
                sqlx::query!("update payments set status = 'refunded' where id = $1", payment)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        let mut from = Draft;
        for &to in path.iter() {
            at += jiff::SignedDuration::from_hours(24);
            staff_steps(&mut *tx, storage, case, to, at).await?;
            // Who would have made the step, so the staff timeline reads true.
            let actor = match to {
                CollectingRecords | ReadyForReview | InReview => {
                    Some(seed_staff_id(tx, "coordinator@demo.test").await?)
                }
                OpinionDelivered => Some(seed_staff_id(tx, "specialist@demo.test").await?),
                Cancelled => Some(family),
                _ => None,
            };
            crate::cases::transition(&mut *tx, case, from, to, actor, Some("Demo data."), at)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            from = to;
        }
    }
    Ok(())
}

async fn seed_staff_id(tx: &mut sqlx::PgConnection, email: &str) -> anyhow::Result<UserId> {
    let email = EmailAddress::parse(email).map_err(anyhow::Error::msg)?;
    crate::auth::db::user_id_by_email(&mut *tx, &email).await?.context("demo staff account missing")
}

/// What the care team would have done before each step, so the demo staff
/// accounts find their work: assignments, a finished checklist, a signed
/// opinion. (Deadlines come with each transition.)
async fn staff_steps(
    tx: &mut sqlx::PgConnection,
    storage: &Storage,
    case: crate::domain::CaseId,
    to: crate::domain::CaseStatus,
    at: jiff::Timestamp,
) -> anyhow::Result<()> {
    use crate::domain::{CaseId, CaseStatus::*};
    match to {
        CollectingRecords => {
            let coordinator = seed_staff_id(tx, "coordinator@demo.test").await?;
            let clinician = seed_staff_id(tx, "clinician@demo.test").await?;
            sqlx::query!(
                "update cases set coordinator_id = $2, clinician_id = $3 where id = $1",
                case as CaseId,
                coordinator as UserId,
                clinician as UserId
            )
            .execute(&mut *tx)
            .await?;
            sqlx::query!(
                "update record_sources set status = 'requested', requested_at = $2 where case_id = $1",
                case as CaseId,
                at.to_sqlx() as _
            )
            .execute(&mut *tx)
            .await?;
        }
        ReadyForReview => {
            attach_samples(tx, storage, case).await?;
            sqlx::query!(
                "update record_sources set status = 'digitized', received_at = $2, digitized_at = $2 where case_id = $1",
                case as CaseId,
                at.to_sqlx() as _
            )
            .execute(&mut *tx)
            .await?;
        }
        InReview => {
            let specialist = seed_staff_id(tx, "specialist@demo.test").await?;
            sqlx::query!("update cases set specialist_id = $2 where id = $1", case as CaseId, specialist as UserId)
                .execute(&mut *tx)
                .await?;
        }
        OpinionDelivered => {
            let specialist = seed_staff_id(tx, "specialist@demo.test").await?;
            let opinion = sqlx::query_scalar!(
                r#"insert into opinions (case_id, specialist_id, outcome, summary, recommendations)
                   values ($1, $2, 'agrees_diagnosis_different_treatment',
                           'The diagnosis is well supported by the records. I suggest adjusting the treatment plan.',
                           'Discuss a step-up in therapy with your child''s gastroenterologist; repeat labs in 8 weeks.')
                   returning id"#,
                case as CaseId,
                specialist as UserId
            )
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query!(
                "insert into opinion_answers (opinion_id, question_id, body) select $1, id, 'Yes. The findings in the records support it.' from case_questions where case_id = $2",
                opinion,
                case as CaseId
            )
            .execute(&mut *tx)
            .await?;
            sqlx::query!("update opinions set signed_at = $2 where id = $1", opinion, at.to_sqlx() as _)
                .execute(&mut *tx)
                .await?;
        }
        _ => {}
    }
    Ok(())
}

/// Sample files for each source, so "digitized" has something to read:
/// clinic notes and an image for the English source; the Spanish report and
/// its English translation for the other.
async fn attach_samples(
    tx: &mut sqlx::PgConnection,
    storage: &Storage,
    case: crate::domain::CaseId,
) -> anyhow::Result<()> {
    use crate::domain::{CaseId, RecordSourceId};
    let coordinator = seed_staff_id(tx, "coordinator@demo.test").await?;
    let number =
        sqlx::query_scalar!("select case_number from cases where id = $1", case as CaseId).fetch_one(&mut *tx).await?;
    let sources = sqlx::query!(
        r#"select id as "id: RecordSourceId", translation_required as "translation_required!" from record_sources
           where case_id = $1 order by created_at"#,
        case as CaseId
    )
    .fetch_all(&mut *tx)
    .await?;
    let banner = format!("DEMO DATA for case {number} - not a real patient, not medical advice.");
    let page = |title: &str, n: usize, of: usize, body: &[&str]| {
        let mut lines = vec![banner.clone(), String::new(), format!("{title} - page {n} of {of}"), String::new()];
        lines.extend(body.iter().map(|l| (*l).to_owned()));
        lines
    };
    for source in sources {
        let files: Vec<(&str, Vec<u8>, bool)> = if source.translation_required {
            vec![
                (
                    "informe-de-imagenes.pdf",
                    samples::pdf(&[
                        page(
                            "Informe de imagenes",
                            1,
                            2,
                            &["Ecocardiograma transtoracico.", "Hallazgos: ver pagina 2."],
                        ),
                        page("Informe de imagenes", 2, 2, &["Conclusion: comunicacion interauricular pequena."]),
                    ]),
                    false,
                ),
                (
                    "imaging-report-english-translation.pdf",
                    samples::pdf(&[
                        page(
                            "Imaging report (certified translation)",
                            1,
                            2,
                            &["Transthoracic echocardiogram.", "Findings: see page 2."],
                        ),
                        page(
                            "Imaging report (certified translation)",
                            2,
                            2,
                            &["Conclusion: small atrial septal defect."],
                        ),
                    ]),
                    true,
                ),
            ]
        } else {
            vec![
                (
                    "clinic-notes-and-labs.pdf",
                    samples::pdf(&[
                        page("Clinic notes", 1, 3, &["Visit 1: symptoms for 4 months.", "Weight stable."]),
                        page("Clinic notes", 2, 3, &["Visit 2: symptoms improving on current plan."]),
                        page("Laboratory results", 3, 3, &["CRP 12 mg/L (high).", "Hemoglobin 11.2 g/dL."]),
                    ]),
                    false,
                ),
                ("chest-image.png", samples::IMAGE.to_vec(), false),
            ]
        };
        for (name, bytes, is_translation) in files {
            let chunks = futures_util::stream::iter([Ok::<_, std::convert::Infallible>(bytes::Bytes::from(bytes))]);
            let stored = storage.put(name, chunks).await.map_err(|e| anyhow::anyhow!("{}", e.message()))?;
            sqlx::query!(
                r#"insert into documents (case_id, record_source_id, storage_key, original_name, content_type, size_bytes, sha256, uploaded_by, is_translation)
                   values ($1, $2, $3, $4, $5, $6, $7, $8, $9)"#,
                case as CaseId,
                source.id as RecordSourceId,
                stored.key,
                name,
                stored.content_type,
                stored.size,
                stored.sha256,
                coordinator as UserId,
                is_translation
            )
            .execute(&mut *tx)
            .await?;
        }
    }
    Ok(())
}

/// `seed-load --cases N`: set-based bulk generation (src/seed_load.sql) for
/// benchmarks; triggers are bypassed during the load, so the per-state
/// counts are recomputed afterwards. The script is sent a step at a time
/// (its own `begin` … `commit` spans them, on one connection), so a
/// terminal sees how far a load of minutes is.
pub async fn seed_load(db: PgPool, cases: u64) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let mut conn = db.acquire().await?;
    sqlx::query("select set_config('seed_load.cases', $1, false)").bind(cases.to_string()).execute(&mut *conn).await?;
    // A bulk load runs for minutes; the app's 10-second statement limit is for requests.
    sqlx::query("set statement_timeout = 0").execute(&mut *conn).await?;
    let steps = load_steps(include_str!("seed_load.sql"));
    let bar = crate::progress::bar(steps.len() + 1, "loading");
    for (i, step) in steps.iter().enumerate() {
        bar.set_message(step_label(step).to_owned());
        if let Err(e) = sqlx::raw_sql(step).execute(&mut *conn).await {
            bar.abandon();
            // Never hand the connection back inside the script's transaction.
            let _ = sqlx::raw_sql("rollback").execute(&mut *conn).await;
            return Err(e).with_context(|| format!("running step {} of seed_load.sql ({})", i + 1, step_label(step)));
        }
        bar.inc(1);
    }
    bar.set_message("recounting cases per state");
    sqlx::query("select case_status_counts_refresh()").execute(&mut *conn).await?;
    bar.finish_and_clear();
    println!("loaded {} cases in {}", crate::progress::thousands(cases), crate::progress::took(started.elapsed()));
    Ok(())
}

/// The script cut into its paragraphs that end a statement: a blank line
/// after a line ending in `;`. (No `$$` body in it has such a blank line; a
/// unit test keeps it so.)
fn load_steps(script: &str) -> Vec<String> {
    let mut steps = Vec::new();
    let mut current = String::new();
    for paragraph in script.split("\n\n") {
        current.push_str(paragraph);
        current.push_str("\n\n");
        if paragraph.trim_end().ends_with(';') {
            steps.push(std::mem::take(&mut current));
        }
    }
    // What follows the last statement (comments) goes with it: no step of its own.
    match steps.last_mut() {
        Some(last) => last.push_str(&current),
        None => steps.push(current),
    }
    steps
}

/// A step's name for the bar: its first comment line, or its first line.
fn step_label(step: &str) -> &str {
    let mut lines = step.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.clone().find_map(|l| l.strip_prefix("-- ")).or_else(|| lines.next()).unwrap_or("");
    first.char_indices().nth(60).map_or(first, |(i, _)| &first[..i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_load_script_splits_into_whole_statements() {
        let script = include_str!("seed_load.sql");
        let steps = load_steps(script);
        assert!(steps.len() > 10, "{} steps", steps.len());
        assert_eq!(steps.concat().trim_end(), script.trim_end(), "nothing lost or added");
        for step in &steps {
            assert_eq!(step.matches("$$").count() % 2, 0, "a $$ body cut in two: {step}");
            let code: String =
                step.lines().filter(|l| !l.trim_start().starts_with("--")).collect::<Vec<_>>().join("\n");
            assert!(code.trim().is_empty() || code.trim_end().ends_with(';'), "ends mid-statement: {step}");
        }
        assert!(steps.first().is_some_and(|s| s.contains("begin;")));
        assert!(steps.iter().any(|s| s.lines().any(|l| l == "commit;")));
    }
}
