//! Forms that work the same with JavaScript on or off: a plain `<form method="post">`
//! to the page's own address. The server checks it; when something is wrong it draws
//! the same page again with a [`FormEcho`] in the request — what the person typed
//! (never a password) and, next to each field, what is wrong in their language.

use crate::lang::use_lang;
use crate::{tr, tr_n};
use domain::booking::PartyError;
use domain::booking::calendar::SlotState;
use domain::booking::form::BookingFieldError;
use domain::catalog::listing_form::ListingFieldError;
use domain::catalog::photo::PhotoProblem;
use domain::commerce::checkout_form::CheckoutFieldError;
use domain::commerce::shipping::ShippingFieldError;
use domain::field::FieldProblem;
use domain::money::finance_forms::FinanceFieldError;
use domain::money::finances::FilterProblem;
use domain::people::hourly_limits::TooMany;
use domain::people::members::MemberFieldError;
use domain::{EmailError, Lang, Money, PasswordError, PersonNameError};
use leptos::prelude::*;

/// The key of problems that belong to the whole form rather than one field.
pub const WHOLE_FORM: &str = "";

/// A refused form, sent back to its page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormEcho {
    values: Vec<(String, String)>,
    errors: Vec<(String, FieldError)>,
}

impl FormEcho {
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps what was typed into `field`, to fill it in again.
    pub fn value(mut self, field: &str, typed: &str) -> Self {
        self.values.push((field.to_owned(), typed.to_owned()));
        self
    }

    /// Says what is wrong with `field` (or, with [`WHOLE_FORM`], with the form).
    pub fn error(mut self, field: &str, error: FieldError) -> Self {
        self.errors.push((field.to_owned(), error));
        self
    }

    pub fn typed(&self, field: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, v)| v.as_str())
    }

    pub fn error_of(&self, field: &str) -> Option<&FieldError> {
        self.errors.iter().find(|(f, _)| f == field).map(|(_, e)| e)
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }
}

/// Everything a form field can be refused for, each said in the reader's language by
/// [`FieldError::message`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldError {
    Email(EmailError),
    EmailTaken,
    Name(PersonNameError),
    Password(PasswordError),
    WrongCredentials,
    Throttled {
        minutes: i64,
    },
    /// Too many holds, RSVPs or orders in the hour, or emails to the address.
    HourlyLimit(domain::people::hourly_limits::TooMany),
    BadLink,
    Listing(ListingFieldError),
    Photo(PhotoProblem),
    PhotoTooLarge,
    PhotoMissing,
    PhotoLimit,
    PhotoDuplicate,
    /// A rejection needs its reason, for the producer to read.
    ReasonRequired,
    Member(MemberFieldError),
    /// A cooperative always keeps one admin.
    LastAdmin,
    /// An invitation link opened by another account than the one it was sent to.
    WrongInvitee {
        invited: String,
    },
    /// An invitation that was accepted, withdrawn or has expired.
    InvitationClosed,
    Booking(BookingFieldError),
    /// The slot takes no bookings now (and why).
    SlotNotBookable(SlotState),
    /// A hold whose time ran out before it was confirmed.
    HoldRanOut,
    /// A code typed at the meeting point that is not booked on this slot.
    NotOnThisSlot,
    /// A booking that cannot be moved so from its state (cancel a cancelled one…).
    BookingNotNow,
    /// Calling a slot off needs its box ticked.
    CancelNotConfirmed,
    /// A held booking that is being paid in an order: the order's page pays it.
    BookingInOrder,
    /// A craft that is not (or no longer) for sale.
    NoLongerForSale,
    /// Fewer of a craft left than the cart asks for.
    NotEnoughStock {
        left: u32,
    },
    CartTooMany {
        max: u32,
    },
    NotAQuantity {
        max: u32,
    },
    CartEmpty,
    /// At checkout, a craft sold out meanwhile.
    StockRanOut {
        title: String,
        left: u32,
    },
    GoneFromSale {
        title: String,
    },
    NoDelivery,
    Checkout(CheckoutFieldError),
    /// The order no longer waits for its payment (paid, expired, cancelled).
    OrderNotAwaiting,
    /// A booking starts too soon for a cash voucher.
    OxxoNotOffered,
    ProviderUnavailable,
    TrackingRequired,
    /// A part that cannot be moved so from its state.
    PartNotNow,
    RefundAmount,
    RefundTooMuch {
        left: Money,
    },
    OrderNotPaid,
    ReferenceRequired,
    Shipping(ShippingFieldError),
    Finance(FinanceFieldError),
}

