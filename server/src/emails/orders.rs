//! The emails an order sends, in the buyer's language: received, voucher issued,
//! paid, shipped or ready for pickup, refunded. Plain text, like every email of the
//! site; each carries the order's link, which is the buyer's key to it.

use crate::emails::bookings::shown;
use domain::booking::code::BookingCode;
use domain::commerce::order::{Delivery, OrderCode, PartAction};
use domain::commerce::order_view::{OrderView, PartView};
use domain::commerce::payment::{Decision, Voucher};
use domain::dates::{SITE_ZONE, date_with_zone, format_date};
use domain::money::receipt::Receipt;
use domain::{Email, Lang, Money};
use store::commerce::orders::PlacedOrder;
use store::outbox::Letter;

/// The links an order's email carries: to the order, and to each of its bookings
/// (whose page shows the QR code to show on arrival), all opened by the one key
/// made for that email.
pub struct Links {
    pub public_url: String,
    pub order: OrderCode,
    pub key: String,
}

impl Links {
    pub fn order(&self) -> String {
        let page = crate::http::order_page(&self.order, &self.key);
        format!("{}{page}", self.public_url)
    }

    pub fn booking(&self, code: &BookingCode) -> String {
        format!("{}/bookings/{code}?k={}", self.public_url, self.key)
    }
}

fn letter(to: &str, lang: Lang, subject: String, body: String) -> Option<Letter> {
    Some(Letter::new(Email::parse(to).ok()?, lang, subject, body))
}

/// One line per part and its goods, for the body of an email.
fn summary(order: &OrderView, lang: Lang) -> String {
    let mut text = String::new();
    for part in &order.parts {
        text.push_str(&format!("{}\n", part.cooperative));
        for line in &part.lines {
            text.push_str(&format!(
                "  {} × {}  {}\n",
                line.quantity, line.title, line.total
            ));
            if let Some(code) = &line.booking {
                let label = match lang {
                    Lang::Es => "Código de reserva",
                    Lang::En => "Booking code",
                };
                text.push_str(&format!("    {label}: {code}\n"));
            }
        }
        if part.shipping.centavos() > 0 {
            let label = match lang {
                Lang::Es => "Envío",
                Lang::En => "Shipping",
            };
            text.push_str(&format!("  {label}  {}\n", part.shipping));
        }
    }
    let total = match lang {
        Lang::Es => "Total",
        Lang::En => "Total",
    };
    text.push_str(&format!("{total}: {}\n", order.total));
    text
}

/// The order was placed and waits for its payment.
pub fn received(order: &OrderView, lang: Lang, link: &str) -> Option<Letter> {
    let code = &order.code;
    let name = &order.name;
    let lines = summary(order, lang);
    let (subject, body) = match lang {
        Lang::Es => (
            format!("Pedido {code} recibido"),
            format!(
                "Hola, {name}:\n\nRecibimos tu pedido {code}. Lo apartamos mientras llega tu \
                 pago.\n\n{lines}\nPara pagar o ver tu pedido:\n\n{link}\n\nGuarda este \
                 correo: el enlace es tu llave del pedido.\n"
            ),
        ),
        Lang::En => (
            format!("Order {code} received"),
            format!(
                "Hello {name},\n\nWe received your order {code}. It is kept for you while \
                 your payment arrives.\n\n{lines}\nTo pay or see your order:\n\n{link}\n\n\
                 Keep this email: the link is your key to the order.\n"
            ),
        ),
    };
    letter(&order.email, lang, subject, body)
}

