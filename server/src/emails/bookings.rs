//! The emails bookings send, in the visitor's language. Plain text, like every
//! email of the site: the link is what matters, and it reads on any phone.

use chrono::NaiveDateTime;
use domain::Lang;
use domain::Money;
use domain::dates::format_date;
use store::outbox::Letter;

/// What an email says about the slot: its listing's title and when it starts.
pub struct About<'a> {
    pub title: &'a str,
    pub starts_at: NaiveDateTime,
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
    let when = format_date(about.starts_at, lang);
    let title = about.title;
    let (subject, body) = match lang {
        Lang::Es => (
            format!("Reserva {code}: {title}"),
            format!(
                "Hola, {name}:\n\nTu reserva está confirmada.\n\n{title}\n{when}\nCódigo: \
                 {code}\n\nMuestra el código (o el código QR de la reserva) en el punto de \
                 encuentro. Para ver tu reserva o cancelarla:\n\n{link}\n\nGuarda este \
                 correo: el enlace es tu llave de la reserva.\n"
            ),
        ),
        Lang::En => (
            format!("Booking {code}: {title}"),
            format!(
                "Hello {name},\n\nYour booking is confirmed.\n\n{title}\n{when}\nCode: \
                 {code}\n\nShow the code (or the booking's QR code) at the meeting point. To \
                 see your booking or cancel it:\n\n{link}\n\nKeep this email: the link is \
                 your key to the booking.\n"
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
    let when = format_date(about.starts_at, lang);
    let title = about.title;
    let until = until.format("%H:%M");
    let (subject, body) = match lang {
        Lang::Es => (
            format!("Confirma tus lugares: {title}"),
            format!(
                "Hola, {name}:\n\nTe apartamos lugares en:\n\n{title}\n{when}\n\nPara                  confirmarlos, abre este enlace y pulsa «Confirmar» antes de las {until}; si                  no, los lugares se liberan para alguien más:\n\n{link}\n\nSi no pediste                  estos lugares, ignora este correo.\n"
            ),
        ),
        Lang::En => (
            format!("Confirm your places: {title}"),
            format!(
                "Hello {name},\n\nWe are holding places for you at:\n\n{title}\n{when}\n\n                 To confirm them, open this link and press \"Confirm\" before {until};                  otherwise the places go to someone else:\n\n{link}\n\nIf you did not ask                  for these places, ignore this email.\n"
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
    let when = format_date(about.starts_at, lang);
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
    let when = format_date(about.starts_at, lang);
    let deadline = format_date(until, lang);
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