impl FieldError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            FieldError::Email(EmailError::Empty) => tr!(lang, err_email_empty),
            FieldError::Email(EmailError::TooLong { max }) => {
                tr!(lang, err_email_too_long, max = *max)
            }
            FieldError::Email(EmailError::Malformed) => tr!(lang, err_email_malformed),
            FieldError::EmailTaken => tr!(lang, err_email_taken),
            FieldError::Name(PersonNameError::Empty) => tr!(lang, err_name_empty),
            FieldError::Name(PersonNameError::TooLong { max }) => {
                tr!(lang, err_name_too_long, max = *max)
            }
            FieldError::Password(PasswordError::TooShort { min }) => {
                tr!(lang, err_password_too_short, min = *min)
            }
            FieldError::Password(PasswordError::TooLong { max }) => {
                tr!(lang, err_password_too_long, max = *max)
            }
            FieldError::WrongCredentials => tr!(lang, err_wrong_credentials),
            FieldError::Throttled { minutes } => tr!(lang, err_throttled, minutes = *minutes),
            FieldError::HourlyLimit(too_many) => match too_many {
                TooMany::FromEmail => tr!(lang, err_too_many_from_email),
                TooMany::FromAddress => tr!(lang, err_too_many_from_address),
                TooMany::EmailsTo => tr!(lang, err_too_many_emails_to),
            },
            FieldError::BadLink => tr!(lang, err_bad_link),
            FieldError::ReasonRequired => tr!(lang, err_reason_required),
            FieldError::LastAdmin => tr!(lang, err_last_admin),
            FieldError::WrongInvitee { invited } => {
                tr!(lang, err_wrong_invitee, email = invited.clone())
            }
            FieldError::InvitationClosed => tr!(lang, err_invitation_closed),
            FieldError::Booking(e) => match e {
                BookingFieldError::Email(e) => FieldError::Email(*e).message(lang),
                BookingFieldError::Name(e) => FieldError::Name(*e).message(lang),
                BookingFieldError::NotACount => {
                    tr!(
                        lang,
                        err_not_a_count,
                        max = domain::booking::form::MAX_PER_TICKET
                    )
                }
                BookingFieldError::Party(PartyError::Empty) => tr!(lang, err_party_empty),
                BookingFieldError::Party(PartyError::TooFew { min }) => {
                    tr!(lang, err_party_too_few, min = *min)
                }
                BookingFieldError::Party(PartyError::TooMany { max }) => {
                    tr!(lang, err_party_too_many, max = *max)
                }
                BookingFieldError::Party(PartyError::NotEnoughLeft { left }) => {
                    tr_n!(
                        lang,
                        *left,
                        err_not_enough_left_one | err_not_enough_left,
                        left = *left
                    )
                }
                BookingFieldError::Code(_) => tr!(lang, err_booking_code),
                BookingFieldError::TicketLeft { left } => {
                    tr_n!(
                        lang,
                        *left,
                        err_ticket_left_one | err_ticket_left,
                        left = *left
                    )
                }
            },
            FieldError::SlotNotBookable(state) => match state {
                SlotState::Full => tr!(lang, err_not_enough_left, left = 0),
                SlotState::TooLate => tr!(lang, err_slot_too_late),
                SlotState::Closed => tr!(lang, err_slot_closed),
                SlotState::Cancelled => tr!(lang, err_slot_cancelled),
                SlotState::Open => tr!(lang, err_not_now),
            },
            FieldError::HoldRanOut => tr!(lang, err_hold_ran_out),
            FieldError::NotOnThisSlot => tr!(lang, err_not_on_this_slot),
            FieldError::BookingNotNow => tr!(lang, err_booking_not_now),
            FieldError::CancelNotConfirmed => tr!(lang, err_cancel_not_confirmed),
            FieldError::BookingInOrder => tr!(lang, err_booking_in_order),
            FieldError::NoLongerForSale => tr!(lang, err_no_longer_for_sale),
            FieldError::NotEnoughStock { left } => {
                tr_n!(
                    lang,
                    *left,
                    err_not_enough_stock_one | err_not_enough_stock,
                    left = *left
                )
            }
            FieldError::CartTooMany { max } => tr!(lang, err_cart_too_many, max = *max),
            FieldError::NotAQuantity { max } => tr!(lang, err_not_a_quantity, max = *max),
            FieldError::CartEmpty => tr!(lang, err_cart_empty),
            FieldError::StockRanOut { title, left } => {
                tr_n!(
                    lang,
                    *left,
                    err_stock_ran_out_one | err_stock_ran_out,
                    title = title.clone(),
                    left = *left
                )
            }
            FieldError::GoneFromSale { title } => {
                tr!(lang, err_gone_from_sale, title = title.clone())
            }
            FieldError::NoDelivery => tr!(lang, err_no_delivery),
            FieldError::Checkout(e) => match e {
                CheckoutFieldError::Email(e) => FieldError::Email(*e).message(lang),
                CheckoutFieldError::Name(e) => FieldError::Name(*e).message(lang),
                CheckoutFieldError::Phone => tr!(lang, err_checkout_phone),
                CheckoutFieldError::Field(p) => problem_message(*p, lang),
                CheckoutFieldError::PostalCode => tr!(lang, err_postal_code),
                CheckoutFieldError::Delivery => tr!(lang, err_no_delivery),
            },
            FieldError::OrderNotAwaiting => tr!(lang, err_order_not_awaiting),
            FieldError::OxxoNotOffered => tr!(lang, err_oxxo_not_offered),
            FieldError::ProviderUnavailable => tr!(lang, err_provider_unavailable),
            FieldError::TrackingRequired => tr!(lang, err_tracking_required),
            FieldError::PartNotNow => tr!(lang, err_part_not_now),
            FieldError::RefundAmount => tr!(lang, err_refund_amount),
            FieldError::RefundTooMuch { left } => {
                tr!(lang, err_refund_too_much, left = left.to_string())
            }
            FieldError::OrderNotPaid => tr!(lang, err_order_not_paid),
            FieldError::ReferenceRequired => tr!(lang, err_reference_required),
            FieldError::Shipping(ShippingFieldError::Field(p)) => problem_message(*p, lang),
            FieldError::Shipping(ShippingFieldError::NoWay) => tr!(lang, err_shipping_no_way),
            FieldError::Finance(e) => finance_message(*e, lang),
            FieldError::Member(e) => match e {
                MemberFieldError::Email(e) => FieldError::Email(*e).message(lang),
                MemberFieldError::Text(e) => FieldError::Listing(*e).message(lang),
                MemberFieldError::Field(p) => problem_message(*p, lang),
                MemberFieldError::NoSuchAccount => tr!(lang, err_no_such_account),
                MemberFieldError::AlreadyMember => tr!(lang, err_already_member),
                MemberFieldError::AlreadyHelps => tr!(lang, err_already_helps),
                MemberFieldError::Phone => tr!(lang, err_phone),
                MemberFieldError::NoLetters => tr!(lang, err_no_letters),
                MemberFieldError::LanguageCodes => tr!(lang, err_language_codes),
                MemberFieldError::NameTaken => tr!(lang, err_name_taken),
                MemberFieldError::AlreadyAdmin => tr!(lang, err_already_admin),
                MemberFieldError::AlreadyWaiting => tr!(lang, err_already_waiting),
            },
            FieldError::Photo(p) => match p {
                PhotoProblem::TooLarge { max_mb } => tr!(lang, err_photo_too_large, max = *max_mb),
                PhotoProblem::TooManyPixels { max_megapixels } => {
                    tr!(lang, err_photo_too_many_pixels, max = *max_megapixels)
                }
                PhotoProblem::Unsupported { format } => {
                    tr!(lang, err_photo_unsupported, format = format.clone())
                }
                PhotoProblem::NotAnImage => tr!(lang, err_photo_not_an_image),
                PhotoProblem::Corrupt => tr!(lang, err_photo_corrupt),
            },
            FieldError::PhotoTooLarge => tr!(lang, err_photo_too_large, max = 15),
            FieldError::PhotoMissing => tr!(lang, err_photo_missing),
            FieldError::PhotoLimit => tr!(lang, err_photo_limit, max = 10),
            FieldError::PhotoDuplicate => tr!(lang, err_photo_duplicate),
            FieldError::Listing(e) => match e {
                ListingFieldError::RequiredInOneLanguage => tr!(lang, err_required_one_language),
                ListingFieldError::Field(p) => problem_message(*p, lang),
                ListingFieldError::EndsBeforeItStarts => tr!(lang, err_ends_before_start),
                ListingFieldError::NotACategoryOfThisKind => tr!(lang, err_category),
                ListingFieldError::NotALanguageList => tr!(lang, err_language_list),
            },
        }
    }
}