fn voucher_issued(order: &OrderView, lang: Lang, v: &Voucher, link: &str) -> Option<Letter> {
    let code = &order.code;
    let name = &order.name;
    let total = order.total;
    let number = &v.number;
    let until = date_with_zone(domain::clock::site_time_of(v.expires_at), SITE_ZONE, lang);
    let (subject, body) = match lang {
        Lang::Es => (
            format!("Tu ficha OXXO para el pedido {code}"),
            format!(
                "Hola, {name}:\n\nPaga {total} en efectivo en cualquier tienda OXXO antes del \
                 {until}. Dile a la cajera que es un pago de OXXO Pay y dale este número:\n\n\
                 {number}\n\nTu pedido queda apartado hasta entonces. Cuando llegue el pago te \
                 escribimos. Tu pedido:\n\n{link}\n"
            ),
        ),
        Lang::En => (
            format!("Your OXXO voucher for order {code}"),
            format!(
                "Hello {name},\n\nPay {total} in cash at any OXXO store before {until}. Tell \
                 the cashier it is an OXXO Pay payment and give this number:\n\n{number}\n\n\
                 Your order is kept for you until then. We will write when the payment \
                 arrives. Your order:\n\n{link}\n"
            ),
        ),
    };
    letter(&order.email, lang, subject, body)
}

/// The receipt in plain text: each line's split, to the centavo.
fn where_it_went(receipt: &Receipt, lang: Lang) -> String {
    let (heading, maker, coop, fund, platform, fee) = match lang {
        Lang::Es => (
            "A dónde va tu dinero",
            "quien lo hizo o guía",
            "su cooperativa",
            "fondo comunitario",
            "plataforma",
            "comisión del pago",
        ),
        Lang::En => (
            "Where your money goes",
            "its maker or guide",
            "their cooperative",
            "community fund",
            "platform",
            "payment fee",
        ),
    };
    let mut out = format!("{heading}:\n");
    for l in &receipt.lines {
        let title = l.title.clone().unwrap_or_else(|| match lang {
            Lang::Es => format!("Envío ({})", l.cooperative),
            Lang::En => format!("Shipping ({})", l.cooperative),
        });
        let s = &l.split;
        let by = l
            .producer
            .as_deref()
            .map(|p| format!(" {p}"))
            .unwrap_or_default();
        out.push_str(&format!(
            "- {title}, {}: {maker}{by} {}; {coop} {}; {fund} {}; {platform} {}; {fee} {}\n",
            s.total(),
            s.net.producer,
            s.net.cooperative,
            s.net.fund,
            s.net.platform,
            s.fee
        ));
    }
    out
}

/// Each paid booking: when (with its zone), where, what to bring, and its page
/// with the QR code to show on arrival.
fn visits(order: &OrderView, lang: Lang, links: &Links) -> String {
    let mut text = String::new();
    let booked = order
        .parts
        .iter()
        .flat_map(|p| &p.lines)
        .filter(|l| !l.withdrawn);
    for line in booked {
        let (Some(code), Some(visit)) = (&line.booking, &line.visit) else {
            continue;
        };
        let (booking, when, page) = match lang {
            Lang::Es => (
                "Reserva",
                "Cuándo",
                "Tu reserva, con el código QR que mostrarás al llegar",
            ),
            Lang::En => (
                "Booking",
                "When",
                "Your booking, with the QR code to show when you arrive",
            ),
        };
        text.push_str(&format!("{booking} {code}: {}\n", line.title));
        text.push_str(&format!(
            "  {when}: {}\n",
            date_with_zone(visit.starts_at, &visit.zone, lang)
        ));
        text.push_str(&crate::emails::bookings::where_and_what(
            visit.kind,
            shown(&visit.place, lang),
            shown(&visit.bring, lang),
            lang,
        ));
        text.push_str(&format!("  {page}:\n  {}\n\n", links.booking(code)));
    }
    text
}

