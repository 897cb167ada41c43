//! What the server asks of payments, whoever the provider is: make an order's payment,
//! issue an OXXO voucher, learn a payment's news (a webhook, the payer coming back,
//! the reconciliation job), refund. Each call reads the provider's *current* state
//! and hands it to the store's one settle step, so late, repeated or out-of-order
//! news never moves an order twice or backwards.

use crate::provider::{NewIntent, OxxoPayer, Provider, ProviderError};
use chrono::NaiveDateTime;
use domain::Money;
use domain::clock::SiteTime;
use domain::commerce::payment::{Decision, PaymentMethod, ProviderState};
use sea_orm::DatabaseConnection;
use store::StoreError;
use store::commerce::payments::{self as records, Letters, PaymentRow, ProviderEvent, Settled};
use store::commerce::refunds::{self, Opened, Outcome, RefundAsk, RefundError};
use store::outbox::Letter;

#[derive(Debug, thiserror::Error)]
pub enum PaymentError {
    #[error(transparent)]
    Provider(#[from] ProviderError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Refund(#[from] RefundError),
    #[error("no such payment")]
    NoSuchPayment,
    #[error("the order no longer waits for a payment")]
    NotAwaiting,
    /// A booking starts too soon for a cash voucher to be paid and known in time.
    #[error("OXXO is not offered for this order")]
    OxxoNotOffered,
}

#[derive(Clone)]
pub struct Payments {
    provider: Provider,
    db: DatabaseConnection,
    /// Days an OXXO voucher is valid (1 to 3).
    oxxo_days: u32,
}

/// What a reconciliation round did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Reconciled {
    pub checked: u32,
    pub paid: u32,
    pub expired: u32,
    pub failed: u32,
    /// Places freed on these slots (for their waiting lists).
    pub freed: Vec<i32>,
}

impl Payments {
    /// The database the payments are kept in.
    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    pub fn new(provider: Provider, db: DatabaseConnection, oxxo_days: u32) -> Self {
        Payments {
            provider,
            db,
            oxxo_days: oxxo_days.clamp(1, 3),
        }
    }

    pub fn provider(&self) -> &Provider {
        &self.provider
    }

    /// Days an OXXO voucher runs, as configured.
    pub fn oxxo_days(&self) -> u32 {
        self.oxxo_days
    }

    async fn row(&self, payment_id: i32) -> Result<PaymentRow, PaymentError> {
        records::by_id(&self.db, payment_id)
            .await?
            .ok_or(PaymentError::NoSuchPayment)
    }

    /// Makes order payment `payment_id` at the provider if it is not made yet; safe to
    /// repeat (after a crash between asking and recording, the same idempotency key
    /// gives back the same PaymentIntent).
    pub async fn start(&self, payment_id: i32, now: SiteTime) -> Result<PaymentRow, PaymentError> {
        let row = self.row(payment_id).await?;
        if row.provider_ref.is_some() {
            return Ok(row);
        }
        let order = store::commerce::orders::by_id(&self.db, row.order_id)
            .await?
            .ok_or(PaymentError::NoSuchPayment)?;
        let code = order.view.code.to_string();
        let description = format!("Tianguis {code}");
        let asked = Money::mxn(row.amount_centavos);
        let intent = self
            .provider
            .create(&NewIntent {
                amount: asked,
                idempotency_key: &row.idempotency_key,
                order_code: &code,
                description: &description,
                receipt_email: &order.view.email,
            })
            .await?;
        records::created(
            &self.db,
            payment_id,
            asked,
            &intent.provider_ref,
            intent.client_secret.as_deref(),
            now,
        )
        .await?;
        self.row(payment_id).await
    }

    /// Days an OXXO voucher for order `order_id` may run: the configured days, fewer
    /// when a booking starts soon; zero when a voucher could not be paid and known
    /// (a day's grace) before the first booking starts.
    pub async fn oxxo_days_for(&self, order_id: i32, now: SiteTime) -> Result<u32, PaymentError> {
        let now = now.naive();
        let first = store::commerce::orders::earliest_start(&self.db, order_id).await?;
        Ok(domain::commerce::payment::voucher_days(
            self.oxxo_days,
            first,
            now,
        ))
    }

