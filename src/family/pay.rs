//! Paying: the case fee after "Submit and pay", and additional fees (see,
//! pay or decline). Both card pages are thin handlers over
//! `payments::attempt`, so they behave the same: the amount comes from the
//! server, Stripe's decline message is shown and the next attempt is open at
//! once, 3-D Secure completes in the browser, and a GET changes nothing but
//! recording a payment Stripe says was made.

use crate::cases::updates::{self, Update};
use crate::domain::{CaseId, Cents, FeeKind, FeeRequestId, FeeStatus, Purpose, UserId};
use crate::error::AppError;
use crate::payments::attempt::{self, Card, Outcome};
use crate::payments::{self, Fulfilment};
use crate::state::AppState;
use crate::web::extract::{CurrentUser, Family, Path};
use crate::web::forms::Form;
use crate::web::page::{FlashKind, PageContext, flash_redirect, html};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tower_sessions::Session;

use super::draft::DraftCase;

/// An additional fee as the family sees it.
pub struct FeeView {
    pub kind: FeeKind,
    pub reason: String,
    pub moves_opinion_days: i16,
}

#[derive(Template)]
#[template(path = "family/pay.html")]
pub struct PayPage {
    page: PageContext,
    case_id: CaseId,
    case_number: String,
    /// `None` for the case fee.
    fee: Option<FeeView>,
    amount: Cents,
    action: String,
    back: String,
    /// Stripe.js URL and publishable key; `None` in test mode.
    stripe: Option<(String, String)>,
    error: Option<String>,
    /// 3-D Secure: Stripe.js completes it in the browser with this secret.
    client_secret: Option<String>,
    processing: bool,
}

impl PayPage {
    pub fn pay_action(&self) -> &str {
        &self.action
    }
}

/// What the card page is for.
struct Target {
    case_id: CaseId,
    case_number: String,
    purpose: Purpose,
    fee: Option<FeeView>,
    amount: Cents,
}

impl Target {
    fn case_page(&self) -> String {
        format!("/family/cases/{}", self.case_id)
    }

    fn render(
        self,
        state: &AppState,
        page: PageContext,
        status: StatusCode,
        shown: Shown,
    ) -> Result<Response, AppError> {
        let (action, back) = match self.purpose {
            Purpose::CaseFee => {
                (format!("/family/cases/{}/pay", self.case_id), format!("/family/cases/{}/review", self.case_id))
            }
            Purpose::Fee(fee) => (format!("/family/cases/{}/fees/{fee}/pay", self.case_id), self.case_page()),
        };
        let page = PayPage {
            page,
            case_id: self.case_id,
            case_number: self.case_number,
            fee: self.fee,
            amount: self.amount,
            action,
            back,
            stripe: state.config.stripe.as_ref().map(|s| (s.js_url.clone(), s.publishable_key.clone())),
            error: shown.error,
            client_secret: shown.client_secret,
            processing: shown.processing,
        };
        Ok((status, html(&page)?).into_response())
    }
}

#[derive(Default)]
struct Shown {
    error: Option<String>,
    client_secret: Option<String>,
    processing: bool,
}

#[derive(Deserialize)]
pub struct PayForm {
    /// Stripe.js's tokenised card (`card_…`); never card numbers.
    #[serde(default)]
    card_id: String,
    /// Test gateway only: "approve" or "decline".
    #[serde(default)]
    outcome: String,
    /// Back from 3-D Secure in the browser.
    #[serde(default)]
    authenticated: String,
}

/// Pays `target` and answers with the page the outcome calls for.
async fn pay(
    state: &AppState,
    session: &Session,
    page: PageContext,
    user: &CurrentUser,
    target: Target,
    form: PayForm,
) -> Result<Response, AppError> {
    let card = match Card::parse(&state.payments, &form.card_id, &form.outcome, form.authenticated == "1") {
        Ok(card) => card,
        Err(message) => {
            let shown = Shown { error: Some(message.in_lang(page.lang)), ..Shown::default() };
            return target.render(state, page, StatusCode::UNPROCESSABLE_ENTITY, shown);
        }
    };
    let outcome = attempt::pay(state, target.case_id, target.purpose, card, user.id).await?;
    after(state, session, page, target, outcome).await
}

async fn after(
    state: &AppState,
    session: &Session,
    page: PageContext,
    target: Target,
    outcome: Outcome,
) -> Result<Response, AppError> {
    let lang = page.lang;
    let paid = if target.purpose == Purpose::CaseFee { lang.t("pay-case-fee-paid") } else { lang.t("pay-fee-paid") };
    match outcome {
        Outcome::Paid(Fulfilment::Done(_) | Fulfilment::AlreadyDone(_)) => {
            flash_redirect(session, &target.case_page(), FlashKind::Success, paid).await
        }
        Outcome::Paid(Fulfilment::Refunding(..)) => {
            flash_redirect(session, &target.case_page(), FlashKind::Info, lang.t("pay-refunding")).await
        }
        Outcome::Paid(Fulfilment::Anomaly) => Err(AppError::Conflict(crate::i18n::Msg("pay-unmatched").into())),
        Outcome::Declined(message) => {
            // On the timeline too, and the dashboard says to try another card.
            updates::record(
                &mut *state.db.acquire().await?,
                target.case_id,
                Update::PaymentDeclined,
                state.clock.now(),
            )
            .await?;
            let shown = Shown { error: Some(message), ..Shown::default() };
            target.render(state, page, StatusCode::PAYMENT_REQUIRED, shown)
        }
        Outcome::NeedsAction { client_secret } => {
            let shown = Shown { client_secret: Some(client_secret), ..Shown::default() };
            target.render(state, page, StatusCode::OK, shown)
        }
        Outcome::Processing => {
            target.render(state, page, StatusCode::ACCEPTED, Shown { processing: true, ..Shown::default() })
        }
        Outcome::Unreachable => {
            let shown = Shown { error: Some(lang.t("pay-unreachable")), ..Shown::default() };
            target.render(state, page, StatusCode::SERVICE_UNAVAILABLE, shown)
        }
        Outcome::NotOpen => Ok(Redirect::to(&target.case_page()).into_response()),
    }
}

