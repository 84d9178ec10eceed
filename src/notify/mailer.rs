//! Where mail goes: an SMTP server when `SMTP_URL` is set, else `.eml` files
//! under `var/mail/` (the zero-configuration default for a developer).

use crate::config::Config;
use anyhow::Context;
use lettre::message::{Mailbox, MultiPart, header::MessageId};
use lettre::transport::smtp::Error as SmtpError;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

#[derive(Clone)]
pub enum Mailer {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>),
}

/// One outgoing message, as stored in the outbox.
pub struct Outgoing<'a> {
    pub id: uuid::Uuid,
    pub to: &'a str,
    pub subject: &'a str,
    pub text: &'a str,
    pub html: &'a str,
}

/// A failed send: `permanent` ones (a 5xx reply) are not retried.
#[derive(Debug)]
pub struct SendError {
    pub permanent: bool,
    pub message: String,
}

impl Mailer {
    pub fn from_config(config: &Config) -> anyhow::Result<Self> {
        match &config.smtp_url {
            Some(url) => {
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())
                    .context("SMTP_URL is not a valid smtp:// or smtps:// URL")?
                    .timeout(Some(Duration::from_secs(10)))
                    .build();
                Ok(Mailer::Smtp(transport))
            }
            None => {
                let dir = config.var_dir.join("mail");
                std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
                Ok(Mailer::Files(AsyncFileTransport::new(dir)))
            }
        }
    }

    pub async fn send(&self, from: &str, mail: Outgoing<'_>) -> Result<(), SendError> {
        let invalid = |e: &dyn std::fmt::Display| SendError { permanent: true, message: e.to_string() };
        let from: Mailbox = from.parse().map_err(|e| invalid(&e))?;
        let to: Mailbox = mail.to.parse().map_err(|e| invalid(&e))?;
        // The Message-ID comes from the outbox row, so a rare duplicate
        // (crash between send and mark) can be recognised by mail clients.
        let message = Message::builder()
            .from(from)
            .to(to)
            .subject(mail.subject)
            .header(MessageId::from(format!("<{}@second-opinion>", mail.id)))
            .multipart(MultiPart::alternative_plain_html(mail.text.to_owned(), mail.html.to_owned()))
            .map_err(|e| invalid(&e))?;
        match self {
            Mailer::Smtp(t) => t
                .send(message)
                .await
                .map(drop)
                .map_err(|e: SmtpError| SendError { permanent: e.is_permanent(), message: e.to_string() }),
            Mailer::Files(t) => {
                t.send(message).await.map(drop).map_err(|e| SendError { permanent: false, message: e.to_string() })
            }
        }
    }
}