fn paid(order: &OrderView, receipt: Option<&Receipt>, lang: Lang, links: &Links) -> Option<Letter> {
    let code = &order.code;
    let name = &order.name;
    let link = links.order();
    let mut lines = summary(order, lang);
    if let Some(r) = receipt {
        lines.push('\n');
        lines.push_str(&where_it_went(r, lang));
    }
    let visits = visits(order, lang, links);
    let (subject, body) = match lang {
        Lang::Es => (
            format!("Pedido {code} pagado: gracias"),
            format!(
                "Hola, {name}:\n\nRecibimos tu pago. Cada cooperativa prepara su parte y te \
                 avisamos cuando salga; tus reservas de recorridos y eventos quedaron \
                 confirmadas.\n\n{visits}{lines}\nTu pedido:\n\n{link}\n"
            ),
        ),
        Lang::En => (
            format!("Order {code} paid: thank you"),
            format!(
                "Hello {name},\n\nYour payment arrived. Each cooperative now prepares its \
                 part, and we will tell you when it leaves; your tour and event bookings are \
                 confirmed.\n\n{visits}{lines}\nYour order:\n\n{link}\n"
            ),
        ),
    };
    letter(&order.email, lang, subject, body)
}

fn expired(order: &OrderView, lang: Lang, link: &str) -> Option<Letter> {
    let code = &order.code;
    let name = &order.name;
    let (subject, body) = match lang {
        Lang::Es => (
            format!("Pedido {code}: no llegó el pago"),
            format!(
                "Hola, {name}:\n\nEl plazo para pagar tu pedido {code} terminó sin que llegara \
                 el pago, así que liberamos lo apartado. No se te cobró nada. Puedes volver a \
                 pedirlo cuando quieras:\n\n{link}\n"
            ),
        ),
        Lang::En => (
            format!("Order {code}: the payment did not arrive"),
            format!(
                "Hello {name},\n\nThe time to pay order {code} ran out before the payment \
                 arrived, so what was kept for you went back. You were not charged. You can \
                 order again any time:\n\n{link}\n"
            ),
        ),
    };
    letter(&order.email, lang, subject, body)
}

fn wrong_amount(order: &OrderView, lang: Lang, link: &str) -> Option<Letter> {
    let code = &order.code;
    let name = &order.name;
    let (subject, body) = match lang {
        Lang::Es => (
            format!("Pedido {code}: te devolvemos tu pago"),
            format!(
                "Hola, {name}:\n\nEl pago que recibimos para tu pedido {code} no fue por su \
                 total, así que no pudimos tomarlo como pagado: liberamos lo apartado y te \
                 devolvemos todo lo que se cobró. Nuestro equipo ya lo está revisando. \
                 Puedes volver a pedirlo cuando quieras:\n\n{link}\n"
            ),
        ),
        Lang::En => (
            format!("Order {code}: your payment is coming back"),
            format!(
                "Hello {name},\n\nThe payment that arrived for order {code} was not its \
                 total, so it could not count as paid: what was kept for you went back, and \
                 all that was charged is being refunded. Our team is looking into it. You \
                 can order again any time:\n\n{link}\n"
            ),
        ),
    };
    letter(&order.email, lang, subject, body)
}

/// What a settled payment sends: a voucher, a receipt, the news that it expired, or
/// that a payment which was not the order's total goes back.
pub fn after_payment(
    decision: &Decision,
    order: &OrderView,
    receipt: Option<&Receipt>,
    lang: Lang,
    links: &Links,
) -> Vec<Letter> {
    let link = &links.order();
    let sent = match decision {
        Decision::KeepForVoucher(v) => voucher_issued(order, lang, v, link),
        Decision::MarkPaid | Decision::MarkPaidRefundingWithdrawn(_) => {
            paid(order, receipt, lang, links)
        }
        Decision::Expire => expired(order, lang, link),
        Decision::RefundWrongAmount => wrong_amount(order, lang, link),
        _ => None,
    };
    sent.into_iter().collect()
}