/// What any form can get wrong (`domain::field`), said in `lang`.
pub fn problem_message(problem: FieldProblem, lang: Lang) -> String {
    match problem {
        FieldProblem::Required => tr!(lang, err_required),
        FieldProblem::TooLong { max } => tr!(lang, err_too_long, max = max),
        FieldProblem::NotAWholeNumber => tr!(lang, err_whole_number),
        FieldProblem::OutOfRange { min, max } => tr!(lang, err_out_of_range, min = min, max = max),
        FieldProblem::NotAnAmount => tr!(lang, err_not_an_amount),
        FieldProblem::AboveCeiling => tr!(
            lang,
            err_above_price_ceiling,
            max = domain::money::PRICE_CEILING.to_string()
        ),
        FieldProblem::NotAPercent => tr!(lang, err_not_a_percent),
        FieldProblem::NotADate => tr!(lang, err_date),
        FieldProblem::NotADateTime => tr!(lang, err_datetime),
        FieldProblem::InTheFuture => tr!(lang, err_in_the_future),
        FieldProblem::NotAChoice => tr!(lang, err_not_a_choice),
    }
}

/// What is wrong with a statement's filter (its dates, kind or member), said in `lang`.
pub fn filter_problem_message(problem: FilterProblem, lang: Lang) -> String {
    match problem {
        FilterProblem::NotADate => problem_message(FieldProblem::NotADate, lang),
        FilterProblem::EndsBeforeStart => tr!(lang, err_date_inverted),
        FilterProblem::UnknownKind => tr!(lang, err_unknown_entry_kind),
        FilterProblem::UnknownMember => tr!(lang, err_unknown_member),
    }
}