async fn case_fee(state: &AppState, case: &super::db::CaseRow) -> Result<Target, AppError> {
    let mut conn = state.db.acquire().await?;
    let amount = payments::price::of_case(&mut conn, state.config.case_fee, case.id).await?;
    Ok(Target { case_id: case.id, case_number: case.case_number.clone(), purpose: Purpose::CaseFee, fee: None, amount })
}

/// `GET /family/cases/{id}/pay`: the card form; if the family comes back
/// after paying, what Stripe says is recorded and they go to the case.
pub async fn case_fee_page(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    DraftCase { user, case }: DraftCase,
) -> Result<Response, AppError> {
    let target = case_fee(&state, &case).await?;
    if let Some(done) = payments::settle_if_paid(&state, case.id, Purpose::CaseFee, user.id).await? {
        return after(&state, &session, page, target, Outcome::Paid(done)).await;
    }
    target.render(&state, page, StatusCode::OK, Shown::default())
}

/// `POST /family/cases/{id}/pay`
pub async fn pay_case_fee(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    DraftCase { user, case }: DraftCase,
    Form(form): Form<PayForm>,
) -> Result<Response, AppError> {
    let target = case_fee(&state, &case).await?;
    pay(&state, &session, page, &user, target, form).await
}

/// The family's fee, still asked for, or 404.
async fn open_fee(state: &AppState, family: UserId, case: CaseId, fee: FeeRequestId) -> Result<Target, AppError> {
    let row = sqlx::query!(
        r#"select c.case_number, f.amount_cents as "amount: Cents", f.reason, f.kind as "kind: FeeKind",
                  f.moves_opinion_days
           from fee_requests f join cases c on c.id = f.case_id
           where f.id = $3 and f.case_id = $2 and is_guardian(c.child_id, $1) and f.status = 'requested'"#,
        family as UserId,
        case as CaseId,
        fee as FeeRequestId
    )
    .fetch_optional(&state.db)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(Target {
        case_id: case,
        case_number: row.case_number,
        purpose: Purpose::Fee(fee),
        fee: Some(FeeView { kind: row.kind, reason: row.reason, moves_opinion_days: row.moves_opinion_days }),
        amount: row.amount,
    })
}

/// `GET /family/cases/{id}/fees/{fee}/pay`: the fee, its reason and the card form.
pub async fn fee_page(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Family(user): Family,
    Path((id, fee)): Path<(CaseId, FeeRequestId)>,
) -> Result<Response, AppError> {
    let target = open_fee(&state, user.id, id, fee).await?;
    if let Some(done) = payments::settle_if_paid(&state, id, Purpose::Fee(fee), user.id).await? {
        return after(&state, &session, page, target, Outcome::Paid(done)).await;
    }
    target.render(&state, page, StatusCode::OK, Shown::default())
}

/// `POST /family/cases/{id}/fees/{fee}/pay`
pub async fn pay_fee(
    State(state): State<AppState>,
    session: Session,
    page: PageContext,
    Family(user): Family,
    Path((id, fee)): Path<(CaseId, FeeRequestId)>,
    Form(form): Form<PayForm>,
) -> Result<Response, AppError> {
    let target = open_fee(&state, user.id, id, fee).await?;
    pay(&state, &session, page, &user, target, form).await
}

/// `POST /family/cases/{id}/fees/{fee}/decline`: nothing is charged, and an
/// attempt already open is closed (its intent cancelled at Stripe).
pub async fn decline_fee(
    State(state): State<AppState>,
    session: Session,
    Family(user): Family,
    Path((id, fee)): Path<(CaseId, FeeRequestId)>,
) -> Result<Response, AppError> {
    open_fee(&state, user.id, id, fee).await?;
    let mut tx = state.db.begin().await?;
    let closed = payments::close_fee(&mut tx, id, fee, FeeStatus::Declined, user.id, state.clock.now()).await?;
    if closed.is_some() {
        updates::record(&mut tx, id, Update::FeeDeclined(fee), state.clock.now()).await?;
    }
    tx.commit().await?;
    if let Some(intents) = closed {
        state.payments.cancel_intents(&intents).await;
    }
    flash_redirect(
        &session,
        &format!("/family/cases/{id}"),
        FlashKind::Success,
        "You declined the additional review. Nothing was charged.",
    )
    .await
}
