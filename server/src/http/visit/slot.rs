//! `/slots/{id}`'s forms: hold places on a slot (paid places go to the cart; a free
//! event's RSVP is confirmed at once, or, past a few places, once its emailed link is
//! opened), or join a full slot's waiting list. Each start counts against the hourly
//! limits of its email and client address (`super::hourly_limits`).

use crate::emails;
use crate::emails::bookings::About;
use crate::http::answer::{Answer, Stop};
use crate::http::client::ClientAddress;
use crate::http::forms::{FormPost, echo_of, see_other};
use crate::http::router::AppState;
use crate::http::visit::hourly_limits;
use crate::tasks::bookings::{booking_link, new_booking_code};
use app::forms::{FieldError, WHOLE_FORM};
use axum::extract::{Path, State};
use domain::booking::PartyError;
use domain::booking::calendar::SlotState;
use domain::booking::code::BookingCode;
use domain::booking::form::{BookingFieldError, Party, count_field, parse_party};
use domain::booking::slot::SlotView;
use domain::people::hourly_limits::{Started, rsvp_confirmed_at_once};
use http::StatusCode;
use std::collections::BTreeMap;
use std::net::IpAddr;
use store::booking::bookings::{self, HoldError, Line, NewHold};
use store::booking::waitlist::{self, NewEntry};

/// The booking form, as posted: a count per ticket type, a name, an email.
type BookingForm = BTreeMap<String, String>;

/// The slot page again with the problems of the form.
async fn redraw_slot(
    state: &AppState,
    post: &FormPost<BookingForm>,
    id: i32,
    problems: Vec<(String, FieldError)>,
    status: StatusCode,
) -> Stop {
    let echo = echo_of(
        &post.form,
        problems.iter().map(|(f, e)| (f.as_str(), e.clone())),
    );
    let uri = format!("/slots/{id}");
    state.pages.redraw_at(&post.parts, &uri, echo, status).await
}

fn booking_problems(problems: domain::booking::form::BookingProblems) -> Vec<(String, FieldError)> {
    problems
        .into_iter()
        .map(|(f, e)| (f, FieldError::Booking(e)))
        .collect()
}

/// The slot, if it takes bookings now; else the answer to give.
async fn open_slot(
    state: &AppState,
    post: &FormPost<BookingForm>,
    id: i32,
    waitlist: bool,
) -> Result<SlotView, Stop> {
    let slot = store::booking::slots::view(&state.db, id, domain::clock::now().on_site())
        .await?
        .ok_or(Stop::NotFound)?;
    let takes = match slot.slot.state {
        SlotState::Open => true,
        SlotState::Full => waitlist,
        _ => false,
    };
    if takes {
        return Ok(slot);
    }
    let problem = vec![(
        WHOLE_FORM.to_owned(),
        FieldError::SlotNotBookable(slot.slot.state),
    )];
    Err(redraw_slot(state, post, id, problem, StatusCode::CONFLICT).await)
}

