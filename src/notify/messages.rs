//! Every email the system sends. None carries health information: at most
//! "there is an update, please sign in". No names either, not even in greetings.

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
}

/// The content of one email, before the layout wraps it.
struct Content {
    subject: &'static str,
    paragraphs: Vec<&'static str>,
    action: Option<(&'static str, String)>,
    after: Vec<String>,
}

#[derive(Template)]
#[template(path = "email/layout.txt")]
struct TextEmail<'a> {
    subject: &'a str,
    paragraphs: &'a [&'static str],
    action: Option<&'a (&'static str, String)>,
    after: &'a [String],
}

#[derive(Template)]
#[template(path = "email/layout.html")]
struct HtmlEmail<'a> {
    subject: &'a str,
    paragraphs: &'a [&'static str],
    action: Option<&'a (&'static str, String)>,
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

    /// The link is a credential (it confirms an address or sets a password):
    /// the outbox keeps such a message sealed.
    pub fn carries_credential(&self) -> bool {
        matches!(self, Email::VerifyEmail { .. } | Email::ResetPassword { .. } | Email::StaffInvite { .. })
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
        }
    }

    fn content(&self) -> Content {
        let p = crate::config::program();
        let if_not_you = format!(
            "If this wasn't you, you can ignore this email. Questions? Call {} at {}, {}.",
            p.partner, p.phone.display, p.hours
        );
        match self {
            Email::VerifyEmail { link } => Content {
                subject: "Confirm your email address",
                paragraphs: vec![
                    "Thank you for creating a Second Opinion account. Please confirm that this is your email address.",
                ],
                action: Some(("Confirm my email", link.clone())),
                after: vec!["The link works for 48 hours.".into(), if_not_you],
            },
            Email::AccountExists { reset_link } => Content {
                subject: "You already have an account",
                paragraphs: vec![
                    "Someone (probably you) tried to create a Second Opinion account with this email address, which already has one.",
                ],
                action: Some(("Reset my password", reset_link.clone())),
                after: vec!["If you remember your password, just sign in.".into(), if_not_you],
            },
            Email::ResetPassword { link } => Content {
                subject: "Reset your password",
                paragraphs: vec!["We received a request to reset the password of your Second Opinion account."],
                action: Some(("Choose a new password", link.clone())),
                after: vec!["The link works for 30 minutes and only once.".into(), if_not_you],
            },
            Email::PasswordChanged => Content {
                subject: "Your password was changed",
                paragraphs: vec![
                    "The password of your Second Opinion account was just changed, and other sign-ins were ended.",
                ],
                action: None,
                after: vec![format!(
                    "If you did not do this, reset your password now and call us: {}, {}.",
                    p.phone.display, p.hours
                )],
            },
            Email::StaffInvite { link } => Content {
                subject: "Your Second Opinion staff account",
                paragraphs: vec![
                    "An administrator created a Second Opinion staff account for you. Choose a password to start.",
                ],
                action: Some(("Choose my password", link.clone())),
                after: vec![
                    "The link works for 24 hours. If it has expired, use \"Forgot your password?\" on the sign-in page."
                        .into(),
                ],
            },
            Email::PaymentReceived { link } => Content {
                subject: "Payment received: your case is submitted",
                paragraphs: vec![
                    "Thank you. We received your payment and your case is submitted. A personal care coordinator will take it from here.",
                    "Your receipt is on your case page. You can use it for your HSA or FSA.",
                ],
                action: Some(("Sign in to see your case", link.clone())),
                after: vec![if_not_you],
            },
            Email::CaseUpdate { link } => Content {
                subject: "There is an update on your case",
                paragraphs: vec!["There is an update on your case. Sign in to read it."],
                action: Some(("Sign in to read it", link.clone())),
                after: vec![if_not_you],
            },
            Email::CaseAssigned { link } => Content {
                subject: "A case was sent to you for review",
                paragraphs: vec![
                    "A second opinion case was sent to you for review. Sign in to see it and its due date.",
                ],
                action: Some(("Sign in to see your cases", link.clone())),
                after: vec![],
            },
            Email::AdditionalFee { link } => Content {
                subject: "There is an update on your case",
                paragraphs: vec![
                    "There is an update on your case: your care coordinator has asked about an additional review. Sign in to read it; nothing is charged unless you agree.",
                ],
                action: Some(("Sign in to read it", link.clone())),
                after: vec![if_not_you],
            },
            Email::FollowUpEscalated { link } => Content {
                subject: "A clarifying question was passed to you",
                paragraphs: vec![
                    "The clinician passed a family's clarifying question about your opinion to you. Answering is not required; the family has been told an answer is not guaranteed. Sign in to see it.",
                ],
                action: Some(("Sign in to see it", link.clone())),
                after: vec![],
            },
            Email::RecordRequested { link } => Content {
                subject: "There is an update on your case",
                paragraphs: vec![
                    "There is an update on your case: your care coordinator asks for a record. Sign in to see what is needed.",
                ],
                action: Some(("Sign in to see it", link.clone())),
                after: vec![if_not_you],
            },
            Email::FamilyMessage { link } => Content {
                subject: "A family sent a message",
                paragraphs: vec![
                    "A family wrote to their care team about one of your cases. Sign in to read it and reply.",
                ],
                action: Some(("Sign in to read it", link.clone())),
                after: vec![],
            },
            Email::OpinionReady { link } => Content {
                subject: "Your child's second opinion is ready",
                paragraphs: vec![
                    "Your child's second opinion is ready. Sign in to read it.",
                    "A clinician will call you to go through it. You can ask up to 3 clarifying questions within 5 business days.",
                ],
                action: Some(("Sign in to read it", link.clone())),
                after: vec![if_not_you],
            },
        }
    }

    pub fn render(&self) -> Result<Rendered, askama::Error> {
        let c = self.content();
        let text =
            TextEmail { subject: c.subject, paragraphs: &c.paragraphs, action: c.action.as_ref(), after: &c.after }
                .render()?;
        let html =
            HtmlEmail { subject: c.subject, paragraphs: &c.paragraphs, action: c.action.as_ref(), after: &c.after }
                .render()?;
        Ok(Rendered { kind: self.kind(), subject: c.subject.to_owned(), text, html })
    }
}
