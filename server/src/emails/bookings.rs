//! The emails bookings send, in the visitor's language. Plain text, like every
//! email of the site: the link is what matters, and it reads on any phone.

use chrono::NaiveDateTime;
use domain::Lang;
use domain::ListingKind;
use domain::Money;
use domain::booking::slot::SlotView;
use domain::dates::{SITE_ZONE, date_with_zone, time_with_zone};
use store::outbox::Letter;

/// What an email says about the slot, in the reader's language: its listing's title,
/// when it starts (in the community's zone), where, and what to bring.
pub struct About<'a> {
    pub title: &'a str,
    pub starts_at: NaiveDateTime,
    /// The community's time zone (IANA name).
    pub zone: &'a str,
    pub kind: ListingKind,
    pub place: Option<&'a str>,
    pub bring: Option<&'a str>,
}

impl<'a> About<'a> {
    pub fn of(slot: &'a SlotView, lang: Lang) -> About<'a> {
        let l = &slot.listing;
        About {
            title: l.title.show(lang).text,
            starts_at: slot.slot.starts_at,
            zone: &l.timezone,
            kind: l.kind,
            place: shown(&l.place, lang),
            bring: shown(&l.rules.bring, lang),
        }
    }

    /// "sáb 12 dic 2026, 10:00 (hora de la Ciudad de México)".
    fn when(&self, lang: Lang) -> String {
        date_with_zone(self.starts_at, self.zone, lang)
    }
}

/// `text` in `lang`, or in the other language where it has not been translated.
pub fn shown(text: &domain::LocalizedText, lang: Lang) -> Option<&str> {
    text.get(lang).or_else(|| text.get(lang.other()))
}

/// The lines that tell where to go and what to bring, each indented and ending in
/// a newline (none for what is not known).
pub fn where_and_what(
    kind: ListingKind,
    place: Option<&str>,
    bring: Option<&str>,
    lang: Lang,
) -> String {
    let (place_label, bring_label) = match (lang, kind) {
        (Lang::Es, ListingKind::Tour) => ("Punto de encuentro", "Qué llevar"),
        (Lang::Es, _) => ("Lugar", "Qué llevar"),
        (Lang::En, ListingKind::Tour) => ("Meeting point", "What to bring"),
        (Lang::En, _) => ("Venue", "What to bring"),
    };
    let mut text = String::new();
    if let Some(p) = place {
        text.push_str(&format!("  {place_label}: {p}\n"));
    }
    if let Some(b) = bring {
        text.push_str(&format!("  {bring_label}: {b}\n"));
    }
    text
}

/// A booking confirmed: its code, and the link that opens it (with its secret).
pub fn confirmed(
    to: domain::Email,
    lang: Lang,
    name: &str,
    about: &About,
    code: &str,
    link: &str,
) -> Letter {
    let when = about.when(lang);
    let title = about.title;
    let details = where_and_what(about.kind, about.place, about.bring, lang);
    let (subject, body) = match lang {
        Lang::Es => (
            format!("Reserva {code}: {title}"),
            format!(
                "Hola, {name}:\n\nTu reserva está confirmada.\n\n{title}\n  Cuándo: \
                 {when}\n{details}  Código: {code}\n\nMuestra el código (o el código QR de \
                 la reserva) al llegar. Tu reserva, con su código QR, o para cancelarla:\
                 \n\n{link}\n\nGuarda este correo: el enlace es tu llave de la reserva.\n"
            ),
        ),
        Lang::En => (
            format!("Booking {code}: {title}"),
            format!(
                "Hello {name},\n\nYour booking is confirmed.\n\n{title}\n  When: {when}\n\
                 {details}  Code: {code}\n\nShow the code (or the booking's QR code) when you \
                 arrive. Your booking, with its QR code, or to cancel it:\n\n{link}\n\nKeep \
                 this email: the link is your key to the booking.\n"
            ),
        ),
    };
    Letter::new(to, lang, subject, body)
}

/// Free places held until the visitor confirms them from this email's link (an
/// RSVP for more places than are given at once: the address must be theirs).
pub fn confirm_rsvp(
    to: domain::Email,
    lang: Lang,
    name: &str,
    about: &About,
    link: &str,
    until: NaiveDateTime,
) -> Letter {
    let when = about.when(lang);
    let title = about.title;
    let until = time_with_zone(until, SITE_ZONE, lang);
    let (subject, body) = match lang {
        Lang::Es => (
            format!("Confirma tus lugares: {title}"),
            format!(
                "Hola, {name}:\n\nTe apartamos lugares en:\n\n{title}\n{when}\n\nPara \
                 confirmarlos, abre este enlace y pulsa «Confirmar» antes de las {until}; si \
                 no, los lugares se liberan para alguien más:\n\n{link}\n\nSi no pediste \
                 estos lugares, ignora este correo.\n"
            ),
        ),
        Lang::En => (
            format!("Confirm your places: {title}"),
            format!(
                "Hello {name},\n\nWe are holding places for you at:\n\n{title}\n{when}\n\n\
                 To confirm them, open this link and press \"Confirm\" before {until}; \
                 otherwise the places go to someone else:\n\n{link}\n\nIf you did not ask \
                 for these places, ignore this email.\n"
            ),
        ),
    };
    Letter::new(to, lang, subject, body)
}

/// A slot called off by its producer: the booking is cancelled and refunded in full.
pub fn called_off(
    to: domain::Email,
    lang: Lang,
    name: &str,
    about: &About,
    code: &str,
    refund: Money,
) -> Letter {
    let when = about.when(lang);
    let title = about.title;
    let (subject, body) = match lang {
        Lang::Es => (
            format!("Cancelado: {title}, {when}"),
            format!(
                "Hola, {name}:\n\nLo sentimos: quienes organizan «{title}» tuvieron que \
                 cancelar la salida del {when} (clima, una ceremonia o una enfermedad). \
                 Tu reserva {code} quedó cancelada y se te devuelve todo lo pagado: \
                 {refund}.\n\nPuedes elegir otra fecha en la página del recorrido.\n"
            ),
        ),
        Lang::En => (
            format!("Cancelled: {title}, {when}"),
            format!(
                "Hello {name},\n\nWe are sorry: the hosts of “{title}” had to call off \
                 the {when} departure (weather, a ceremony or illness). Your booking {code} \
                 is cancelled and everything you paid is refunded: {refund}.\n\nYou can \
                 pick another date on the tour's page.\n"
            ),
        ),
    };
    Letter::new(to, lang, subject, body)
}

/// Places came free for somebody on a waiting list: they are held for them until
/// `until`, and the link confirms them.
pub fn offered(
    to: domain::Email,
    lang: Lang,
    name: &str,
    about: &About,
    places: u32,
    link: &str,
    until: NaiveDateTime,
) -> Letter {
    let when = about.when(lang);
    let deadline = date_with_zone(until, SITE_ZONE, lang);
    let title = about.title;
    let (subject, body) = match lang {
        Lang::Es => (
            format!("Hay lugar para ti: {title}"),
            format!(
                "Hola, {name}:\n\nSe liberaron lugares en «{title}», {when}, y te \
                 guardamos {places} hasta {deadline}. Para confirmarlos:\n\n{link}\n\nSi \
                 no los confirmas a tiempo, pasan a la siguiente persona de la lista.\n"
            ),
        ),
        Lang::En => (
            format!("A place for you: {title}"),
            format!(
                "Hello {name},\n\nPlaces came free on “{title}”, {when}, and we are \
                 holding {places} for you until {deadline}. To confirm them:\n\n{link}\n\n\
                 If you do not confirm in time, they go to the next person on the list.\n"
            ),
        ),
    };
    Letter::new(to, lang, subject, body)
}
