//! Messages made where no language is known yet, and the names families
//! read for domain values (a case's state, a relationship…).

use super::Lang;

/// A message id with its arguments, made where no language is known yet
/// (a domain rule's refusal) and put into words where one is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Msg(pub &'static str);

impl Msg {
    pub fn in_lang(self, lang: Lang) -> String {
        lang.t(self.0)
    }
}

/// English, for logs, the command line and staff pages that print a refusal.
impl std::fmt::Display for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&Lang::En.t(self.0))
    }
}

impl std::error::Error for Msg {}

/// Something to tell a person: a message of ours (put into their language)
/// or text already in words (staff pages write English directly).
pub trait Say {
    fn say(&self, lang: Lang) -> String;
}

impl Say for Msg {
    fn say(&self, lang: Lang) -> String {
        self.in_lang(lang)
    }
}
impl Say for &str {
    fn say(&self, _: Lang) -> String {
        (*self).to_owned()
    }
}
impl Say for String {
    fn say(&self, _: Lang) -> String {
        self.clone()
    }
}
impl Say for &String {
    fn say(&self, _: Lang) -> String {
        (*self).clone()
    }
}

/// A domain value with a name families read (a state, a relationship…):
/// its message id. The English words staff pages use stay in `domain`.
pub trait Labelled {
    fn msg(&self) -> Msg;
}

impl<T: Labelled> Labelled for &T {
    fn msg(&self) -> Msg {
        (**self).msg()
    }
}

macro_rules! labels {
    ($t:ty { $($variant:ident => $id:literal),* $(,)? }) => {
        impl Labelled for $t {
            fn msg(&self) -> Msg {
                match self { $(<$t>::$variant => Msg($id)),* }
            }
        }
    };
}

use crate::domain::opinion::OpinionOutcome;
use crate::domain::{
    CaseStatus, EmailUpdates, FeeKind, FeeStatus, PurposeKind, RecordStatus, ReferralStatus, RefundStatus,
    Relationship, Sex,
};
labels!(CaseStatus {
    Draft => "status-draft", Submitted => "status-submitted", CollectingRecords => "status-collecting-records",
    ReadyForReview => "status-ready-for-review", InReview => "status-in-review",
    OpinionDelivered => "status-opinion-delivered", Closed => "status-closed", Cancelled => "status-cancelled",
});
labels!(Sex { Female => "sex-female", Male => "sex-male", Intersex => "sex-intersex", NotStated => "sex-not-stated" });
labels!(Relationship {
    Parent => "relationship-parent", LegalGuardian => "relationship-legal-guardian",
    LegalRepresentative => "relationship-legal-representative",
});
labels!(RecordStatus {
    NotRequested => "record-not-requested", Requested => "record-requested", Received => "record-received",
    Digitized => "record-digitized", Unavailable => "record-unavailable",
});
labels!(FeeKind { Imaging => "fee-kind-imaging", Pathology => "fee-kind-pathology" });
labels!(FeeStatus {
    Requested => "fee-status-requested", Paid => "fee-status-paid", Declined => "fee-status-declined",
    Waived => "fee-status-waived", Withdrawn => "fee-status-withdrawn",
});
labels!(ReferralStatus {
    Requested => "referral-requested", VisitArranged => "referral-visit-arranged",
    ReferralSent => "referral-sent", NotNeeded => "referral-not-needed",
});
labels!(OpinionOutcome {
    Agrees => "outcome-agrees", AgreesDiagnosisDifferentTreatment => "outcome-agrees-diagnosis",
    DifferentDiagnosis => "outcome-different-diagnosis",
});
labels!(EmailUpdates { EveryStep => "email-updates-every-step", Essential => "email-updates-essential" });
labels!(PurposeKind { CaseFee => "purpose-case-fee", AdditionalFee => "purpose-additional-fee" });
labels!(RefundStatus {
    Requested => "refund-requested", Succeeded => "refund-succeeded", Failed => "refund-failed",
    Manual => "refund-requested",
});
labels!(Lang { En => "language-en", Es => "language-es" });