/// The finances and fund forms' problems, said in `lang`.
fn finance_message(problem: FinanceFieldError, lang: Lang) -> String {
    use domain::money::finance_forms::percent;
    match problem {
        FinanceFieldError::Field(p) => problem_message(p, lang),
        FinanceFieldError::NotAManualMethod => tr!(lang, err_not_a_manual_method),
        FinanceFieldError::SharesNotWhole { points, want } => tr!(
            lang,
            err_shares_not_whole,
            got = percent(points),
            want = percent(want)
        ),
        FinanceFieldError::AdvanceTooLarge => tr!(lang, err_advance_too_large),
        FinanceFieldError::Days => tr!(lang, err_days),
        FinanceFieldError::NotAMember => tr!(lang, err_not_a_member),
        FinanceFieldError::NothingToPay => tr!(lang, err_nothing_to_pay),
        FinanceFieldError::PayoutUnderWay => tr!(lang, err_payout_under_way),
        FinanceFieldError::MoreThanHeld { held } => {
            tr!(lang, err_more_than_held, held = held.to_string())
        }
        FinanceFieldError::PayoutNotNow => tr!(lang, err_payout_not_now),
        FinanceFieldError::PayoutWentThrough => tr!(lang, err_payout_went_through),
        FinanceFieldError::NoStripe => tr!(lang, err_no_stripe),
        FinanceFieldError::StripeTrouble => tr!(lang, err_stripe_trouble),
        FinanceFieldError::NotConnected => tr!(lang, err_not_connected),
        FinanceFieldError::VoteDays => tr!(lang, err_vote_days),
        FinanceFieldError::NotACommunityMember => tr!(lang, err_not_a_community_member),
        FinanceFieldError::VoteClosed => tr!(lang, err_vote_closed),
        FinanceFieldError::NotApproved => tr!(lang, err_not_approved),
        FinanceFieldError::MoreThanProposed { left } => {
            tr!(lang, err_more_than_proposed, left = left.to_string())
        }
        FinanceFieldError::FundHasOnly { available } => {
            tr!(lang, err_fund_has_only, available = available.to_string())
        }
    }
}