/// A cooperative moved its part on: shipped (with the tracking number), ready for
/// pickup, or delivered.
pub fn fulfilled(
    order: &OrderView,
    lang: Lang,
    part: &PartView,
    action: PartAction,
    tracking: Option<(&str, &str)>,
    link: &str,
) -> Option<Letter> {
    let code = &order.code;
    let name = &order.name;
    let coop = &part.cooperative;
    let (subject, news) = match (action, lang) {
        (PartAction::Ship, Lang::Es) => (
            format!("Pedido {code}: {coop} lo envió"),
            match tracking {
                Some((carrier, number)) => {
                    format!("{coop} envió tu paquete por {carrier}. Número de guía: {number}.")
                }
                None => format!("{coop} envió tu paquete."),
            },
        ),
        (PartAction::Ship, Lang::En) => (
            format!("Order {code}: {coop} shipped it"),
            match tracking {
                Some((carrier, number)) => {
                    format!("{coop} sent your parcel with {carrier}. Tracking number: {number}.")
                }
                None => format!("{coop} sent your parcel."),
            },
        ),
        (PartAction::ReadyForPickup, Lang::Es) => (
            format!("Pedido {code}: listo para recoger en {coop}"),
            format!("Tu pedido te espera en {coop}. Lleva el código {code}."),
        ),
        (PartAction::ReadyForPickup, Lang::En) => (
            format!("Order {code}: ready for pickup at {coop}"),
            format!("Your order is waiting for you at {coop}. Bring the code {code}."),
        ),
        _ => return None,
    };
    let body = match lang {
        Lang::Es => format!("Hola, {name}:\n\n{news}\n\nTu pedido:\n\n{link}\n"),
        Lang::En => format!("Hello {name},\n\n{news}\n\nYour order:\n\n{link}\n"),
    };
    if part.delivery == Delivery::None {
        return None;
    }
    letter(&order.email, lang, subject, body)
}

/// Money went back (by the provider), or is owed and will come by bank transfer.
pub fn refunded(
    order: &OrderView,
    lang: Lang,
    amount: Money,
    owed: bool,
    link: &str,
) -> Option<Letter> {
    let code = &order.code;
    let name = &order.name;
    let (subject, news) = match (owed, lang) {
        (false, Lang::Es) => (
            format!("Pedido {code}: te devolvimos {amount}"),
            format!(
                "Te devolvimos {amount} al medio con que pagaste. Puede tardar unos días en verse."
            ),
        ),
        (false, Lang::En) => (
            format!("Order {code}: {amount} refunded"),
            format!("We refunded {amount} to the way you paid. It may take a few days to show."),
        ),
        (true, Lang::Es) => (
            format!("Pedido {code}: te debemos {amount}"),
            format!(
                "Pagaste en efectivo en OXXO, así que te devolvemos {amount} por transferencia \
                 bancaria. Responde a este correo con tu CLABE para recibirla."
            ),
        ),
        (true, Lang::En) => (
            format!("Order {code}: we owe you {amount}"),
            format!(
                "You paid in cash at OXXO, so we return {amount} by bank transfer. Reply to \
                 this email with your CLABE (bank account) to receive it."
            ),
        ),
    };
    let body = match lang {
        Lang::Es => format!("Hola, {name}:\n\n{news}\n\nTu pedido:\n\n{link}\n"),
        Lang::En => format!("Hello {name},\n\n{news}\n\nYour order:\n\n{link}\n"),
    };
    letter(&order.email, lang, subject, body)
}

/// The links of `orders` (the newest placed with this address), asked for again:
/// each link carries a key made for this email.
pub fn links_again(to: Email, lang: Lang, orders: &[(PlacedOrder, String)]) -> Letter {
    let mut list = String::new();
    for (order, link) in orders {
        let placed = format_date(order.placed_at, lang);
        list.push_str(&format!(
            "{} · {placed} · {}\n{link}\n\n",
            order.code, order.total
        ));
    }
    let (subject, body) = match lang {
        Lang::Es => (
            "Los enlaces de tus pedidos en Tianguis".to_owned(),
            format!(
                "Hola:\n\nAlguien (ojalá tú) pidió los enlaces de los pedidos hechos con este \
                 correo. Aquí están los más recientes:\n\n{list}Cada enlace es tu llave del \
                 pedido. Si no los pediste, puedes ignorar este correo.\n"
            ),
        ),
        Lang::En => (
            "The links to your orders on Tianguis".to_owned(),
            format!(
                "Hello,\n\nSomeone (you, we hope) asked for the links to the orders placed \
                 with this email. Here are the most recent:\n\n{list}Each link is your key to \
                 its order. If you did not ask for them, you can ignore this email.\n"
            ),
        ),
    };
    Letter::new(to, lang, subject, body)
}

