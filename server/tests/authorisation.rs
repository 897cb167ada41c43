//! The authorisation matrix: every endpoint that changes something, and every server
//! function that shows private data, tried by each kind of person, over HTTP, against
//! the demo accounts (`server::demo::accounts`). Each row says who may; the test
//! checks that exactly they can, that anonymous visitors are sent to sign in, and that
//! everybody else is refused with a 403.
//!
//! The list of endpoints comes from the server itself (`http::endpoints`, and the
//! registered server functions): one without a row here fails
//! `every_endpoint_and_server_function_has_a_row`.

mod support;

use chrono::Utc;
use domain::listing_form::ListingFields;
use domain::{ListingAction, ListingKind};
use leptos::server_fn::ServerFn;
use server::demo::accounts::DEMO_PASSWORD;
use std::collections::BTreeSet;
use store::listings::{self, Actor};
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
        }
    }

    fn expect(self, role: Role) -> Outcome {
        if self.allows(role) {
            Outcome::Allowed
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
}

struct Row {
    path: &'static str,
    who: Who,
    needs: Needs,
}

const FORMS: &[Row] = &[
    Row {
        path: "/sign-up",
        who: Who::Anyone,
        needs: Needs::Nothing,
    },
    Row {
        path: "/sign-in",
        who: Who::Anyone,
        needs: Needs::Nothing,
    },
    Row {
        path: "/sign-out",
        who: Who::Anyone,
        needs: Needs::Nothing,
    },
    Row {
        path: "/verify-email",
        who: Who::Anyone,
        needs: Needs::Nothing,
    },
    Row {
        path: "/account/verification",
        who: Who::SignedIn,
        needs: Needs::Nothing,
    },
    Row {
        path: "/forgot-password",
        who: Who::Anyone,
        needs: Needs::Nothing,
    },
    Row {
        path: "/reset-password",
        who: Who::Anyone,
        needs: Needs::Nothing,
    },
    Row {
        path: "/dashboard/new",
        who: Who::ProducerOrHelper,
        needs: Needs::Nothing,
    },
    Row {
        path: "/dashboard/listings/{id}/edit",
        who: Who::ProducerOrHelper,
        needs: Needs::Draft,
    },
    Row {
        path: "/dashboard/listings/{id}/submit",
        who: Who::ProducerOrHelper,
        needs: Needs::Draft,
    },
    Row {
        path: "/dashboard/listings/{id}/unpublish",
        who: Who::ProducerOrHelper,
        needs: Needs::Published,
    },
    Row {
        path: "/dashboard/listings/{id}/delete",
        who: Who::ProducerOrHelper,
        needs: Needs::Draft,
    },
    Row {
        path: "/dashboard/listings/{id}/photos",
        who: Who::ProducerOrHelper,
        needs: Needs::Draft,
    },
    Row {
        path: "/dashboard/listings/{id}/photos/{photo}/earlier",
        who: Who::ProducerOrHelper,
        needs: Needs::DraftWithPhotos,
    },
    Row {
        path: "/dashboard/listings/{id}/photos/{photo}/later",
        who: Who::ProducerOrHelper,
        needs: Needs::DraftWithPhotos,
    },
    Row {
        path: "/dashboard/listings/{id}/photos/{photo}/delete",
        who: Who::ProducerOrHelper,
        needs: Needs::DraftWithPhotos,
    },
    Row {
        path: "/coop/{slug}/listings/{id}/approve",
        who: Who::CooperativeAdmin,
        needs: Needs::Pending,
    },
    Row {
        path: "/coop/{slug}/listings/{id}/reject",
        who: Who::CooperativeAdmin,
        needs: Needs::Pending,
    },
];

/// Server functions that show something private, with who may call them.
fn private_server_functions() -> Vec<(&'static str, Who, Needs)> {
    use app::pages::{admin, coop, dashboard};
    vec![
        (
            <admin::LoadOutbox as ServerFn>::PATH,
            Who::PlatformAdmin,
            Needs::Nothing,
        ),
        (
            <dashboard::LoadDashboard as ServerFn>::PATH,
            Who::HasDashboard,
            Needs::Nothing,
        ),
        (
            <dashboard::LoadListingForEdit as ServerFn>::PATH,
            Who::ProducerOrHelper,
            Needs::Draft,
        ),
        (
            <coop::LoadCoopWork as ServerFn>::PATH,
            Who::CooperativeAdmin,
            Needs::Nothing,
        ),
    ]
}

/// Server functions anyone may call: they load what every visitor sees.
fn public_server_functions() -> Vec<&'static str> {
    use app::pages::{catalog, community, cooperatives, home, listing};
    vec![
        <home::LoadHome as ServerFn>::PATH,
        <catalog::LoadCatalog as ServerFn>::PATH,
        <listing::LoadListing as ServerFn>::PATH,
        <cooperatives::LoadCooperatives as ServerFn>::PATH,
        <cooperatives::LoadCooperative as ServerFn>::PATH,
        <community::LoadCommunity as ServerFn>::PATH,
    ]
}

