//! The authorisation matrix: every endpoint that changes something, and every server
//! function that shows private data, tried by each kind of person, over HTTP, against
//! the demo accounts (`server::demo::accounts`). Each row says who may; the test
//! checks that exactly they can, that anonymous visitors are sent to sign in, and that
//! everybody else is refused with a 403.
//!
//! The list of endpoints comes from the server itself (`http::endpoints`, and the
//! registered server functions): one without a row here fails
//! `every_endpoint_and_server_function_has_a_row`.

use crate::support;
use domain::clock::SiteTime;

use domain::catalog::listing_form::ListingFields;
use domain::{ListingAction, ListingKind};
use leptos::server_fn::ServerFn;
use server::demo::accounts::DEMO_PASSWORD;
use std::collections::BTreeSet;
use store::catalog::listings::{self, Actor};
use support::{Backend, TestApp, browser, spawn_app};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Anonymous,
    Visitor,
    ProducerOfAnotherCooperative,
    Producer,
    Helper,
    AdminOfAnotherCooperative,
    CooperativeAdmin,
    PlatformAdmin,
}

const ROLES: [Role; 8] = [
    Role::Anonymous,
    Role::Visitor,
    Role::ProducerOfAnotherCooperative,
    Role::Producer,
    Role::Helper,
    Role::AdminOfAnotherCooperative,
    Role::CooperativeAdmin,
    Role::PlatformAdmin,
];

impl Role {
    fn email(self) -> Option<&'static str> {
        Some(match self {
            Role::Anonymous => return None,
            Role::Visitor => "visita@tianguis.demo",
            Role::ProducerOfAnotherCooperative => "productor@tianguis.demo",
            Role::Producer => "artesana@tianguis.demo",
            Role::Helper => "ayudante@tianguis.demo",
            Role::AdminOfAnotherCooperative => "coop2@tianguis.demo",
            Role::CooperativeAdmin => "coop@tianguis.demo",
            Role::PlatformAdmin => "raiz@tianguis.demo",
        })
    }
}

/// The producer whose listings the rows act on (the demo artesana, whom the demo
/// helper also helps), and her cooperative.
const PRODUCER: &str = "rosario-bautista-ruiz";
const COOPERATIVE: &str = "tejedoras-del-picacho";
/// An account with no role (made by the test).
const SPARE: &str = "repuesto@tianguis.test";
/// The rows' cooperative's community.
const COMMUNITY: &str = "teotitlan-del-valle";

/// Who may.
#[derive(Debug, Clone, Copy)]
enum Who {
    Anyone,
    SignedIn,
    /// Has producers to manage (their own, or as a helper).
    HasDashboard,
    /// The listing's producer, or a helper entrusted with her.
    ProducerOrHelper,
    CooperativeAdmin,
    PlatformAdmin,
    /// The person an invitation was emailed to (the rows invite the demo visitor).
    Invited,
    /// Whoever made the booking (the rows' bookings are the demo visitor's); to
    /// anybody else it does not exist (404), so a guessed code says nothing.
    BookingHolder,
    /// The slot's producer, their helper, or an admin of its cooperative.
    SlotRunner,
    /// Runs some tour or event: a producer, a helper or a cooperative admin.
    RunsListings,
    /// Whoever placed the order (the rows' orders are the demo visitor's); to anybody
    /// else it does not exist (404).
    OrderHolder,
    /// Whoever has the booking in their cart: none of the roles does (the rows' cart
    /// is a stranger's), so to each of them it does not exist (404).
    CartHolder,
    /// Administers the cooperative that sold the part, or runs the platform.
    SellerOrPlatform,
    /// Administers some cooperative, or runs the platform.
    AnyCooperativeAdmin,
    /// A producer or admin of one of the community's cooperatives (the rows'
    /// community has the rows' cooperative and the other demo cooperative).
    CommunityMember,
}

impl Who {
    fn allows(self, role: Role) -> bool {
        use Role::*;
        match self {
            Who::Anyone => true,
            Who::SignedIn => role != Anonymous,
            Who::HasDashboard => matches!(role, ProducerOfAnotherCooperative | Producer | Helper),
            Who::ProducerOrHelper => matches!(role, Producer | Helper),
            Who::CooperativeAdmin => role == CooperativeAdmin,
            Who::PlatformAdmin => role == PlatformAdmin,
            Who::Invited | Who::BookingHolder | Who::OrderHolder => role == Visitor,
            Who::CartHolder => false,
            Who::SellerOrPlatform => matches!(role, CooperativeAdmin | PlatformAdmin),
            Who::AnyCooperativeAdmin => {
                matches!(
                    role,
                    AdminOfAnotherCooperative | CooperativeAdmin | PlatformAdmin
                )
            }
            Who::SlotRunner => matches!(role, Producer | Helper | CooperativeAdmin),
            Who::CommunityMember => matches!(
                role,
                ProducerOfAnotherCooperative
                    | Producer
                    | AdminOfAnotherCooperative
                    | CooperativeAdmin
            ),
            Who::RunsListings => matches!(
                role,
                ProducerOfAnotherCooperative
                    | Producer
                    | Helper
                    | AdminOfAnotherCooperative
                    | CooperativeAdmin
            ),
        }
    }

