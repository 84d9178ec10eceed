//! `seed-demo` and `create-user`: accounts made from the command line.

use crate::auth::password::Hasher;
use crate::domain::{EmailAddress, NewPassword, PersonName, Role, UserId};
use anyhow::{Context, bail};
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
/// it again changes nothing.
pub async fn seed_demo(db: PgPool) -> anyhow::Result<()> {
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
        if let Some(specialty) = specialty {
            add_specialist(&mut tx, id, specialty).await?;
        }
    }
    tx.commit().await?;
    println!(
        "demo accounts ready (password {DEMO_PASSWORD}): family@, coordinator@, clinician@, specialist@, admin@demo.test"
    );
    Ok(())
}