    /// The payer chose OXXO: the provider issues a voucher, and the order keeps its
    /// goods until it expires.
    pub async fn pay_with_oxxo(
        &self,
        payment_id: i32,
        letters: Letters<'_>,
        now: SiteTime,
    ) -> Result<Settled, PaymentError> {
        let now = now.naive();
        let row = self.start(payment_id, SiteTime::from_naive(now)).await?;
        if !records::order_awaits(&self.db, row.order_id).await? {
            return Err(PaymentError::NotAwaiting);
        }
        let days = self
            .oxxo_days_for(row.order_id, SiteTime::from_naive(now))
            .await?;
        if days == 0 {
            return Err(PaymentError::OxxoNotOffered);
        }
        let order = store::commerce::orders::by_id(&self.db, row.order_id)
            .await?
            .ok_or(PaymentError::NoSuchPayment)?;
        records::record_method(
            &self.db,
            payment_id,
            PaymentMethod::Oxxo,
            SiteTime::from_naive(now),
        )
        .await?;
        let provider_ref = row.provider_ref.as_deref().unwrap_or_default();
        let state = self
            .provider
            .pay_with_oxxo(
                provider_ref,
                &OxxoPayer {
                    name: &order.view.name,
                    email: &order.view.email,
                    days,
                },
                &format!("{}-oxxo", row.idempotency_key),
            )
            .await?;
        self.settle(&row, &state, None, letters, now).await
    }

    /// What the provider says about payment `payment_id` (`event`: a provider's event, recorded once):
    /// its current state is read from the provider and settled.
    pub async fn observe(
        &self,
        payment_id: i32,
        event: Option<ProviderEvent<'_>>,
        letters: Letters<'_>,
        now: SiteTime,
    ) -> Result<Settled, PaymentError> {
        let now = now.naive();
        let row = self.start(payment_id, SiteTime::from_naive(now)).await?;
        let provider_ref = row.provider_ref.clone().unwrap_or_default();
        let state = self.provider.retrieve(&provider_ref).await?;
        self.settle(&row, &state, event, letters, now).await
    }

    /// The simulated provider's test page: the payer's choice, then the same settle
    /// step as a webhook (recorded as a simulated event).
    pub async fn simulate(
        &self,
        payment_id: i32,
        choice: crate::simulated::Choice,
        letters: Letters<'_>,
        now: SiteTime,
    ) -> Result<Settled, PaymentError> {
        let now = now.naive();
        let Provider::Simulated(sim) = &self.provider else {
            return Err(PaymentError::NoSuchPayment);
        };
        let row = self.start(payment_id, SiteTime::from_naive(now)).await?;
        let provider_ref = row.provider_ref.clone().unwrap_or_default();
        let state = sim.simulate(&provider_ref, choice).await?;
        let event_id = format!(
            "sim_evt_{}_{}_{}",
            provider_ref,
            choice.code(),
            state.code()
        );
        let event = ProviderEvent {
            provider: self.provider.name(),
            event_id: &event_id,
            kind: choice.code(),
        };
        self.settle(&row, &state, Some(event), letters, now).await
    }

    /// Settles `state` by the store's one rule, then does what the decision leaves to
    /// whoever can talk to the provider: a payment past its deadline is cancelled there
    /// first (then settled again), and money that came for nothing sold goes back.
    async fn settle(
        &self,
        row: &PaymentRow,
        state: &ProviderState,
        event: Option<ProviderEvent<'_>>,
        letters: Letters<'_>,
        now: NaiveDateTime,
    ) -> Result<Settled, PaymentError> {
        let at = SiteTime::from_naive(now);
        let settled = records::settle(&self.db, row.id, state, event, letters, at).await?;
        let Settled::Done { decision, .. } = &settled else {
            return Ok(settled);
        };
        if *decision != Decision::CancelThenExpire {
            self.give_back(row, state, decision, now).await?;
            return Ok(settled);
        }
        let provider_ref = row.provider_ref.clone().unwrap_or_default();
        let state = self.cancel_at_provider(row, &provider_ref).await?;
        let again = records::settle(&self.db, row.id, &state, None, letters, at).await?;
        match &again {
            Settled::Done {
                decision: Decision::CancelThenExpire,
                ..
            } => {
                // Still not cancelled: leave it for the next round.
                tracing::warn!(payment = row.id, "payment could not be cancelled yet");
            }
            // It succeeded first: what the decision gives back goes back.
            Settled::Done { decision, .. } => self.give_back(row, &state, decision, now).await?,
            _ => {}
        }
        Ok(again)
    }

