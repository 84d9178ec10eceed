//! Additional-fee requests (imaging or pathology re-review): priced from the
//! specialist's suggestion (or raised without one) with an amount, a reason
//! for the family and how far the opinion's date moves once paid; paid or
//! declined by the family, or waived after a confirmation. A suggestion the
//! coordinator won't price is set aside with a reason the specialist reads.

use super::actions::back;
use super::workspace::{self, FormName, Typed};
use crate::audit::{self, Entry, Outcome};
use crate::cases::fees as suggestions;
use crate::cases::updates::{Update, tell_family};
use crate::domain::text::{FeeReason, SuggestionReason};
use crate::domain::{CaseId, Cents, FeeKind, FeeRequestId, FeeStatus, SuggestionId, UserId};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::confirm::{self, Confirm};
use crate::web::extract::{ClientIp, Coordinator, Path};
use crate::web::forms::{Form, FormErrors};
use crate::web::page::{FlashKind, PageContext, flash_redirect};
use axum::extract::State;
use axum::response::Response;
use jiff_sqlx::ToSqlx;
use serde::Deserialize;
use tower_sessions::Session;

/// Business days a paid re-review may move the opinion (the database agrees).
const MOVES_RANGE: std::ops::RangeInclusive<i16> = 0..=20;

#[derive(Deserialize)]
pub struct FeeForm {
    /// A suggestion's id, "none", or absent when there was none to choose.
    #[serde(default)]
    suggestion_id: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    moves_opinion_days: String,
}

pub async fn request_fee(
    State(state): State<AppState>,
    page: PageContext,
    session: Session,
    Coordinator(me): Coordinator,
    ClientIp(ip): ClientIp,
    Path(id): Path<CaseId>,
    Form(form): Form<FeeForm>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::default();
    let suggestion = match form.suggestion_id.as_str() {
        "" | "none" => None,
        raw => Some(SuggestionId(raw.parse().map_err(|_| AppError::BadRequest("unknown suggestion".into()))?)),
    };
    // Priced from a suggestion, the fee is for what the specialist suggested.
    let suggested_kind = match suggestion {
        Some(s) => sqlx::query_scalar!(
            r#"select kind as "kind: FeeKind" from fee_suggestions where id = $1 and case_id = $2"#,
            s as SuggestionId,
            id as CaseId
        )
        .fetch_optional(&state.db)
        .await?
        .ok_or(AppError::NotFound)
        .map(Some)?,
        None => None,
    };
    let kind = errors
        .check("kind", suggested_kind.or_else(|| FeeKind::parse(&form.kind)).ok_or("Choose imaging or pathology."));
    let amount = errors.check(
        "amount",
        Cents::parse_dollars(&form.amount)
            .filter(|c| crate::domain::ADDITIONAL_FEE_RANGE.contains(&c.0))
            .ok_or("Enter an amount between $1 and $10,000, like 250 or 250.00."),
    );
    let reason: Option<FeeReason> =
        errors.required_text("reason", &form.reason, "The reason", "Give the family a reason, in plain words.");
    let moves = errors.check(
        "moves_opinion_days",
        match form.moves_opinion_days.trim() {
            "" => Ok(0),
            raw => raw
                .parse::<i16>()
                .ok()
                .filter(|d| MOVES_RANGE.contains(d))
                .ok_or("Enter a whole number of business days from 0 to 20."),
        },
    );
    let (Some(kind), Some(amount), Some(reason), Some(moves)) = (kind, amount, reason, moves) else {
        let fields = vec![
            ("suggestion_id", form.suggestion_id),
            ("kind", form.kind),
            ("amount", form.amount),
            ("reason", form.reason),
            ("moves_opinion_days", form.moves_opinion_days),
        ];
        return workspace::render(&state, page, &me, ip, id, "", Typed::new(FormName::Fee, fields, errors)).await;
    };
    let now = state.clock.now();
    let mut tx = state.db.begin().await?;
    let open = sqlx::query_scalar!(
        r#"select 1 as "one!" from cases where id = $1 and status in ('collecting_records', 'ready_for_review', 'in_review', 'opinion_delivered') for update"#,
        id as CaseId
    )
    .fetch_optional(&mut *tx)
    .await?;
    if open.is_none() {
        return flash_redirect(
            &session,
            &back(id),
            FlashKind::Error,
            "Additional fees can be requested only while the case is being worked.",
        )
        .await;
    }
    let fee = sqlx::query_scalar!(
        r#"insert into fee_requests (case_id, kind, amount_cents, reason, requested_by, created_at, moves_opinion_days)
           values ($1, $2, $3, $4, $5, $6, $7) returning id as "id: FeeRequestId""#,
        id as CaseId,
        kind as FeeKind,
        amount as Cents,
        reason.as_str(),
        me.id as UserId,
        now.to_sqlx() as _,
        moves
    )
    .fetch_one(&mut *tx)
    .await?;
    if let Some(s) = suggestion
        && !suggestions::priced(&mut tx, id, s, fee).await?
    {
        return flash_redirect(
            &session,
            &back(id),
            FlashKind::Error,
            "That suggestion was already priced or set aside by someone else. Nothing was saved.",
        )
        .await;
    }
    tell_family(&state, &mut tx, id, Update::FeeRequested(fee)).await?;
    let entry =
        Entry::new("fee_requested", Outcome::Success).by(me.id, me.role).on("fee_request", fee).case(id).from_ip(ip);
    audit::record(&mut *tx, entry).await?;
    tx.commit().await?;
    flash_redirect(&session, &back(id), FlashKind::Success, "The family was asked about the additional fee.").await
}