/// Why a post was refused before its fields were even looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The body is not the form the page sends (a stale or hand-made request).
    BadForm,
    /// Posted from another site's page: refused, so no other site can act as a
    /// signed-in visitor here.
    CrossSite,
    /// Signed in, but not allowed to do this.
    NotAllowed,
    /// Somebody else changed the thing meanwhile.
    Conflict,
    /// Not something that can be done to it in its current state.
    NotNow,
    /// The server has too much of this work on hand: try again in a moment (503).
    Busy,
    /// More fields, or longer ones, than any form of the site sends (413).
    TooLarge,
    /// A field holds a character no text may hold (NUL or another control
    /// character; a line break and a tab are fine): 422.
    BadCharacters,
}

impl Refusal {
    pub fn message(self, lang: Lang) -> String {
        match self {
            Refusal::BadForm => tr!(lang, err_bad_form),
            Refusal::CrossSite => tr!(lang, err_cross_site),
            Refusal::NotAllowed => tr!(lang, err_not_allowed),
            Refusal::Conflict => tr!(lang, err_conflict),
            Refusal::NotNow => tr!(lang, err_not_now),
            Refusal::Busy => tr!(lang, err_busy),
            Refusal::TooLarge => tr!(lang, err_form_too_large),
            Refusal::BadCharacters => tr!(lang, err_form_bad_characters),
        }
    }
}

/// The refused form this page is drawn for, if any.
pub fn use_form_echo() -> FormEcho {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<FormEcho>().cloned())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    FormEcho::default()
}

/// What kind of value a field takes, for the browser's keyboard and autofill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    Text,
    Email,
    /// A password the person already has.
    CurrentPassword,
    /// A password the person is choosing.
    NewPassword,
    Number,
    DateTime,
    Date,
    /// Several lines of text.
    LongText,
    /// A photo file (phones offer the camera too).
    Photo,
}

impl Input {
    fn attrs(self) -> (&'static str, &'static str) {
        match self {
            Input::Text => ("text", "off"),
            Input::Email => ("email", "email"),
            Input::CurrentPassword => ("password", "current-password"),
            Input::NewPassword => ("password", "new-password"),
            Input::Number => ("number", "off"),
            Input::DateTime => ("datetime-local", "off"),
            Input::Date => ("date", "off"),
            Input::LongText => ("textarea", "off"),
            Input::Photo => ("file", "off"),
        }
    }
}

/// The address of form `action` of the page at `page` opened with a link's `key`:
/// the key rides in the address too (besides the form's hidden field), so that
/// reloading after a refusal, which visits the address, leads back to the page.
pub fn keyed_action(page: &str, action: &str, key: &str) -> String {
    if key.is_empty() {
        format!("{page}/{action}")
    } else {
        format!("{page}/{action}?k={key}")
    }
}