    /// Money that came for what is not sold goes back in full, through the provider
    /// (owed, for OXXO): all of a late payment or of one that was not the total, or
    /// what came for bookings withdrawn after a voucher was printed. A refund already
    /// opened for it (news comes more than once) is not asked again.
    async fn give_back(
        &self,
        row: &PaymentRow,
        state: &ProviderState,
        decision: &Decision,
        now: NaiveDateTime,
    ) -> Result<(), PaymentError> {
        let received = match state {
            ProviderState::Succeeded {
                received_centavos, ..
            } => Money::mxn(*received_centavos),
            _ => Money::mxn(row.amount_centavos),
        };
        let (amount, reason, for_withdrawn) = match decision {
            Decision::MarkPaidRefundingWithdrawn(extra) => (
                *extra,
                "paid for bookings cancelled before the payment",
                true,
            ),
            Decision::RefundWrongAmount => {
                (received, "the payment was not the order's total", false)
            }
            Decision::RefundLatePayment => (received, "paid after the order had expired", false),
            _ => return Ok(()),
        };
        let ask = RefundAsk {
            order_id: row.order_id,
            part_id: None,
            booking_id: None,
            amount,
            reason: reason.to_owned(),
            asked_by: None,
            for_withdrawn,
        };
        match self.refund(&ask, None, SiteTime::from_naive(now)).await {
            Ok(_) | Err(PaymentError::Refund(RefundError::TooMuch { .. })) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Cancels payment `row` at the provider so that no money can arrive for it: the
    /// state it is then in (read again when the provider refused: it succeeded first).
    async fn cancel_at_provider(
        &self,
        row: &PaymentRow,
        provider_ref: &str,
    ) -> Result<ProviderState, PaymentError> {
        match self
            .provider
            .cancel(provider_ref, &format!("{}-cancel", row.idempotency_key))
            .await
        {
            Ok(ProviderState::Succeeded { .. }) | Err(ProviderError::Refused { .. }) => {
                Ok(self.provider.retrieve(provider_ref).await?)
            }
            Ok(state) => Ok(state),
            Err(e) => Err(e.into()),
        }
    }

    /// Bookings left order `withdrawn.order_id` before it was paid
    /// (`store::commerce::orders::cancel_booking`, `call_off_slot`). An order left
    /// with nothing has its payment cancelled at the provider, and money that arrived
    /// for it first goes back in full; otherwise the provider is asked for the lower
    /// total, unless it can no longer change it (a printed OXXO voucher keeps its sum:
    /// when it is paid, what came for the cancelled bookings goes back by itself).
    pub async fn follow_withdrawal(
        &self,
        withdrawn: &store::commerce::orders::Withdrawn,
        letters: Letters<'_>,
        now: SiteTime,
    ) -> Result<(), PaymentError> {
        let Some(mut row) = records::of_order(&self.db, withdrawn.order_id).await? else {
            return Ok(());
        };
        if withdrawn.emptied {
            let Some(provider_ref) = row.provider_ref.clone() else {
                return Ok(());
            };
            let state = self.cancel_at_provider(&row, &provider_ref).await?;
            self.settle(&row, &state, None, letters, now.naive())
                .await?;
            return Ok(());
        }
        let Some(total) = records::awaited_total(&self.db, row.order_id).await? else {
            return Ok(());
        };
        if total >= row.amount_centavos || row.voucher_number.is_some() {
            return Ok(());
        }
        if row.provider_ref.is_none() {
            if records::ask_instead(&self.db, row.id, total, false, now).await? {
                return Ok(());
            }
            // Made at the provider meanwhile: it is asked there.
            row = self.row(row.id).await?;
        }
        let Some(provider_ref) = row.provider_ref.as_deref() else {
            return Ok(());
        };
        let key = format!("{}-amount-{total}", row.idempotency_key);
        match self
            .provider
            .set_amount(provider_ref, Money::mxn(total), &key)
            .await
        {
            Ok(()) => {
                records::ask_instead(&self.db, row.id, total, true, now).await?;
                Ok(())
            }
            // A voucher was printed, or the money came meanwhile: what was asked
            // stays, and the settle step gives back what is not sold.
            Err(ProviderError::Refused { code, message }) => {
                tracing::info!(payment = row.id, %code, %message, "the provider keeps the amount it asked");
                Ok(())
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Cancels order payment `payment_id` at the provider, for a buyer who gives up
    /// the order: `true` when no money can arrive for it any more, `false` when it was
    /// paid meanwhile (then settled as paid).
    pub async fn cancel(&self, payment_id: i32, now: SiteTime) -> Result<bool, PaymentError> {
        let row = self.start(payment_id, now).await?;
        let provider_ref = row.provider_ref.clone().unwrap_or_default();
        let state = self.cancel_at_provider(&row, &provider_ref).await?;
        let paid = matches!(state, ProviderState::Succeeded { .. });
        if paid {
            self.settle(&row, &state, None, &|_, _| Vec::new(), now.naive())
                .await?;
        }
        Ok(!paid)
    }

    /// Opens a refund and asks the provider for it (an OXXO refund is owed instead, to
    /// be paid by bank transfer); `letter` goes to the buyer once it is done or owed.
    pub async fn refund(
        &self,
        ask: &RefundAsk,
        letter: Option<Letter>,
        now: SiteTime,
    ) -> Result<Opened, PaymentError> {
        let now = now.naive();
        let opened = refunds::open(&self.db, ask, SiteTime::from_naive(now)).await?;
        if opened.owed_manually {
            if let Some(l) = letter {
                store::outbox::queue(&self.db, &l, SiteTime::from_naive(now).in_utc()).await?;
            }
            return Ok(opened);
        }
        self.ask_provider(&opened, ask.asked_by, letter, now)
            .await?;
        Ok(opened)
    }

    async fn ask_provider(
        &self,
        opened: &Opened,
        actor: Option<i32>,
        letter: Option<Letter>,
        now: NaiveDateTime,
    ) -> Result<(), PaymentError> {
        let provider_ref = opened.provider_ref.clone().unwrap_or_default();
        let outcome = match self
            .provider
            .refund(&provider_ref, opened.amount, &opened.idempotency_key)
            .await
        {
            Ok(done) if done.accepted => Outcome::Succeeded {
                provider_ref: done.provider_ref,
            },
            Ok(done) => Outcome::Failed {
                why: format!("refused: {}", done.provider_ref),
            },
            Err(ProviderError::Refused { code, message }) => Outcome::Failed {
                why: format!("{code}: {message}"),
            },
            // Unreachable: the refund stays pending and the next round asks again
            // under the same key.
            Err(e) => return Err(e.into()),
        };
        refunds::close(
            &self.db,
            opened.id,
            &outcome,
            actor,
            letter,
            SiteTime::from_naive(now),
        )
        .await?;
        Ok(())
    }

    /// Asks the provider about every order awaiting payment past its deadline (with
    /// `everything`, about every order awaiting payment: after a restart, news may
    /// have been missed), and about refunds left pending by a crash.
    pub async fn reconcile(
        &self,
        everything: bool,
        letters: Letters<'_>,
        now: SiteTime,
    ) -> Result<Reconciled, StoreError> {
        let now = now.naive();
        let mut done = Reconciled::default();
        let due = store::commerce::orders::awaiting(&self.db, (!everything).then_some(now)).await?;
        for order_id in due {
            let Some(pay) = records::of_order(&self.db, order_id).await? else {
                continue;
            };
            done.checked += 1;
            match self
                .observe(pay.id, None, letters, SiteTime::from_naive(now))
                .await
            {
                Ok(Settled::Done {
                    decision, freed, ..
                }) => {
                    if decision.pays() {
                        done.paid += 1;
                    } else if !records::order_awaits(&self.db, order_id).await? {
                        done.expired += 1;
                    }
                    done.freed.extend(freed);
                }
                Ok(_) => {}
                Err(e) => {
                    done.failed += 1;
                    tracing::warn!(order = order_id, error = %e, "reconciliation could not settle an order");
                }
            }
        }
        for pending in refunds::pending(&self.db).await? {
            let Some(pay) = records::by_id(&self.db, pending.payment_id).await? else {
                continue;
            };
            let opened = Opened {
                id: pending.id,
                amount: Money::mxn(pending.amount_centavos),
                idempotency_key: pending.idempotency_key,
                provider: pay.provider,
                provider_ref: pay.provider_ref,
                owed_manually: false,
            };
            if let Err(e) = self.ask_provider(&opened, None, None, now).await {
                done.failed += 1;
                tracing::warn!(refund = pending.id, error = %e, "pending refund not settled");
            }
        }
        Ok(done)
    }
}
