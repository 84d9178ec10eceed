//! Every email the system sends. None carries health information: at most
//! "there is an update, please sign in". No names either, not even in greetings.
//! The words are messages (`locales/<lang>/email.ftl`): a family's email is
//! written in their language, staff's in English.

use crate::i18n::Lang;
use askama::Template;

/// A message to send; `render` turns it into subject, text and HTML.
#[derive(Clone, Debug)]
pub enum Email {
    VerifyEmail {
        link: String,
    },
    AccountExists {
        reset_link: String,
    },
    ResetPassword {
        link: String,
    },
    PasswordChanged,
    StaffInvite {
        link: String,
    },
    PaymentReceived {
        link: String,
    },
    CaseUpdate {
        link: String,
    },
    CaseAssigned {
        link: String,
    },
    AdditionalFee {
        link: String,
    },
    OpinionReady {
        link: String,
    },
    FollowUpEscalated {
        link: String,
    },
    RecordRequested {
        link: String,
    },
    /// To the care team: the family wrote in a case's thread.
    FamilyMessage {
        link: String,
    },
    /// A parent invites the child's other parent or guardian to share the child.
    GuardianInvite {
        link: String,
    },
}

/// The content of one email, before the layout wraps it.
struct Content {
    subject: String,
    paragraphs: Vec<String>,
    action: Option<(String, String)>,
    after: Vec<String>,
}

#[derive(Template)]
#[template(path = "email/layout.txt")]
struct TextEmail<'a> {
    lang: Lang,
    subject: &'a str,
    paragraphs: &'a [String],
    action: Option<&'a (String, String)>,
    after: &'a [String],
}

#[derive(Template)]
#[template(path = "email/layout.html")]
struct HtmlEmail<'a> {
    lang: Lang,
    subject: &'a str,
    paragraphs: &'a [String],
    action: Option<&'a (String, String)>,
    after: &'a [String],
}

/// A rendered message, ready for the outbox.
pub struct Rendered {
    pub kind: &'static str,
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl Email {
    /// Kinds a stranger can make us send to any address (by signing up or
    /// asking for a reset with it): a few an hour at most.
    pub const UNASKED_KINDS: [&'static str; 3] = ["verify_email", "account_exists", "reset_password"];

    /// The link is a credential (it confirms an address, sets a password or
    /// accepts a guardian invitation): the outbox keeps such a message sealed.
    pub fn carries_credential(&self) -> bool {
        matches!(
            self,
            Email::VerifyEmail { .. }
                | Email::ResetPassword { .. }
                | Email::StaffInvite { .. }
                | Email::GuardianInvite { .. }
        )
    }

    pub fn unasked(&self) -> bool {
        Self::UNASKED_KINDS.contains(&self.kind())
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Email::VerifyEmail { .. } => "verify_email",
            Email::AccountExists { .. } => "account_exists",
            Email::ResetPassword { .. } => "reset_password",
            Email::PasswordChanged => "password_changed",
            Email::StaffInvite { .. } => "staff_invite",
            Email::PaymentReceived { .. } => "payment_received",
            Email::CaseUpdate { .. } => "case_update",
            Email::CaseAssigned { .. } => "case_assigned",
            Email::AdditionalFee { .. } => "additional_fee",
            Email::OpinionReady { .. } => "opinion_ready",
            Email::FollowUpEscalated { .. } => "follow_up_escalated",
            Email::RecordRequested { .. } => "record_requested",
            Email::FamilyMessage { .. } => "family_message",
            Email::GuardianInvite { .. } => "guardian_invite",
        }
    }

    /// The message ids of this email: `email-<kind>-subject`, its
    /// paragraphs `-p1`, `-p2`…, its button `-action` and its small print
    /// `-after…`, all in `locales/<lang>/email.ftl`.
    fn content(&self, lang: Lang) -> Content {
        let t = |id: &str| lang.t(id);
        let if_not_you = t("email-if-not-you");
        let (kind, link, paragraphs, after): (&str, Option<&String>, usize, Vec<String>) = match self {
            Email::VerifyEmail { link } => {
                ("verify-email", Some(link), 1, vec![t("email-verify-email-after"), if_not_you])
            }
            Email::AccountExists { reset_link } => {
                ("account-exists", Some(reset_link), 1, vec![t("email-account-exists-after"), if_not_you])
            }
            Email::ResetPassword { link } => {
                ("reset-password", Some(link), 1, vec![t("email-reset-password-after"), if_not_you])
            }
            Email::PasswordChanged => ("password-changed", None, 1, vec![t("email-password-changed-after")]),
            Email::StaffInvite { link } => ("staff-invite", Some(link), 1, vec![t("email-staff-invite-after")]),
            Email::PaymentReceived { link } => ("payment-received", Some(link), 2, vec![if_not_you]),
            Email::CaseUpdate { link } => ("case-update", Some(link), 1, vec![if_not_you]),
            Email::CaseAssigned { link } => ("case-assigned", Some(link), 1, vec![]),
            Email::AdditionalFee { link } => ("additional-fee", Some(link), 1, vec![if_not_you]),
            Email::FollowUpEscalated { link } => ("follow-up-escalated", Some(link), 1, vec![]),
            Email::RecordRequested { link } => ("record-requested", Some(link), 1, vec![if_not_you]),
            Email::FamilyMessage { link } => ("family-message", Some(link), 1, vec![]),
            Email::OpinionReady { link } => ("opinion-ready", Some(link), 2, vec![if_not_you]),
            Email::GuardianInvite { link } => {
                ("guardian-invite", Some(link), 2, vec![t("email-guardian-invite-after"), if_not_you])
            }
        };
        Content {
            subject: t(&format!("email-{kind}-subject")),
            paragraphs: (1..=paragraphs).map(|n| t(&format!("email-{kind}-p{n}"))).collect(),
            action: link.map(|link| (t(&format!("email-{kind}-action")), link.clone())),
            after,
        }
    }

    /// The email in `lang`: subject, text and HTML.
    pub fn render(&self, lang: Lang) -> Result<Rendered, askama::Error> {
        let c = self.content(lang);
        let text = TextEmail {
            lang,
            subject: &c.subject,
            paragraphs: &c.paragraphs,
            action: c.action.as_ref(),
            after: &c.after,
        }
        .render()?;
        let html = HtmlEmail {
            lang,
            subject: &c.subject,
            paragraphs: &c.paragraphs,
            action: c.action.as_ref(),
            after: &c.after,
        }
        .render()?;
        Ok(Rendered { kind: self.kind(), subject: c.subject, text, html })
    }
}