#[test]
fn every_endpoint_and_server_function_has_a_row() {
    let in_server: BTreeSet<String> = server::http::endpoints::mutating_endpoints()
        .into_iter()
        .map(|e| format!("{} {}", e.method, e.path))
        .collect();
    let in_matrix: BTreeSet<String> = FORMS.iter().map(|r| format!("POST {}", r.path)).collect();
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
    store::accounts::account_by_email(&app.db, &domain::Email::parse(email).unwrap())
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

/// A fresh listing of the producer, in the state the row needs, and the photo the
/// row acts on, if any.
async fn target_for(app: &TestApp, needs: Needs) -> (Option<i32>, Option<i32>) {
    let id = listing_for(app, needs).await;
    let mut photo = None;
    if let (Needs::DraftWithPhotos, Some(id)) = (needs, id) {
        for n in 0..2 {
            let key = format!("matrix{id}x{n}");
            let alt = domain::LocalizedText::default();
            photo = Some(
                store::photos::add(&app.db, id, &key, (640, 480), &alt)
                    .await
                    .unwrap(),
            );
        }
    }
    (id, photo)
}

/// A fresh listing of the producer, in the state the row needs.
async fn listing_for(app: &TestApp, needs: Needs) -> Option<i32> {
    let owner = Actor {
        account_id: demo_account_id(app, "artesana@tianguis.demo").await,
        on_behalf_of: None,
    };
    let now = Utc::now().naive_utc();
    let moves: &[ListingAction] = match needs {
        Needs::Nothing => return None,
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
/// does what it says.
fn fields_for(path: &str, n: usize) -> Vec<(String, String)> {
    let pairs: Vec<(&str, String)> = match path {
        "/sign-up" => vec![
            ("name", "Nueva Persona".into()),
            ("email", format!("nueva{n}@tianguis.test")),
            ("password", "una contraseña larga".into()),
        ],
        "/sign-in" => vec![
            ("email", "nadie@tianguis.test".into()),
            ("password", "no es la contraseña".into()),
        ],
        "/verify-email" | "/reset-password" => vec![
            ("token", "0000".into()),
            ("password", "una contraseña larga".into()),
        ],
        "/forgot-password" => vec![("email", "nadie@tianguis.test".into())],
        "/dashboard/new" | "/dashboard/listings/{id}/edit" => {
            let f = craft_fields();
            vec![
                ("category", f.category),
                ("title_es", f.title_es),
                ("summary_es", f.summary_es),
                ("price", f.price),
                ("stock", "5".into()),
            ]
        }
        "/coop/{slug}/listings/{id}/reject" => vec![("reason", "Faltan fotos".into())],
        _ => vec![],
    };
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

fn outcome_of_form(status: u16, location: &str) -> Option<Outcome> {
    match status {
        403 => Some(Outcome::Refused),
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
    for row in FORMS {
        for role in ROLES {
            n += 1;
            let client = client_for(&app, role).await;
            let (id, photo) = target_for(&app, row.needs).await;
            let mut path = row
                .path
                .replace("{slug}", COOPERATIVE)
                .replace("{id}", &id.unwrap_or_default().to_string())
                .replace("{photo}", &photo.unwrap_or_default().to_string());
            if path == "/dashboard/new" {
                path = format!("/dashboard/new?kind=craft&producer={producer}");
            }
            let request = client.post(app.url(&path));
            let request = if row.path.ends_with("/photos") {
                let file = reqwest::multipart::Part::bytes(png()).file_name("foto.png");
                request.multipart(
                    reqwest::multipart::Form::new()
                        .part("photo", file)
                        .text("alt_es", "Una foto"),
                )
            } else {
                request.form(&fields_for(row.path, n))
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
            let expected = row.who.expect(role);
            if got != Some(expected) {
                wrong.push(format!(
                    "{:?} on POST {path}: expected {expected:?}, got {status} {location}",
                    role
                ));
            }
        }
    }
    for (path, who, needs) in private_server_functions() {
        for role in ROLES {
            let client = client_for(&app, role).await;
            let id = listing_for(&app, needs).await;
            let args: Vec<(&str, String)> = match id {
                Some(id) => vec![("id", id.to_string())],
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
    assert!(
        wrong.is_empty(),
        "{} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

on_both_backends!(each_role_gets_exactly_the_access_it_should);