#[cfg(test)]
// Amounts are written pesos_centavos (`100_00` is $100.00).
#[allow(clippy::inconsistent_digit_grouping)]
mod tests {
    use super::*;
    use domain::commerce::order_view::OrderView;

    fn order(lang_name: &str) -> OrderView {
        OrderView {
            code: domain::commerce::order::OrderCode::parse("7K4M-P2QX").unwrap(),
            status: domain::commerce::order::OrderStatus::AwaitingPayment,
            name: lang_name.to_owned(),
            email: "ana@example.mx".to_owned(),
            phone: None,
            address: None,
            parts: Vec::new(),
            goods: Money::mxn(100_00),
            shipping: Money::mxn(0),
            total: Money::mxn(100_00),
            refunded: Money::mxn(0),
            created_at: chrono::NaiveDateTime::default(),
            pay_by: chrono::NaiveDateTime::default(),
            payment: None,
            refunds: Vec::new(),
            events: Vec::new(),
        }
    }

    fn links() -> Links {
        Links {
            public_url: "https://t".to_owned(),
            order: OrderCode::parse("7K4M-P2QX").unwrap(),
            key: "s".to_owned(),
        }
    }

    #[test]
    fn each_email_is_in_the_buyers_language_with_the_link() {
        let es = received(&order("Ana"), Lang::Es, "https://t/orders/x?k=s").unwrap();
        assert!(es.subject.contains("recibido") && es.body.contains("?k=s"));
        let en = received(&order("Ann"), Lang::En, "https://t/orders/x?k=s").unwrap();
        assert!(en.subject.contains("received") && en.body.contains("Hello Ann"));
        let owed = refunded(&order("Ana"), Lang::Es, Money::mxn(50_00), true, "l").unwrap();
        assert!(owed.body.contains("transferencia"));
    }

    #[test]
    fn the_paid_email_says_where_each_centavo_went() {
        use domain::money::receipt::ReceiptLine;
        use domain::money::split::{SplitRule, split_line};
        let split = split_line(&SplitRule::DEFAULT, Money::mxn(100_00), Money::mxn(7_66));
        let receipt = Receipt {
            lines: vec![ReceiptLine {
                title: Some("Tapete".to_owned()),
                producer: Some("Doña Rosa".to_owned()),
                cooperative: "Tejedoras".to_owned(),
                community: "Teotitlán".to_owned(),
                split,
            }],
        };
        let es = after_payment(
            &Decision::MarkPaid,
            &order("Ana"),
            Some(&receipt),
            Lang::Es,
            &links(),
        );
        let body = &es[0].body;
        assert!(body.contains("A dónde va tu dinero"), "{body}");
        assert!(body.contains("Doña Rosa $80.00 MXN"), "{body}");
        assert!(body.contains("comisión del pago $7.66 MXN"), "{body}");
        let en = after_payment(
            &Decision::MarkPaid,
            &order("Ann"),
            Some(&receipt),
            Lang::En,
            &links(),
        );
        assert!(en[0].body.contains("platform -$2.66 MXN"), "{}", en[0].body);
    }

    #[test]
    fn dates_in_vouchers_are_local() {
        // 05:59 UTC is 23:59 of the day before in Mexico City.
        let at = chrono::NaiveDate::from_ymd_opt(2026, 12, 5)
            .unwrap()
            .and_hms_opt(5, 59, 0)
            .unwrap()
            .and_utc();
        let local = domain::clock::site_time_of(at);
        assert_eq!(local.format("%d %H:%M").to_string(), "04 23:59");
    }
}