    fn expect(self, role: Role) -> Outcome {
        if self.allows(role) {
            Outcome::Allowed
        } else if matches!(
            self,
            Who::BookingHolder | Who::OrderHolder | Who::CartHolder
        ) {
            Outcome::Hidden
        } else if role == Role::Anonymous {
            Outcome::SignIn
        } else {
            Outcome::Refused
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Allowed,
    /// Sent to sign in (a form: 303 to /sign-in; a server function: 401).
    SignIn,
    Refused,
    /// Answered "not found".
    Hidden,
}

/// What a listing must be before the row's request.
#[derive(Debug, Clone, Copy)]
enum Needs {
    Nothing,
    Draft,
    /// A draft with two photos; the row acts on the second.
    DraftWithPhotos,
    Pending,
    Published,
    /// An open invitation to the cooperative, for a fresh address.
    Invitation,
    /// A fresh producer member of the cooperative; the row acts on the membership.
    Member,
    /// A fresh helper entrusted with the producer; the row acts on the grant.
    HelperGrant,
    /// A fresh account, its email not verified, entrusted with the producer; the row
    /// acts on the role waiting for its address.
    WaitingRole,
    /// An open invitation for the demo visitor; the row acts on its link's token.
    InvitationForVisitor,
    /// The row acts on the producer's profile.
    Producer,
    /// A coming slot of a published tour of the producer.
    Slot,
    /// Such a slot with a confirmed booking on it; the row sends its code.
    SlotWithBooking,
    /// A hold on such a slot made by the demo visitor; the row acts on its code.
    VisitorsBooking,
    /// A published tour of the producer; the row acts on the listing.
    Tour,
    /// Such a tour with an opening rule; the row acts on the listing and the rule.
    TourWithRule,
    /// A hold on a slot in a stranger's cart; the row acts on its code.
    BookingInCart,
    /// An order the demo visitor placed (signed in), awaiting payment; its code.
    VisitorsOrder,
    /// A paid order with a part of the rows' cooperative; the row acts on the part
    /// (and the order's code).
    PaidPart,
    /// Such an order paid at OXXO with an owed refund; the row acts on the refund.
    OwedRefund,
    /// A proposal to the rows' community fund, its vote open; the row acts on it.
    Proposal,
}

/// An endpoint, who may post to it, what it acts on, and what it sends.
struct Row(&'static str, Who, Needs, Sends);

/// The body of a row's request.
enum Sends {
    /// An empty form (a button).
    Button,
    /// These fields, with the placeholders of [`FORMS`] filled in.
    Form(&'static [(&'static str, &'static str)]),
    /// A new craft for the rows' producer (`?kind=craft&producer=…`).
    NewCraft,
    /// The fields of a craft, edited.
    EditedCraft,
    /// A photo upload.
    Photo,
    /// A receipt for a fund's spending.
    Receipt,
    /// The code of the booking on the slot.
    CheckIn,
}

/// One row per endpoint: its path, who may post to it, what it acts on (made fresh
/// for each try), and what it sends. In what a row sends, `{n}` becomes a number new
/// for each try, `{producer}` the rows' producer's id, `{cooperative}` the rows'
/// cooperative, `{spare}` an account with no role.
#[rustfmt::skip]
const FORMS: &[Row] = {
    use {Needs::*, Sends::*, Who::*};
    &[
    // path                                                who may              acts on               sends
    Row("/sign-up",                                          Anyone,              Nothing,              Form(&[("name", "Nueva Persona"), ("email", "nueva{n}@tianguis.test"), ("password", "una contraseña larga")])),
    Row("/sign-in",                                          Anyone,              Nothing,              Form(&[("email", "nadie@tianguis.test"), ("password", "no es la contraseña")])),
    Row("/sign-out",                                         Anyone,              Nothing,              Button),
    Row("/verify-email",                                     Anyone,              Nothing,              Form(&[("token", "0000")])),
    Row("/account/verification",                             SignedIn,            Nothing,              Button),
    Row("/forgot-password",                                  Anyone,              Nothing,              Form(&[("email", "nadie@tianguis.test")])),
    Row("/reset-password",                                   Anyone,              Nothing,              Form(&[("token", "0000"), ("password", "una contraseña larga")])),
    Row("/dashboard/new",                                    ProducerOrHelper,    Nothing,              NewCraft),
    Row("/dashboard/listings/{id}/edit",                     ProducerOrHelper,    Draft,                EditedCraft),
    Row("/dashboard/listings/{id}/submit",                   ProducerOrHelper,    Draft,                Button),
    Row("/dashboard/listings/{id}/unpublish",                ProducerOrHelper,    Published,            Button),
    Row("/dashboard/listings/{id}/delete",                   ProducerOrHelper,    Draft,                Button),
    Row("/dashboard/listings/{id}/photos",                   ProducerOrHelper,    Draft,                Photo),
    Row("/dashboard/listings/{id}/photos/{photo}/earlier",   ProducerOrHelper,    DraftWithPhotos,      Button),
    Row("/dashboard/listings/{id}/photos/{photo}/later",     ProducerOrHelper,    DraftWithPhotos,      Button),
    Row("/dashboard/listings/{id}/photos/{photo}/delete",    ProducerOrHelper,    DraftWithPhotos,      Button),
    Row("/dashboard/producers/{id}/profile",                 ProducerOrHelper,    Producer,             Form(&[("name", "Rosario Bautista Ruiz"), ("specialty_es", "Tapetes de lana")])),
    Row("/dashboard/producers/{id}/photo",                   ProducerOrHelper,    Producer,             Photo),
    Row("/dashboard/producers/{id}/photo/delete",            ProducerOrHelper,    Producer,             Button),
    Row("/coop/{slug}/listings/{id}/approve",                CooperativeAdmin,    Pending,              Button),
    Row("/coop/{slug}/listings/{id}/reject",                 CooperativeAdmin,    Pending,              Form(&[("reason", "Faltan fotos")])),
    Row("/coop/{slug}/invitations",                          CooperativeAdmin,    Nothing,              Form(&[("email", "invitada{n}@tianguis.test"), ("role", "artisan"), ("email_lang", "es")])),
    Row("/coop/{slug}/invitations/{id}/withdraw",            CooperativeAdmin,    Invitation,           Button),
    Row("/coop/{slug}/members/{id}/remove",                  CooperativeAdmin,    Member,               Button),
    Row("/coop/{slug}/helpers",                              CooperativeAdmin,    Nothing,              Form(&[("helper_email", "{spare}"), ("producer", "{producer}")])),
    Row("/coop/{slug}/helpers/{id}/revoke",                  CooperativeAdmin,    HelperGrant,          Button),
    Row("/coop/{slug}/waiting/{id}/withdraw",                CooperativeAdmin,    WaitingRole,          Button),
    Row("/coop/{slug}/profile",                              CooperativeAdmin,    Nothing,              Form(&[("name", "Cooperativa de Tejedoras del Picacho"), ("story_es", "Tejemos en telar de pedal.")])),
    Row("/admin/communities",                                PlatformAdmin,       Nothing,              Form(&[("name", "Comunidad {n}"), ("municipality", "Santa Ana del Valle"), ("state", "Oaxaca"), ("languages", "zap, es")])),
    Row("/admin/cooperatives",                               PlatformAdmin,       Nothing,              Form(&[("coop_name", "Cooperativa {n}"), ("community", "teotitlan-del-valle")])),
    Row("/admin/admins",                                     PlatformAdmin,       Nothing,              Form(&[("appoint_cooperative", "{cooperative}"), ("appoint_email", "{spare}")])),
    Row("/order-links",                                      Anyone,              Nothing,              Form(&[("email", "ana{n}@example.mx")])),
    Row("/slots/{id}/book",                                  Anyone,              Slot,                 Form(&[("name", "Ana López"), ("email", "ana{n}@example.mx"), ("count_adult", "1")])),
    Row("/slots/{id}/waitlist",                              Anyone,              Slot,                 Form(&[("name", "Ana López"), ("email", "ana{n}@example.mx"), ("count_adult", "1")])),
    Row("/bookings/{code}/confirm",                          BookingHolder,       VisitorsBooking,      Button),
    Row("/bookings/{code}/cancel",                           BookingHolder,       VisitorsBooking,      Button),
    Row("/dashboard/listings/{id}/booking-rules",            SlotRunner,          Tour,                 Form(&[("capacity", "10"), ("min_party", "1"), ("max_party", "5"), ("cutoff_hours", "12"), ("horizon_days", "30"), ("policy", "flexible")])),
    Row("/dashboard/listings/{id}/schedule",                 SlotRunner,          Tour,                 Form(&[("kind", "weekly"), ("weekday", "3"), ("time", "10:00")])),
    Row("/dashboard/listings/{id}/schedule/{rule}/remove",   SlotRunner,          TourWithRule,         Button),
    Row("/dashboard/listings/{id}/ticket-limits",            SlotRunner,          Tour,                 Form(&[("limit_adult", "5")])),
    Row("/dashboard/slots/{id}/check-in",                    SlotRunner,          SlotWithBooking,      CheckIn),
    Row("/dashboard/calendar/new-addresses",                 RunsListings,        Nothing,              Button),
    Row("/dashboard/slots/{id}/close",                       SlotRunner,          Slot,                 Button),
    Row("/dashboard/slots/{id}/open",                        SlotRunner,          Slot,                 Button),
    Row("/dashboard/slots/{id}/cancel",                      SlotRunner,          Slot,                 Form(&[("sure", "yes")])),
    Row("/cart/items",                                       Anyone,              Nothing,              Form(&[("craft", "tapete-diamante-zapoteco-indigo"), ("quantity", "1")])),
    Row("/cart/items/{listing_id}",                          Anyone,              Nothing,              Form(&[("quantity", "1")])),
    Row("/cart/bookings/{code}/remove",                      CartHolder,          BookingInCart,        Button),
    Row("/checkout",                                         Anyone,              Nothing,              Form(&[("name", "Ana"), ("email", "ana@example.mx")])),
    Row("/orders/{code}/oxxo",                               OrderHolder,         VisitorsOrder,        Button),
    Row("/orders/{code}/simulate",                           OrderHolder,         VisitorsOrder,        Form(&[("choice", "card_declined")])),
    Row("/orders/{code}/check",                              OrderHolder,         VisitorsOrder,        Button),
    Row("/orders/{code}/cancel",                             OrderHolder,         VisitorsOrder,        Button),
    Row("/dashboard/orders/parts/{id}/fulfil",               SellerOrPlatform,    PaidPart,             Form(&[("action", "prepare")])),
    Row("/dashboard/orders/parts/{id}/refund",               SellerOrPlatform,    PaidPart,             Form(&[("amount", "1"), ("reason", "Prueba")])),
    Row("/dashboard/orders/refunds/{id}/settle",             SellerOrPlatform,    OwedRefund,           Form(&[("reference", "SPEI 1")])),
    Row("/coop/{slug}/shipping",                             CooperativeAdmin,    Nothing,              Form(&[("ships", "1"), ("flat", "100"), ("per_item", "20"), ("pickup", "1")])),
    Row("/coop/{slug}/finances/payouts",                     CooperativeAdmin,    Nothing,              Form(&[("payout_method", "spei"), ("payout_reference", "SPEI 1"), ("payout_paid_on", "2026-01-02")])),
    Row("/coop/{slug}/finances/member-payments",             CooperativeAdmin,    Nothing,              Form(&[("member", "{producer}"), ("member_amount", "1"), ("member_method", "cash"), ("member_reference", "recibo"), ("member_paid_on", "2026-01-02")])),
    Row("/coop/{slug}/finances/split-rule",                  CooperativeAdmin,    Nothing,              Form(&[("producer_share", "80"), ("cooperative_share", "10"), ("fund_share", "5"), ("advance_share", "0"), ("fees_carried_by", "platform"), ("release_days", "14")])),
    Row("/coop/{slug}/finances/stripe",                      CooperativeAdmin,    Nothing,              Button),
    Row("/coop/{slug}/finances/payouts/transfer",            CooperativeAdmin,    Nothing,              Button),
    Row("/coop/{slug}/finances/payouts/{id}/retry",          CooperativeAdmin,    Nothing,              Button),
    Row("/coop/{slug}/finances/payouts/{id}/cancel",         CooperativeAdmin,    Nothing,              Button),
    Row("/communities/{slug}/fund/proposals",                CommunityMember,     Nothing,              Form(&[("title_es", "Proyecto {n}"), ("title_en", "Project {n}"), ("description_es", "Para la comunidad"), ("description_en", "For the community"), ("amount", "100")])),
    Row("/communities/{slug}/fund/proposals/{id}/vote",      CommunityMember,     Proposal,             Form(&[("vote", "for")])),
    Row("/communities/{slug}/fund/proposals/{id}/spending",  AnyCooperativeAdmin, Proposal,             Receipt),
    Row("/webhooks/stripe",                                  Anyone,              Nothing,              Button),
    Row("/invitations/{token}",                              Invited,             InvitationForVisitor, Button),
    ]
};

/// Server functions that show something private, with who may call them.
fn private_server_functions() -> Vec<(&'static str, Who, Needs)> {
    vec![
        (
            <app::pages::dashboard::orders::LoadSoldOrders as ServerFn>::PATH,
            Who::AnyCooperativeAdmin,
            Needs::Nothing,
        ),
        (
            <app::pages::dashboard::orders::LoadSoldOrder as ServerFn>::PATH,
            Who::SellerOrPlatform,
            Needs::PaidPart,
        ),
        (
            <app::pages::coop::shipping::LoadCoopShipping as ServerFn>::PATH,
            Who::CooperativeAdmin,
            Needs::Nothing,
        ),
        (
            <app::pages::dashboard::earnings::LoadEarnings as ServerFn>::PATH,
            Who::HasDashboard,
            Needs::Nothing,
        ),
        (
            <app::pages::coop::finances::LoadCoopFinances as ServerFn>::PATH,
            Who::CooperativeAdmin,
            Needs::Nothing,
        ),
        (
            <app::pages::dashboard::schedule::LoadSchedule as ServerFn>::PATH,
            Who::SlotRunner,
            Needs::Tour,
        ),
        (
            <app::pages::dashboard::manifest::LoadManifest as ServerFn>::PATH,
            Who::SlotRunner,
            Needs::Slot,
        ),
        (
            <app::pages::dashboard::slots::LoadMySlots as ServerFn>::PATH,
            Who::RunsListings,
            Needs::Nothing,
        ),
        (
            <app::pages::admin::outbox::LoadOutbox as ServerFn>::PATH,
            Who::PlatformAdmin,
            Needs::Nothing,
        ),
        (
            <app::pages::admin::platform::LoadPlatform as ServerFn>::PATH,
            Who::PlatformAdmin,
            Needs::Nothing,
        ),
        (
            <app::pages::coop::members::LoadCoopMembers as ServerFn>::PATH,
            Who::CooperativeAdmin,
            Needs::Nothing,
        ),
        (
            <app::pages::coop::profile::LoadCoopProfile as ServerFn>::PATH,
            Who::CooperativeAdmin,
            Needs::Nothing,
        ),
        (
            <app::pages::dashboard::listings::LoadDashboard as ServerFn>::PATH,
            Who::HasDashboard,
            Needs::Nothing,
        ),
        (
            <app::pages::dashboard::listings::LoadListingForEdit as ServerFn>::PATH,
            Who::ProducerOrHelper,
            Needs::Draft,
        ),
        (
            <app::pages::dashboard::producer_profile::LoadProducerProfile as ServerFn>::PATH,
            Who::ProducerOrHelper,
            Needs::Producer,
        ),
        (
            <app::pages::coop::listings::LoadCoopWork as ServerFn>::PATH,
            Who::CooperativeAdmin,
            Needs::Nothing,
        ),
    ]
}

/// Server functions anyone may call: they load what every visitor sees (an
/// invitation, and a booking, are read by whoever holds their secret link; see
/// `bookings_http` for the booking).
fn public_server_functions() -> Vec<&'static str> {
    vec![
        <app::pages::visit::cart::LoadCart as ServerFn>::PATH,
        <app::pages::visit::order::LoadOrder as ServerFn>::PATH,
        <app::pages::visit::slot::LoadSlot as ServerFn>::PATH,
        <app::pages::visit::booking::LoadBooking as ServerFn>::PATH,
        <app::pages::account::invitation::LoadInvitation as ServerFn>::PATH,
        <app::pages::visit::home::LoadHome as ServerFn>::PATH,
        <app::pages::visit::catalog::LoadCatalog as ServerFn>::PATH,
        <app::pages::visit::search::LoadSearch as ServerFn>::PATH,
        <app::pages::visit::listing::LoadListing as ServerFn>::PATH,
        <app::pages::visit::cooperatives::LoadCooperatives as ServerFn>::PATH,
        <app::pages::visit::cooperatives::LoadCooperative as ServerFn>::PATH,
        <app::pages::visit::community::LoadCommunity as ServerFn>::PATH,
        <app::pages::visit::fund::LoadFund as ServerFn>::PATH,
    ]
}

#[test]
fn every_endpoint_and_server_function_has_a_row() {
    let in_server: BTreeSet<String> = server::http::endpoints::mutating_endpoints()
        .into_iter()
        .map(|e| format!("{} {}", e.method, e.path))
        .collect();
    let in_matrix: BTreeSet<String> = FORMS.iter().map(|r| format!("POST {}", r.0)).collect();
    assert_eq!(
        in_server, in_matrix,
        "every change the server accepts has a row"
    );

    let registered: BTreeSet<&str> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path)
        .collect();
    let classified: BTreeSet<&str> = private_server_functions()
        .into_iter()
        .map(|(p, _, _)| p)
        .chain(public_server_functions())
        .collect();
    assert_eq!(
        registered, classified,
        "every server function is classified"
    );
}

async fn demo_account_id(app: &TestApp, email: &str) -> i32 {
    store::people::accounts::account_by_email(&app.db, &domain::Email::parse(email).unwrap())
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn producer_id(app: &TestApp) -> i32 {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    store::entity::producer::Entity::find()
        .filter(store::entity::producer::Column::Slug.eq(PRODUCER))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

fn craft_fields() -> ListingFields {
    ListingFields {
        category: "textiles".into(),
        title_es: "Tapete de prueba".into(),
        summary_es: "Lana teñida con grana".into(),
        price: "900".into(),
        stock: "2".into(),
        ..Default::default()
    }
}

/// A small real PNG, drawn here.
fn png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 4, y as u8 * 5, 90]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// What a row acts on, made fresh for each request.
#[derive(Default)]
struct Target {
    /// A listing, invitation, membership or helper grant.
    id: Option<i32>,
    photo: Option<i32>,
    /// An invitation link's secret, or a booking's code.
    token: Option<String>,
    /// An opening rule of the listing.
    rule: Option<i32>,
}

/// A fresh thing in the state the row needs.
async fn target_for(app: &TestApp, needs: Needs, n: usize) -> Target {
    let mut target = Target {
        id: listing_for(app, needs).await,
        ..Default::default()
    };
    let coop = cooperative_id(app).await;
    let admin = demo_account_id(app, "coop@tianguis.demo").await;
    let now = domain::clock::now().on_site();
    match needs {
        Needs::DraftWithPhotos => {
            let id = target.id.unwrap();
            for k in 0..2 {
                let key = format!("matrix{id}x{k}");
                let alt = domain::LocalizedText::default();
                target.photo = Some(
                    store::catalog::photos::add(&app.db, id, &key, (640, 480), &alt)
                        .await
                        .unwrap(),
                );
            }
        }
        Needs::Invitation => {
            invite(app, &format!("pendiente{n}@tianguis.test")).await;
            target.id = Some(newest_invitation(app).await);
        }
        Needs::InvitationForVisitor => {
            // She joined in the visitor's cell: she leaves again, to be invited anew.
            let visitor = demo_account_id(app, "visita@tianguis.demo").await;
            if let Some(joined) = try_membership_of(app, visitor).await {
                store::people::members::remove(&app.db, coop, joined, admin, now, &|| {
                    auth::token::new_token().0
                })
                .await
                .unwrap();
            }
            target.token = Some(invite(app, "visita@tianguis.demo").await);
        }
        Needs::Member => {
            let email = format!("socia{n}@tianguis.test");
            let account = new_account(app, &email).await;
            let token = invite(app, &email).await;
            store::people::members::accept(&app.db, &auth::token::hash_token(&token), account, now)
                .await
                .unwrap();
            target.id = Some(membership_of(app, account).await);
        }
        Needs::HelperGrant => {
            let email = format!("ayuda{n}@tianguis.test");
            let account = new_account(app, &email).await;
            verify(app, account).await;
            let email = domain::Email::parse(&email).unwrap();
            let producer = producer_id(app).await;
            store::people::members::grant_helper(&app.db, coop, &email, producer, admin, now)
                .await
                .unwrap();
            target.id = Some(newest_grant(app).await);
        }
        Needs::WaitingRole => {
            let email = format!("espera{n}@tianguis.test");
            new_account(app, &email).await;
            let email = domain::Email::parse(&email).unwrap();
            let producer = producer_id(app).await;
            let given =
                store::people::members::grant_helper(&app.db, coop, &email, producer, admin, now)
                    .await
                    .unwrap();
            assert_eq!(given, domain::people::members::Given::Waits);
            let waiting = store::people::waiting_roles::of_cooperative(&app.db, coop)
                .await
                .unwrap();
            target.id = waiting.last().map(|w| w.id);
        }
        Needs::Producer => target.id = Some(producer_id(app).await),
        Needs::Slot => target.id = Some(slot_for(app).await),
        Needs::Tour => target.id = Some(tour_for(app).await),
        Needs::TourWithRule => {
            let tour = tour_for(app).await;
            let rule = domain::booking::schedule::OpeningRule::Weekly {
                weekday: 2,
                starts: chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
            };
            target.id = Some(tour);
            target.rule = Some(
                store::booking::schedules::add_rule(&app.db, tour, &rule)
                    .await
                    .unwrap(),
            );
        }
        Needs::SlotWithBooking => {
            let slot = slot_for(app).await;
            target.id = Some(slot);
            let code = hold_on(app, slot, None).await;
            target.token = Some(confirm(app, &code).await);
        }
        Needs::VisitorsBooking => {
            let slot = slot_for(app).await;
            let visitor = demo_account_id(app, "visita@tianguis.demo").await;
            target.token = Some(hold_on(app, slot, Some(visitor)).await);
        }
        Needs::BookingInCart => {
            let slot = slot_for(app).await;
            let code = hold_on(app, slot, None).await;
            let cart = store::commerce::carts::open(
                &app.db,
                &format!("stranger{n}"),
                None,
                SiteTime::from_naive(app.now.naive()),
            )
            .await
            .unwrap();
            let found = store::booking::bookings::by_code(
                &app.db,
                &domain::booking::code::BookingCode::parse(&code).unwrap(),
                SiteTime::from_naive(app.now.naive()),
            )
            .await
            .unwrap()
            .unwrap();
            store::commerce::carts::add_booking(
                &app.db,
                cart,
                found.id,
                SiteTime::from_naive(app.now.naive()),
            )
            .await
            .unwrap();
            target.token = Some(code);
        }
        Needs::VisitorsOrder => {
            let visitor = demo_account_id(app, "visita@tianguis.demo").await;
            target.token = Some(order_for(app, Some(visitor), n).await.0);
        }
        Needs::PaidPart => {
            let (code, payment) = order_for(app, None, n).await;
            pay(app, payment).await;
            target.id = Some(part_of(app, &code).await);
            target.token = Some(code);
        }
        Needs::OwedRefund => {
            let (code, payment) = order_for(app, None, n).await;
            pay(app, payment).await;
            let order = store::commerce::orders::by_code(
                &app.db,
                &domain::commerce::order::OrderCode::parse(&code).unwrap(),
            )
            .await
            .unwrap()
            .unwrap();
            use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
            store::entity::payment::Entity::update_many()
                .col_expr(store::entity::payment::Column::Method, Expr::val("oxxo"))
                .filter(store::entity::payment::Column::Id.eq(payment))
                .exec(&app.db)
                .await
                .unwrap();
            let ask = store::commerce::refunds::RefundAsk {
                order_id: order.id,
                part_id: Some(part_of(app, &code).await),
                booking_id: None,
                amount: domain::Money::mxn(100),
                reason: "prueba".into(),
                asked_by: None,
                for_withdrawn: false,
            };
            target.id = Some(
                store::commerce::refunds::open(
                    &app.db,
                    &ask,
                    SiteTime::from_naive(app.now.naive()),
                )
                .await
                .unwrap()
                .id,
            );
        }
        Needs::Proposal => {
            let community = store::money::fund::community_id(&app.db, COMMUNITY)
                .await
                .unwrap()
                .unwrap();
            let by = demo_account_id(app, "artesana@tianguis.demo").await;
            let new = domain::money::fund::NewProposal {
                title_es: format!("Proyecto {n}"),
                title_en: format!("Project {n}"),
                description_es: "Para la comunidad".into(),
                description_en: "For the community".into(),
                amount: domain::Money::mxn(10_000),
                voting_opens: (app.now - chrono::Duration::hours(1)).naive(),
                voting_closes: (app.now + chrono::Duration::days(7)).naive(),
            };
            let id = store::money::fund::propose(
                &app.db,
                community,
                by,
                &new,
                SiteTime::from_naive(app.now.naive()),
            )
            .await
            .unwrap();
            target.id = Some(id);
        }
        Needs::Nothing | Needs::Draft | Needs::Pending | Needs::Published => {}
    }
    target
}

/// An order of one made-to-order demo rug (of the rows' cooperative: no stock runs
/// out however many rows order it), collected there, placed by
/// `account` (or a guest): its code and its payment's id.
async fn order_for(app: &TestApp, account: Option<i32>, n: usize) -> (String, i32) {
    let cart = store::commerce::carts::open(
        &app.db,
        &format!("matrix-cart{n}"),
        account,
        SiteTime::from_naive(app.now.naive()),
    )
    .await
    .unwrap();
    let rug = store::commerce::carts::craft_id(&app.db, "tapete-ojo-de-dios-gran-formato")
        .await
        .unwrap()
        .unwrap();
    store::commerce::carts::add_craft(&app.db, cart, rug, 1, SiteTime::from_naive(app.now.naive()))
        .await
        .unwrap();
    let coop = cooperative_id(app).await;
    let checkout = domain::commerce::checkout_form::Checkout {
        name: domain::PersonName::parse("Valeria Visitante").unwrap(),
        email: domain::Email::parse("visita@tianguis.demo").unwrap(),
        phone: None,
        deliveries: [(coop, domain::commerce::order::Delivery::Pickup)].into(),
        address: None,
    };
    let code = domain::commerce::order::OrderCode::from_random(auth::token::random_bytes());
    let placed = store::commerce::checkout::place(
        &app.db,
        store::commerce::checkout::NewOrder {
            cart_id: cart,
            checkout: &checkout,
            account_id: account,
            lang: domain::Lang::Es,
            code: code.clone(),
            link_key_hash: auth::token::new_token().1,
            provider: "simulated",
            pay_within: chrono::Duration::minutes(30),
            received: &|_| None,
        },
        SiteTime::from_naive(app.now.naive()),
    )
    .await
    .unwrap();
    (code.to_string(), placed.payment_id)
}

/// Pays payment `payment` on the simulated provider, as its test page does.
async fn pay(app: &TestApp, payment: i32) {
    let payments = server::payments_of(&app.config, &app.db).unwrap();
    payments
        .simulate(
            payment,
            payments::simulated::Choice::CardSucceeds,
            &|_, _| Vec::new(),
            SiteTime::from_naive(app.now.naive()),
        )
        .await
        .unwrap();
}

/// The one part of order `code`.
async fn part_of(app: &TestApp, code: &str) -> i32 {
    let found = store::commerce::orders::by_code(
        &app.db,
        &domain::commerce::order::OrderCode::parse(code).unwrap(),
    )
    .await
    .unwrap()
    .unwrap();
    found.view.parts[0].id
}

/// A published tour of the producer with a slot five days ahead; the slot.
async fn slot_for(app: &TestApp) -> i32 {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let id = tour_for(app).await;
    let slot = store::entity::tour_slot::ActiveModel {
        listing_id: Set(id),
        starts_at: Set((app.now + chrono::Duration::days(5)).naive()),
        capacity: Set(10),
        places_taken: Set(0),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    slot.id
}

/// A published tour of the producer; the listing.
async fn tour_for(app: &TestApp) -> i32 {
    let owner = Actor {
        account_id: demo_account_id(app, "artesana@tianguis.demo").await,
        on_behalf_of: None,
    };
    let now = domain::clock::now().on_site();
    let fields = ListingFields {
        category: "workshop".into(),
        title_es: "Taller de prueba".into(),
        summary_es: "Tejido en telar de pedal".into(),
        price: "300".into(),
        duration_minutes: "120".into(),
        meeting_point_es: "El taller".into(),
        languages: "es".into(),
        max_group_size: "10".into(),
        ..Default::default()
    };
    let draft = fields.parse(ListingKind::Tour).unwrap();
    let id = listings::create(&app.db, producer_id(app).await, &draft, owner, now)
        .await
        .unwrap();
    for action in [ListingAction::Submit, ListingAction::Approve] {
        listings::transition(&app.db, id, action, None, owner, now)
            .await
            .unwrap();
    }
    id
}

/// A hold of one place on `slot` (for `account`, if any); its code.
async fn hold_on(app: &TestApp, slot: i32, account: Option<i32>) -> String {
    let code = domain::booking::code::BookingCode::from_random(auth::token::random_bytes());
    let hold = store::booking::bookings::NewHold {
        slot_id: slot,
        lines: vec![store::booking::bookings::Line {
            ticket_code: "adult".into(),
            count: 1,
            unit_price: domain::Money::mxn(30_000),
        }],
        account_id: account,
        email: domain::Email::parse("visita@tianguis.demo").unwrap(),
        name: "Valeria Visitante".into(),
        lang: domain::Lang::Es,
        code: code.clone(),
        secret_hash: auth::token::new_token().1,
    };
    store::booking::bookings::hold(
        &app.db,
        &hold,
        chrono::Duration::minutes(15),
        SiteTime::from_naive(app.now.naive()),
    )
    .await
    .unwrap();
    code.to_string()
}

async fn confirm(app: &TestApp, code: &str) -> String {
    let parsed = domain::booking::code::BookingCode::parse(code).unwrap();
    store::booking::bookings::confirm(
        &app.db,
        &parsed,
        None,
        None,
        SiteTime::from_naive(app.now.naive()),
    )
    .await
    .unwrap();
    code.to_owned()
}

async fn cooperative_id(app: &TestApp) -> i32 {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    use store::entity::cooperative;
    cooperative::Entity::find()
        .filter(cooperative::Column::Slug.eq(COOPERATIVE))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// An account with the demo password.
async fn new_account(app: &TestApp, email: &str) -> i32 {
    let password = domain::NewPassword::parse(DEMO_PASSWORD).unwrap();
    let new = store::people::accounts::NewAccount {
        email: domain::Email::parse(email).unwrap(),
        name: domain::PersonName::parse("Persona de prueba").unwrap(),
        password_hash: auth::password::hash(&password).await.unwrap(),
        lang: domain::Lang::Es,
    };
    store::people::accounts::create_account(&app.db, new, domain::clock::now())
        .await
        .unwrap()
        .id
}

/// Marks the account's email verified, as its link would.
async fn verify(app: &TestApp, account: i32) {
    use sea_orm::TransactionTrait;
    let txn = app.db.begin().await.unwrap();
    store::people::accounts::mark_email_verified(&txn, account, domain::clock::now())
        .await
        .unwrap();
    txn.commit().await.unwrap();
}

/// Invites `email` to the cooperative as its admin does; the link's token.
async fn invite(app: &TestApp, email: &str) -> String {
    let (token, token_hash) = auth::token::new_token();
    let new = domain::people::members::NewInvitation {
        email: domain::Email::parse(email).unwrap(),
        role: domain::catalog::ProducerRole::Artisan,
        lang: domain::Lang::Es,
    };
    let message = store::people::members::InvitationEmail {
        token_hash,
        subject: "Invitación",
        body: "Hola",
    };
    let admin = demo_account_id(app, "coop@tianguis.demo").await;
    store::people::members::invite(
        &app.db,
        cooperative_id(app).await,
        &new,
        message,
        admin,
        domain::clock::now().on_site(),
    )
    .await
    .unwrap();
    token
}

async fn newest_invitation(app: &TestApp) -> i32 {
    use sea_orm::{EntityTrait, QueryOrder};
    use store::entity::invitation;
    invitation::Entity::find()
        .order_by_desc(invitation::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn newest_grant(app: &TestApp) -> i32 {
    use sea_orm::{EntityTrait, QueryOrder};
    use store::entity::helper_grant;
    helper_grant::Entity::find()
        .order_by_desc(helper_grant::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn membership_of(app: &TestApp, account: i32) -> i32 {
    try_membership_of(app, account).await.unwrap()
}

async fn try_membership_of(app: &TestApp, account: i32) -> Option<i32> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    use store::entity::membership;
    membership::Entity::find()
        .filter(membership::Column::AccountId.eq(account))
        .one(&app.db)
        .await
        .unwrap()
        .map(|m| m.id)
}

/// A fresh listing of the producer, in the state the row needs.
async fn listing_for(app: &TestApp, needs: Needs) -> Option<i32> {
    let owner = Actor {
        account_id: demo_account_id(app, "artesana@tianguis.demo").await,
        on_behalf_of: None,
    };
    let now = domain::clock::now().on_site();
    let moves: &[ListingAction] = match needs {
        Needs::Nothing
        | Needs::Invitation
        | Needs::Member
        | Needs::HelperGrant
        | Needs::WaitingRole
        | Needs::InvitationForVisitor
        | Needs::Producer
        | Needs::Slot
        | Needs::SlotWithBooking
        | Needs::VisitorsBooking
        | Needs::Tour
        | Needs::TourWithRule
        | Needs::BookingInCart
        | Needs::VisitorsOrder
        | Needs::PaidPart
        | Needs::OwedRefund
        | Needs::Proposal => return None,
        Needs::Draft | Needs::DraftWithPhotos => &[],
        Needs::Pending => &[ListingAction::Submit],
        Needs::Published => &[ListingAction::Submit, ListingAction::Approve],
    };
    let draft = craft_fields().parse(ListingKind::Craft).unwrap();
    let id = listings::create(&app.db, producer_id(app).await, &draft, owner, now)
        .await
        .unwrap();
    for action in moves {
        listings::transition(&app.db, id, *action, None, owner, now)
            .await
            .unwrap();
    }
    Some(id)
}

async fn client_for(app: &TestApp, role: Role) -> reqwest::Client {
    let client = browser();
    if let Some(email) = role.email() {
        app.sign_in(&client, email, DEMO_PASSWORD).await;
    }
    client
}

/// The fields a row's form is sent with: valid ones, so that an allowed request
/// does what it says. `spare` is an account that is none of the roles (appointing
/// or entrusting it changes no role's rights); `producer` is the rows' producer.
/// Fills in the placeholders of a row's fields (see [`FORMS`]).
fn filled(fields: &[(&str, &str)], n: usize, producer: i32) -> Vec<(String, String)> {
    fields
        .iter()
        .map(|(k, v)| {
            let v = v
                .replace("{n}", &n.to_string())
                .replace("{producer}", &producer.to_string())
                .replace("{cooperative}", COOPERATIVE)
                .replace("{spare}", SPARE);
            (k.to_string(), v)
        })
        .collect()
}

/// The fields of a craft listing's form.
fn craft_form() -> Vec<(String, String)> {
    let f = craft_fields();
    [
        ("category", f.category),
        ("title_es", f.title_es),
        ("summary_es", f.summary_es),
        ("price", f.price),
        ("stock", "5".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

fn outcome_of_form(status: u16, location: &str) -> Option<Outcome> {
    match status {
        403 => Some(Outcome::Refused),
        404 => Some(Outcome::Hidden),
        303 if location.starts_with("/sign-in?next=") => Some(Outcome::SignIn),
        200 | 303 | 400 | 409 | 422 => Some(Outcome::Allowed),
        _ => None,
    }
}

async fn each_role_gets_exactly_the_access_it_should(backend: Backend) {
    let app = spawn_app(backend).await;
    let producer = producer_id(&app).await;
    let mut wrong = Vec::new();
    let mut n = 0;
    new_account(&app, "repuesto@tianguis.test").await;
    // Server functions first: the last form row makes the visitor a producer.
    for (path, who, needs) in private_server_functions() {
        for role in ROLES {
            let client = client_for(&app, role).await;
            let id = match needs {
                Needs::Producer => Some(producer_id(&app).await),
                Needs::Slot => Some(slot_for(&app).await),
                Needs::Tour => Some(tour_for(&app).await),
                Needs::PaidPart => None,
                _ => listing_for(&app, needs).await,
            };
            let args: Vec<(&str, String)> = match id {
                Some(id) => vec![("id", id.to_string())],
                None if matches!(needs, Needs::PaidPart) => {
                    let (code, payment) = order_for(&app, None, n + 10_000).await;
                    n += 1;
                    pay(&app, payment).await;
                    vec![("code", code)]
                }
                // The finances page's loader also takes its ledger filter (empty).
                None if path.contains("finances") => ["from", "to", "kind", "producer"]
                    .into_iter()
                    .map(|k| (k, String::new()))
                    .chain([("slug", COOPERATIVE.to_owned())])
                    .collect(),
                None if path.contains("coop") => vec![("slug", COOPERATIVE.to_owned())],
                None => vec![],
            };
            let status = client
                .post(app.url(path))
                .form(&args)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16();
            let got = match status {
                200..=299 => Some(Outcome::Allowed),
                401 => Some(Outcome::SignIn),
                403 => Some(Outcome::Refused),
                _ => None,
            };
            let expected = who.expect(role);
            if got != Some(expected) {
                wrong.push(format!(
                    "{role:?} on server function {path}: expected {expected:?}, got {status}"
                ));
            }
        }
    }
    for Row(endpoint, who, needs, sends) in FORMS {
        for role in ROLES {
            n += 1;
            let client = client_for(&app, role).await;
            let target = target_for(&app, *needs, n).await;
            let slug = if endpoint.starts_with("/communities/") {
                COMMUNITY
            } else {
                COOPERATIVE
            };
            let mut path = endpoint
                .replace("{slug}", slug)
                .replace("{id}", &target.id.unwrap_or_default().to_string())
                .replace("{photo}", &target.photo.unwrap_or_default().to_string())
                .replace("{token}", target.token.as_deref().unwrap_or_default())
                .replace("{code}", target.token.as_deref().unwrap_or_default())
                .replace("{rule}", &target.rule.unwrap_or_default().to_string())
                .replace("{listing_id}", "1");
            if let Sends::NewCraft = sends {
                path = format!("{path}?kind=craft&producer={producer}");
            }
            let request = client.post(app.url(&path));
            let request = match sends {
                Sends::Button => request.form(&[] as &[(&str, &str)]),
                Sends::Form(fields) => request.form(&filled(fields, n, producer)),
                Sends::NewCraft | Sends::EditedCraft => request.form(&craft_form()),
                Sends::CheckIn => {
                    request.form(&[("code", target.token.clone().unwrap_or_default())])
                }
                Sends::Photo => {
                    let file = reqwest::multipart::Part::bytes(png()).file_name("foto.png");
                    request.multipart(
                        reqwest::multipart::Form::new()
                            .part("photo", file)
                            .text("alt_es", "Una foto"),
                    )
                }
                Sends::Receipt => {
                    let file = reqwest::multipart::Part::bytes(png()).file_name("recibo.png");
                    request.multipart(
                        reqwest::multipart::Form::new()
                            .part("photo", file)
                            .text("spend_amount", "10")
                            .text("spend_note", "Material")
                            .text("spend_on", app.now.date().to_string()),
                    )
                }
            };
            let res = request.send().await.unwrap();
            let status = res.status().as_u16();
            let location = res
                .headers()
                .get("location")
                .and_then(|l| l.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            let got = outcome_of_form(status, &location);
            let expected = who.expect(role);
            if got != Some(expected) {
                wrong.push(format!(
                    "{:?} on POST {path}: expected {expected:?}, got {status} {location}",
                    role
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

on_both_backends!(each_role_gets_exactly_the_access_it_should);