#[derive(Deserialize)]
pub struct DismissForm {
    #[serde(default)]
    dismiss_reason: String,
}

/// Sets a suggestion aside without asking the family; the specialist reads why.
pub async fn dismiss(
    State(state): State<AppState>,
    page: PageContext,
    session: Session,
    Coordinator(me): Coordinator,
    ClientIp(ip): ClientIp,
    Path((id, suggestion)): Path<(CaseId, SuggestionId)>,
    Form(form): Form<DismissForm>,
) -> Result<Response, AppError> {
    let reason = match SuggestionReason::parse_required(&form.dismiss_reason) {
        Ok(reason) => reason,
        Err(e) => {
            let mut errors = FormErrors::default();
            errors.add(
                "dismiss_reason",
                e.message("The reason", "Say why the family is not asked: the specialist reads it."),
            );
            let typed =
                Typed::new(FormName::Dismiss(suggestion), vec![("dismiss_reason", form.dismiss_reason)], errors);
            return workspace::render(&state, page, &me, ip, id, "", typed).await;
        }
    };
    let mut tx = state.db.begin().await?;
    if !suggestions::dismiss(&mut tx, id, suggestion, &reason, me.id, state.clock.now()).await? {
        return flash_redirect(
            &session,
            &back(id),
            FlashKind::Info,
            "That suggestion was already priced or set aside.",
        )
        .await;
    }
    let entry = Entry::new("fee_suggestion_dismissed", Outcome::Success)
        .by(me.id, me.role)
        .on("fee_suggestion", suggestion)
        .case(id)
        .from_ip(ip);
    audit::record(&mut *tx, entry).await?;
    tx.commit().await?;
    flash_redirect(&session, &back(id), FlashKind::Success, "Set aside. The specialist sees your reason.").await
}

#[derive(Deserialize)]
pub struct WaiveForm {
    confirmed: Option<String>,
}

/// Waives a fee still asked for, once confirmed; an open attempt to pay it is closed.
pub async fn waive(
    State(state): State<AppState>,
    page: PageContext,
    session: Session,
    Coordinator(me): Coordinator,
    ClientIp(ip): ClientIp,
    Path((id, fee)): Path<(CaseId, FeeRequestId)>,
    Form(form): Form<WaiveForm>,
) -> Result<Response, AppError> {
    if !confirm::confirmed(&form.confirmed) {
        let row = sqlx::query!(
            r#"select f.kind as "kind: FeeKind", f.amount_cents as "amount: Cents", f.status as "status: FeeStatus", c.case_number
               from fee_requests f join cases c on c.id = f.case_id where f.id = $1 and f.case_id = $2"#,
            fee as FeeRequestId,
            id as CaseId
        )
        .fetch_optional(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
        if row.status != FeeStatus::Requested {
            return flash_redirect(
                &session,
                &back(id),
                FlashKind::Info,
                "That fee was already paid, declined or waived.",
            )
            .await;
        }
        return Confirm {
            page,
            title: format!(
                "Waive the {} fee of {} on case {}?",
                row.kind.label().to_lowercase(),
                row.amount,
                row.case_number
            ),
            consequences: vec![
                "The family is no longer asked to pay it; a payment they had started is stopped.".into(),
                "The re-review can go ahead without payment, and the specialist sees that it was waived.".into(),
            ],
            warnings: vec![],
            action: format!("/coordinator/cases/{id}/fees/{fee}/waive"),
            fields: vec![],
            reason: None,
            button: "Yes, waive the fee".into(),
            danger: false,
            back: back(id),
        }
        .render();
    }
    let mut tx = state.db.begin().await?;
    // Another case's fee in this case's URL is not found (and audited), like any other.
    sqlx::query_scalar!(
        "select id from fee_requests where id = $2 and case_id = $1",
        id as CaseId,
        fee as FeeRequestId
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let Some(intents) =
        crate::payments::close_fee(&mut tx, id, fee, FeeStatus::Waived, me.id, state.clock.now()).await?
    else {
        return flash_redirect(&session, &back(id), FlashKind::Info, "That fee was already paid, declined or waived.")
            .await;
    };
    tell_family(&state, &mut tx, id, Update::FeeWaived(fee)).await?;
    let entry =
        Entry::new("fee_waived", Outcome::Success).by(me.id, me.role).on("fee_request", fee).case(id).from_ip(ip);
    audit::record(&mut *tx, entry).await?;
    tx.commit().await?;
    state.payments.cancel_intents(&intents).await;
    flash_redirect(&session, &back(id), FlashKind::Success, "The fee was waived.").await
}
