//! What goes into a family's archive besides its HTML documents: the
//! folder's name, each attachment's name inside it, and the plain-text
//! files (the opinion, questions, records, messages). Labels are in the
//! family's language; what people wrote is kept as written. Every name in
//! the zip is built from the case number, dates and ids, never from what
//! someone typed.

use crate::cases::db::{QuestionRow, SourceWithDocuments};
use crate::cases::follow_ups::FollowUpRow;
use crate::cases::messages::MessageRow;
use crate::cases::opinion::{Header, OpinionView};
use crate::domain::Cents;
use crate::i18n::{Labelled, Lang, date_in, date_time_in};
use crate::web::format::pacific_date;
use bytes::Bytes;
use std::fmt::Write;

/// One file of the archive: its path under the archive's folder, and its bytes.
pub struct Entry {
    pub name: String,
    pub bytes: Bytes,
}

impl Entry {
    pub fn new(name: &str, content: String) -> Self {
        Entry { name: name.to_owned(), bytes: Bytes::from(content) }
    }
}

/// The folder (and zip) name: `SO-2026-000123-2026-12-01` (the Pacific date it was made).
pub fn root(case_number: &str, now: jiff::Timestamp) -> String {
    // Case numbers are the system's (`SO-yyyy-nnnnnn`); anything else is dropped to be safe.
    let number: String = case_number.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    format!("{number}-{}", pacific_date(now))
}

/// Where a message's attachment goes: `files/2026-12-01-message-<id>.pdf`.
pub fn attachment_path(message: &MessageRow, content_type: &str) -> String {
    let ext = match content_type {
        "application/pdf" => "pdf",
        "image/jpeg" => "jpg",
        "image/png" => "png",
        _ => "bin",
    };
    format!("files/{}-message-{}.{ext}", pacific_date(message.created_at), message.id.0.simple())
}

/// The signed opinion as plain text (the same words as the printed document).
pub fn opinion(lang: Lang, header: &Header, view: &OpinionView) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}\n", lang.t1("opinion-kind", "institution", &header.institution));
    let _ =
        writeln!(out, "{}: {} ({})", lang.t("receipt-patient"), header.child_name, date_in(lang, header.date_of_birth));
    let _ = writeln!(out, "{}: {}", lang.t("opinion-case"), header.case_number);
    let specialist = match &header.specialist {
        Some(s) => format!("{}, {}", s.name_with_credentials(), s.specialty),
        None => view.specialist_name.clone(),
    };
    let _ = writeln!(out, "{}: {specialist}", lang.t("opinion-specialist"));
    let _ = writeln!(out, "{}: {}", lang.t("opinion-institution"), header.institution);
    if let Some(on) = header.signed_on {
        let _ = writeln!(out, "{}: {}", lang.t("opinion-signed"), date_in(lang, on));
    }
    let _ = writeln!(out, "\n{}", lang.t("opinion-records-reviewed"));
    for r in &header.records {
        let _ = writeln!(out, "- {}{}{}", r.facility, if r.files.is_empty() { "" } else { ": " }, r.files.join("; "));
    }
    let _ = writeln!(out, "\n{}", lang.t("opinion-conclusion"));
    if let Some(outcome) = view.outcome {
        let _ = writeln!(out, "{}", outcome.msg().in_lang(lang));
    }
    let _ = writeln!(out, "\n{}", lang.t("opinion-answers"));
    for (position, question, answer) in &view.answers {
        let _ = writeln!(out, "\n{} {question}\n{answer}", lang.t1("opinion-question", "number", *position));
    }
    section(&mut out, lang.t("opinion-summary"), &view.summary);
    section(&mut out, lang.t("opinion-recommendations"), &view.recommendations);
    section(&mut out, lang.t("opinion-pcp-notes"), &view.pcp_notes);
    if let Some(when) = view.signed {
        let _ = writeln!(out, "\n{} · {}", view.specialist_name, date_time_in(lang, when));
    }
    out
}

