//! A listing's way from a producer's dashboard to visitors, over HTTP, with the demo
//! accounts: written in two languages, submitted, approved or rejected with a reason
//! by the cooperative, and shown in the catalog only once approved. On both backends.

use crate::support;

use support::{Backend, Page, TestApp, spawn_app};

async fn rosario(app: &TestApp) -> i32 {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    store::entity::producer::Entity::find()
        .filter(store::entity::producer::Column::Slug.eq("rosario-bautista-ruiz"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

const CRAFT: &[(&str, &str)] = &[
    ("category", "textiles"),
    ("title_es", "Tapete de nubes"),
    ("title_en", "Cloud rug"),
    ("summary_es", "Lana teñida con añil y grana cochinilla"),
    ("summary_en", "Wool dyed with indigo and cochineal"),
    ("description_es", "Tejido en telar de pedal."),
    ("price", "2,400"),
    ("stock", "2"),
];

/// The id in the dashboard's edit link of the listing titled `title`.
fn listing_id(dashboard: &Page, title: &str) -> i32 {
    let item = dashboard
        .body
        .split("<li ")
        .find(|li| li.contains(title))
        .unwrap_or_else(|| panic!("{title} on the dashboard:\n{}", dashboard.body));
    let start = item.find("/dashboard/listings/").unwrap() + "/dashboard/listings/".len();
    item[start..].split('/').next().unwrap().parse().unwrap()
}

async fn a_craft_goes_from_draft_to_the_catalog_only_once_approved(backend: Backend) {
    let app = spawn_app(backend).await;
    let artesana = app.signed_in("artesana@tianguis.demo").await;
    let producer = rosario(&app).await;

    let bad = app
        .post_form(
            &artesana,
            &format!("/dashboard/new?kind=craft&producer={producer}"),
            &[("category", "pottery"), ("price", "cero"), ("stock", "dos")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.has("Escríbelo al menos en español o en inglés"),
        "{}",
        bad.body
    );
    assert!(bad.has("Escribe un número entero"));
    assert!(bad.has("value=\"dos\""), "what was typed is kept");

    let created = app
        .post_form(
            &artesana,
            &format!("/dashboard/new?kind=craft&producer={producer}"),
            CRAFT,
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    let dashboard = app.get_with(&artesana, "/dashboard", &[]).await;
    assert_eq!(dashboard.status, 200);
    assert!(dashboard.has("Borrador"));
    let id = listing_id(&dashboard, "Tapete de nubes");
    assert_eq!(
        created.location(),
        format!("/dashboard/listings/{id}/edit?done=created#photos"),
        "a new listing goes on to its photos"
    );
    let edit_form = app
        .get_with(&artesana, &format!("/dashboard/listings/{id}/edit"), &[])
        .await;
    assert!(
        edit_form.has("value=\"Cloud rug\""),
        "the edit form is filled in"
    );

    let hidden = app.get("/crafts?q=nubes").await;
    assert!(!hidden.has("Tapete de nubes"), "a draft is not public");
    assert_eq!(app.get("/crafts/tapete-de-nubes").await.status, 404);

    let submitted = app
        .post_form(&artesana, &format!("/dashboard/listings/{id}/submit"), &[])
        .await;
    assert_eq!(submitted.status, 303);
    assert!(
        !app.get("/crafts?q=nubes").await.has("Tapete de nubes"),
        "waiting for approval is not public"
    );

    let coop = app.signed_in("coop@tianguis.demo").await;
    let queue = app
        .get_with(&coop, "/coop/tejedoras-del-picacho", &[])
        .await;
    assert_eq!(queue.status, 200);
    assert!(queue.has("Tapete de nubes"));
    let no_reason = app
        .post_form(
            &coop,
            &format!("/coop/tejedoras-del-picacho/listings/{id}/reject"),
            &[("reason", "  ")],
        )
        .await;
    assert_eq!(no_reason.status, 422);
    assert!(no_reason.has("Escribe por qué"));
    let rejected = app
        .post_form(
            &coop,
            &format!("/coop/tejedoras-del-picacho/listings/{id}/reject"),
            &[("reason", "Falta decir las medidas")],
        )
        .await;
    assert_eq!(rejected.status, 303);
    let dashboard = app.get_with(&artesana, "/dashboard", &[]).await;
    assert!(dashboard.has("Rechazada"));
    assert!(
        dashboard.has("Falta decir las medidas"),
        "the producer reads why"
    );

    let fixed: Vec<(&str, &str)> = CRAFT
        .iter()
        .map(|(k, v)| {
            if *k == "description_es" {
                (*k, "Tejido en telar de pedal; mide 120 × 80 cm.")
            } else {
                (*k, *v)
            }
        })
        .collect();
    let edited = app
        .post_form(&artesana, &format!("/dashboard/listings/{id}/edit"), &fixed)
        .await;
    assert_eq!(edited.status, 303, "{}", edited.body);
    app.post_form(&artesana, &format!("/dashboard/listings/{id}/submit"), &[])
        .await;
    let approved = app
        .post_form(
            &coop,
            &format!("/coop/tejedoras-del-picacho/listings/{id}/approve"),
            &[],
        )
        .await;
    assert_eq!(approved.status, 303);

    let found = app.get("/crafts?q=nubes").await;
    assert!(found.has("Tapete de nubes"), "approved: visitors find it");
    let page = app.get("/crafts/tapete-de-nubes").await;
    assert_eq!(page.status, 200);
    assert!(page.has("120 × 80 cm"));

    let history = store::catalog::listings::history(&app.db, id)
        .await
        .unwrap();
    let actions: Vec<&str> = history.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "created",
            "submitted",
            "rejected",
            "edited",
            "submitted",
            "approved"
        ]
    );
    assert_eq!(
        history[2].reason.as_deref(),
        Some("Falta decir las medidas")
    );
}

async fn a_helpers_changes_record_on_whose_behalf_they_were_made(backend: Backend) {
    let app = spawn_app(backend).await;
    let helper = app.signed_in("ayudante@tianguis.demo").await;
    let producer = rosario(&app).await;
    let dashboard = app.get_with(&helper, "/dashboard", &[]).await;
    assert!(
        dashboard.has("Publicaciones de Rosario Bautista Ruiz"),
        "{}",
        dashboard.body
    );
    let created = app
        .post_form(
            &helper,
            &format!("/dashboard/new?kind=craft&producer={producer}"),
            CRAFT,
        )
        .await;
    assert_eq!(created.status, 303);
    let id = listing_id(
        &app.get_with(&helper, "/dashboard", &[]).await,
        "Tapete de nubes",
    );
    let history = store::catalog::listings::history(&app.db, id)
        .await
        .unwrap();
    let helper_id = store::people::accounts::account_by_email(
        &app.db,
        &domain::Email::parse("ayudante@tianguis.demo").unwrap(),
    )
    .await
    .unwrap()
    .unwrap()
    .id;
    assert_eq!(history[0].actor_account_id, helper_id);
    assert_eq!(history[0].on_behalf_of, Some(producer));

    let artesana = app.signed_in("artesana@tianguis.demo").await;
    let own = app.get_with(&artesana, "/dashboard", &[]).await;
    assert!(
        own.has("Tapete de nubes"),
        "the producer sees what her helper wrote"
    );
}

async fn stock_changes_keep_a_published_listing_public_and_text_changes_do_not(backend: Backend) {
    let app = spawn_app(backend).await;
    let artesana = app.signed_in("artesana@tianguis.demo").await;
    let coop = app.signed_in("coop@tianguis.demo").await;
    let producer = rosario(&app).await;
    app.post_form(
        &artesana,
        &format!("/dashboard/new?kind=craft&producer={producer}"),
        CRAFT,
    )
    .await;
    let id = listing_id(
        &app.get_with(&artesana, "/dashboard", &[]).await,
        "Tapete de nubes",
    );
    app.post_form(&artesana, &format!("/dashboard/listings/{id}/submit"), &[])
        .await;
    app.post_form(
        &coop,
        &format!("/coop/tejedoras-del-picacho/listings/{id}/approve"),
        &[],
    )
    .await;

    let restocked: Vec<(&str, &str)> = CRAFT
        .iter()
        .map(|(k, v)| if *k == "stock" { (*k, "7") } else { (*k, *v) })
        .collect();
    app.post_form(
        &artesana,
        &format!("/dashboard/listings/{id}/edit"),
        &restocked,
    )
    .await;
    assert_eq!(
        app.get("/crafts/tapete-de-nubes").await.status,
        200,
        "still public"
    );

    let retitled: Vec<(&str, &str)> = restocked
        .iter()
        .map(|(k, v)| {
            if *k == "title_es" {
                (*k, "Tapete de nubes grises")
            } else {
                (*k, *v)
            }
        })
        .collect();
    app.post_form(
        &artesana,
        &format!("/dashboard/listings/{id}/edit"),
        &retitled,
    )
    .await;
    assert_eq!(
        app.get("/crafts/tapete-de-nubes").await.status,
        404,
        "new words wait for the cooperative"
    );
    let deleted = app
        .post_form(&artesana, &format!("/dashboard/listings/{id}/delete"), &[])
        .await;
    assert_eq!(deleted.status, 303);
    let again = app
        .post_form(&artesana, &format!("/dashboard/listings/{id}/submit"), &[])
        .await;
    assert_eq!(again.status, 409, "a deleted listing stays deleted");
}

on_both_backends!(
    a_craft_goes_from_draft_to_the_catalog_only_once_approved,
    a_helpers_changes_record_on_whose_behalf_they_were_made,
    stock_changes_keep_a_published_listing_public_and_text_changes_do_not,
);