/// The slot and the party its form asks for, if the slot takes them now (for the
/// waiting list: if it is full, or open); else the answer to give.
async fn slot_and_party(
    state: &AppState,
    post: &FormPost<BookingForm>,
    id: i32,
    waitlist: bool,
    client: IpAddr,
) -> Result<(SlotView, Party, Started), Stop> {
    let slot = open_slot(state, post, id, waitlist).await?;
    // Waiting for places that are not there yet: only the party's own size counts.
    let (left, ticket_left) = if waitlist {
        (slot.slot.capacity, &[][..])
    } else {
        (slot.slot.left, &slot.ticket_left[..])
    };
    let choices = slot.listing.ticket_choices();
    match parse_party(
        &post.form,
        &choices,
        slot.listing.rules.party,
        left,
        ticket_left,
    ) {
        Ok(party) => {
            let free = party.tickets.iter().all(|(t, _)| t.price.centavos() == 0);
            let kind = if free && !waitlist {
                Started::Rsvp
            } else {
                Started::Hold
            };
            if let Err(too_many) = hourly_limits::check(state, kind, &party.email, client).await? {
                let problem = vec![(WHOLE_FORM.to_owned(), FieldError::HourlyLimit(too_many))];
                let status = StatusCode::TOO_MANY_REQUESTS;
                let page = redraw_slot(state, post, id, problem, status).await;
                return Err(hourly_limits::try_again_later(page));
            }
            Ok((slot, party, kind))
        }
        Err(problems) => {
            let too_few_left = problems.iter().any(|(_, e)| {
                matches!(
                    e,
                    BookingFieldError::Party(PartyError::NotEnoughLeft { .. })
                        | BookingFieldError::TicketLeft { .. }
                )
            });
            let status = if too_few_left {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            Err(redraw_slot(state, post, id, booking_problems(problems), status).await)
        }
    }
}

#[tracing::instrument(name = "hold_places", skip_all, fields(slot = id))]
pub async fn book(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    ClientAddress(client): ClientAddress,
    post: FormPost<BookingForm>,
) -> Answer {
    let (slot, party, kind) = slot_and_party(&state, &post, id, false, client).await?;
    let choices = slot.listing.ticket_choices();
    let f = new_booking_code();
    let viewer = post.parts.extensions.get::<domain::Viewer>();
    let hold = NewHold {
        slot_id: id,
        lines: party
            .tickets
            .iter()
            .map(|(t, n)| Line {
                ticket_code: t.code.clone(),
                count: *n,
                unit_price: t.price,
            })
            .collect(),
        account_id: viewer.map(|v| v.account_id),
        email: party.email.clone(),
        name: party.name.as_str().to_owned(),
        lang: post.lang(),
        code: f.code.clone(),
        secret_hash: f.secret_hash.clone(),
    };
    let at = domain::clock::now().on_site();
    // A big RSVP by an address nobody proved waits for its emailed link.
    let verified = viewer.is_some_and(|v| v.email_verified);
    let unproved_rsvp = kind == Started::Rsvp && !rsvp_confirmed_at_once(party.size(), verified);
    let held = if unproved_rsvp {
        let link = booking_link(&state.public_url, &f.code, &f.secret);
        let until = at.naive() + state.bookings.offer_for;
        let letter = emails::bookings::confirm_rsvp(
            hold.email.clone(),
            hold.lang,
            &hold.name,
            &About::of(&slot, hold.lang),
            &link,
            until,
        );
        bookings::hold_and_tell(&state.db, &hold, state.bookings.offer_for, at, &letter).await
    } else {
        bookings::hold(&state.db, &hold, state.hold_for, at).await
    };
    let booking_id = match held {
        Ok(id) => id,
        Err(HoldError::NotEnoughLeft { left }) => {
            let field = choices
                .first()
                .map(|t| count_field(&t.code))
                .unwrap_or_default();
            let problem =
                FieldError::Booking(BookingFieldError::Party(PartyError::NotEnoughLeft { left }));
            return Err(redraw_slot(
                &state,
                &post,
                id,
                vec![(field, problem)],
                StatusCode::CONFLICT,
            )
            .await);
        }
        Err(HoldError::NotEnoughOfTicket { ticket, left }) => {
            let problem = FieldError::Booking(BookingFieldError::TicketLeft { left });
            let field = count_field(&ticket);
            return Err(redraw_slot(
                &state,
                &post,
                id,
                vec![(field, problem)],
                StatusCode::CONFLICT,
            )
            .await);
        }
        Err(HoldError::Closed) => {
            let problem = vec![(
                WHOLE_FORM.to_owned(),
                FieldError::SlotNotBookable(SlotState::Closed),
            )];
            return Err(redraw_slot(&state, &post, id, problem, StatusCode::CONFLICT).await);
        }
        Err(HoldError::NoSuchSlot) => return Err(Stop::NotFound),
        Err(HoldError::Empty) => {
            let field = choices
                .first()
                .map(|t| count_field(&t.code))
                .unwrap_or_default();
            let problem = FieldError::Booking(BookingFieldError::Party(PartyError::Empty));
            return Err(redraw_slot(
                &state,
                &post,
                id,
                vec![(field, problem)],
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await);
        }
        Err(HoldError::Store(err)) => return Err(Stop::from(err)),
    };
    tracing::info!(code = %f.code, places = party.size(), "places held");
    hourly_limits::record(&state, kind, &party.email, client).await;
    if unproved_rsvp {
        return Ok(see_other(&format!("/slots/{id}?done=check-email")));
    }
    let page = format!("/bookings/{}?k={}", f.code, f.secret);
    if kind != Started::Rsvp {
        // Paid places go into the cart and straight on to checkout, which starts
        // from the name and email just typed (with whatever else is in the cart).
        let (cart, cookie) = crate::http::visit::cart::cart_of(&state, &post.parts).await?;
        if let Err(err) = store::commerce::carts::add_booking(&state.db, cart, booking_id, at).await
        {
            return Err(Stop::failed(err));
        }
        return Ok(crate::http::visit::cart::with_cookie(
            see_other(&checkout_after_booking(&f.code, &f.secret)),
            cookie,
        ));
    }
    // A free event's RSVP has nothing to pay: it is confirmed at once.
    let link = booking_link(&state.public_url, &f.code, &f.secret);
    let letter = confirmation_letter(&slot, &hold.email, hold.lang, &hold.name, &f.code, &link);
    bookings::confirm(&state.db, &f.code, hold.account_id, Some(letter), at)
        .await
        .map_err(Stop::failed)?;
    Ok(see_other(&format!("{page}&done=confirmed")))
}

/// Checkout, right after places were held: it says until when, and links the
/// booking's own page (with its secret) to see or release them.
pub(super) fn checkout_after_booking(code: &BookingCode, secret: &str) -> String {
    format!("/checkout?done=booked&booking={code}&k={secret}")
}

pub(super) fn confirmation_letter(
    slot: &SlotView,
    to: &domain::Email,
    lang: domain::Lang,
    name: &str,
    code: &BookingCode,
    link: &str,
) -> store::outbox::Letter {
    emails::bookings::confirmed(
        to.clone(),
        lang,
        name,
        &About::of(slot, lang),
        code.as_str(),
        link,
    )
}

#[tracing::instrument(name = "join_waitlist", skip_all, fields(slot = id))]
pub async fn join_waitlist(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    ClientAddress(client): ClientAddress,
    post: FormPost<BookingForm>,
) -> Answer {
    let (_, party, kind) = slot_and_party(&state, &post, id, true, client).await?;
    let entry = NewEntry {
        slot_id: id,
        account_id: post.account_id(),
        email: party.email.clone(),
        name: party.name.as_str().to_owned(),
        lang: post.lang(),
        tickets: party
            .tickets
            .iter()
            .map(|(t, n)| (t.code.clone(), *n))
            .collect(),
    };
    let at = domain::clock::now().on_site();
    match waitlist::join(&state.db, &entry, at).await {
        Ok(place) => {
            hourly_limits::record(&state, kind, &party.email, client).await;
            // Places may have come free since the page was drawn.
            state.bookings.offer_places(id, at.naive()).await;
            Ok(see_other(&format!(
                "/slots/{id}?done=waitlisted&place={place}"
            )))
        }
        Err(err) => Err(Stop::failed(err)),
    }
}