/// A labelled input that shows what was typed and what is wrong with it. Passwords
/// are never filled back in.
#[component]
pub fn Field(
    name: &'static str,
    label: String,
    #[prop(default = Input::Text)] input: Input,
    #[prop(optional)] hint: Option<String>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    /// What the field holds before anything is typed (an edit form's current value).
    #[prop(optional)]
    value: Option<String>,
    #[prop(default = true)] required: bool,
    /// The language of what is typed, for a field that is one language of a pair.
    #[prop(optional)]
    text_lang: Option<&'static str>,
) -> impl IntoView {
    let lang = use_lang();
    let echo = use_form_echo();
    let (kind, default_autocomplete) = input.attrs();
    let is_password = kind == "password";
    let value = (!is_password)
        .then(|| echo.typed(name).map(str::to_owned).or(value))
        .flatten();
    let error = echo.error_of(name).map(|e| e.message(lang));
    let error_id = format!("{name}-error");
    let hint_id = format!("{name}-hint");
    let described_by = match (error.is_some(), hint.is_some()) {
        (true, true) => Some(format!("{error_id} {hint_id}")),
        (true, false) => Some(error_id.clone()),
        (false, true) => Some(hint_id.clone()),
        (false, false) => None,
    };
    view! {
        <div class="field" class:field-invalid=error.is_some()>
            <label for=name>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            {error.clone().map(|e| view! { <p class="field-error" id=error_id>{e}</p> })}
            {if kind == "textarea" {
                view! {
                    <textarea
                        id=name
                        name=name
                        rows=5
                        lang=text_lang
                        aria-invalid=error.is_some().then_some("true")
                        aria-describedby=described_by
                        required=required
                    >
                        {value}
                    </textarea>
                }
                    .into_any()
            } else {
                view! {
                    <input
                        id=name
                        name=name
                        type=kind
                        value=value
                        accept=(kind == "file").then_some("image/jpeg,image/png,image/webp")
                        lang=text_lang
                        autocomplete=autocomplete.unwrap_or(default_autocomplete)
                        aria-invalid=error.is_some().then_some("true")
                        aria-describedby=described_by
                        required=required
                    />
                }
                    .into_any()
            }}
        </div>
    }
}

/// A problem with the whole form, at its top, read out by screen readers.
#[component]
pub fn FormProblem() -> impl IntoView {
    let lang = use_lang();
    use_form_echo().error_of(WHOLE_FORM).map(|e| {
        view! {
            <p class="form-error" role="alert">
                {e.message(lang)}
            </p>
        }
    })
}

/// A labelled choice among `options` (value, label), showing what was chosen.
#[component]
pub fn Choice(
    name: &'static str,
    label: String,
    options: Vec<(String, String)>,
    #[prop(optional)] value: Option<String>,
) -> impl IntoView {
    let lang = use_lang();
    let echo = use_form_echo();
    let chosen = echo.typed(name).map(str::to_owned).or(value);
    let error = echo.error_of(name).map(|e| e.message(lang));
    let error_id = format!("{name}-error");
    view! {
        <div class="field" class:field-invalid=error.is_some()>
            <label for=name>{label}</label>
            {error.clone().map(|e| view! { <p class="field-error" id=error_id.clone()>{e}</p> })}
            <select
                id=name
                name=name
                aria-invalid=error.is_some().then_some("true")
                aria-describedby=error.is_some().then_some(error_id)
            >
                {options
                    .into_iter()
                    .map(|(v, l)| {
                        let selected = chosen.as_deref() == Some(v.as_str());
                        view! {
                            <option value=v selected=selected>
                                {l}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_says_a_shared_problem_in_the_same_words() {
        let listing = FieldError::Listing(ListingFieldError::Field(FieldProblem::Required));
        let finance = FieldError::Finance(FinanceFieldError::Field(FieldProblem::Required));
        assert_eq!(listing.message(Lang::Es), finance.message(Lang::Es));
        assert_eq!(listing.message(Lang::En), "This is needed.");
    }

    #[test]
    fn the_split_rule_says_what_the_shares_add_up_to() {
        let e = FieldError::Finance(FinanceFieldError::SharesNotWhole {
            points: 9_000,
            want: 9_500,
        });
        assert!(
            e.message(Lang::En)
                .contains("90 %; they must add up to 95 %")
        );
        assert!(e.message(Lang::Es).contains("90 %; deben sumar 95 %"));
    }
}