fn section(out: &mut String, title: String, body: &str) {
    if !body.is_empty() {
        let _ = writeln!(out, "\n{title}\n{body}");
    }
}

/// The case's questions, then the follow-ups with their answers.
pub fn questions(lang: Lang, questions: &[QuestionRow], follow_ups: &[FollowUpRow]) -> String {
    let mut out = format!("{}\n", lang.t("archive-questions-heading"));
    for q in questions {
        let _ = writeln!(out, "\n{} {}", lang.t1("opinion-question", "number", q.position), q.body);
    }
    let _ = writeln!(out, "\n\n{}", lang.t("after-follow-ups"));
    if follow_ups.is_empty() {
        let _ = writeln!(out, "{}", lang.t("after-follow-ups-none"));
    }
    for f in follow_ups {
        let _ = writeln!(out, "\n{} {}", lang.t1("after-about-question", "number", f.about), f.body);
        match (&f.answer, f.escalated) {
            (Some(a), _) => {
                let who = if f.by_specialist() { "after-specialist-answered" } else { "after-clinician-answered" };
                let _ = writeln!(out, "{} {a}", lang.t(who));
            }
            (None, true) => {
                let _ = writeln!(out, "{}", lang.t("after-escalated"));
            }
            (None, false) => {
                let _ = writeln!(out, "{}", lang.t("after-waiting"));
            }
        }
    }
    out
}

/// Where the records are, what has come of each, and the files on the case.
pub fn records(lang: Lang, sources: &[SourceWithDocuments]) -> String {
    let mut out = format!("{}\n", lang.t("archive-records-heading"));
    for s in sources {
        let r = &s.source;
        let _ = writeln!(out, "\n{} · {}", r.facility, r.status.msg().in_lang(lang));
        for line in [&r.contact_name, &r.phone, &r.records_description, &r.date_range] {
            if !line.is_empty() {
                let _ = writeln!(out, "  {line}");
            }
        }
        if let Some(why) = &r.unavailable_reason {
            let _ = writeln!(out, "  {}", lang.t1("opinion-unavailable", "why", why));
        }
        for d in &s.documents {
            let _ = writeln!(
                out,
                "  - {} ({} KB, {})",
                d.original_name,
                d.size_kb(),
                date_in(lang, pacific_date(d.created_at))
            );
        }
    }
    out
}

/// The thread, oldest first; an attachment names its file in the archive.
pub fn messages(lang: Lang, thread: &[MessageRow]) -> String {
    let mut out = format!("{}\n", lang.t("archive-messages-heading"));
    for m in thread {
        let who = lang.t3(
            "archive-message-from",
            "name",
            &m.author,
            "role",
            m.title().in_lang(lang),
            "when",
            date_time_in(lang, m.created_at),
        );
        let _ = writeln!(out, "\n{who}\n{}", m.body);
        if let Some(a) = &m.attachment {
            let path = attachment_path(m, &a.content_type);
            let _ = writeln!(out, "{}", lang.t2("archive-message-file", "name", &a.name, "path", path));
        }
    }
    out
}

/// What this case's payments came to in one calendar year (Pacific).
pub struct YearTotal {
    pub year: i16,
    pub paid: Cents,
    pub refunded: Cents,
    pub net: Cents,
}

/// The case's payments by year, as the yearly statement totals them.
pub fn year_totals(receipts: &[super::receipts::ReceiptRow]) -> Vec<YearTotal> {
    let mut years: Vec<YearTotal> = Vec::new();
    for r in receipts {
        let Some(at) = r.succeeded_at else { continue };
        let year = pacific_date(at).year();
        if years.last().is_none_or(|y| y.year != year) {
            years.push(YearTotal { year, paid: Cents(0), refunded: Cents(0), net: Cents(0) });
        }
        if let Some(y) = years.last_mut() {
            y.paid = Cents(y.paid.0 + r.amount.0);
            y.net = Cents(y.net.0 + r.net().0);
            y.refunded = Cents(y.paid.0 - y.net.0);
        }
    }
    years
}
