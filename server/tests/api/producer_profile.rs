//! A producer's public profile over HTTP: its texts and one photo, edited by the
//! producer or by the helper entrusted with them, shown next to their listings and on
//! their cooperative's page, and recorded with who made each change. On both backends.

use crate::support;

use support::{Backend, Page, TestApp, browser, spawn_app};

async fn producer(app: &TestApp, slug: &str) -> i32 {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    store::entity::producer::Entity::find()
        .filter(store::entity::producer::Column::Slug.eq(slug))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// A real JPEG, drawn here.
fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x / 3 % 256) as u8, (y / 2 % 256) as u8, 90])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

async fn upload(app: &TestApp, client: &reqwest::Client, path: &str, bytes: Vec<u8>) -> Page {
    let file = reqwest::multipart::Part::bytes(bytes).file_name("yo.jpg");
    let res = client
        .post(app.url(path))
        .multipart(reqwest::multipart::Form::new().part("photo", file))
        .send()
        .await
        .unwrap();
    Page::read(res).await
}

/// The media key of the first profile photo on a page.
fn avatar_key(page: &Page) -> Option<String> {
    let item = page.body.split("class=\"avatar\"").nth(1)?;
    let start = item.find("/media/")? + "/media/".len();
    item[start..].split('-').next().map(str::to_owned)
}

async fn a_producer_writes_her_profile_and_adds_her_photo(backend: Backend) {
    let app = spawn_app(backend).await;
    let rosario = producer(&app, "rosario-bautista-ruiz").await;
    let artesana = app.signed_in("artesana@tianguis.demo").await;
    let path = format!("/dashboard/producers/{rosario}/profile");

    let dashboard = app.get_with(&artesana, "/dashboard", &[]).await;
    assert!(dashboard.has(&path), "the dashboard links to the profile");
    let form = app.get_with(&artesana, &path, &[]).await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(form.has("value=\"Rosario Bautista Ruiz\""));

    let bad = app
        .post_form(
            &artesana,
            &path,
            &[("name", " "), ("bio_es", "Tejo desde niña.")],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.has("Tejo desde niña."), "what was typed is kept");
    assert!(bad.has("aria-invalid=\"true\""));

    let saved = app
        .post_form(
            &artesana,
            &path,
            &[
                ("name", "Rosario Bautista Ruiz"),
                ("specialty_es", "Tapetes con grana cochinilla"),
                ("specialty_en", "Cochineal-dyed rugs"),
                ("bio_es", "Tejo desde niña en el telar de mi abuela."),
                (
                    "bio_en",
                    "I have woven since I was a girl, on my grandmother's loom.",
                ),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let craft = app
        .get_in("en", "/crafts/tapete-greca-de-mitla-grana")
        .await;
    assert!(
        craft.has("on my grandmother&#x27;s loom") || craft.has("on my grandmother's loom"),
        "{}",
        craft.body
    );
    assert_eq!(avatar_key(&craft), None, "no photo yet");

    let refused = upload(
        &app,
        &artesana,
        &format!("/dashboard/producers/{rosario}/photo"),
        b"hola".to_vec(),
    )
    .await;
    assert_eq!(refused.status, 422);
    assert!(refused.has("field-error"), "{}", refused.body);

    let uploaded = upload(
        &app,
        &artesana,
        &format!("/dashboard/producers/{rosario}/photo"),
        jpeg(900, 1200),
    )
    .await;
    assert_eq!(uploaded.status, 303, "{}", uploaded.body);
    let craft = app.get("/crafts/tapete-greca-de-mitla-grana").await;
    let key = avatar_key(&craft).expect("her photo next to her listing");
    let coop = app.get("/cooperatives/tejedoras-del-picacho").await;
    assert_eq!(avatar_key(&coop).as_deref(), Some(key.as_str()));
    let file = app.get(&format!("/media/{key}-320.webp")).await;
    assert_eq!(file.status, 200);
    assert_eq!(
        file.headers["cache-control"], "public, max-age=31536000, immutable",
        "named by its content: it never changes"
    );
    let demo = app
        .get("/media/tapete-greca-de-mitla-grana-1-320.webp")
        .await;
    assert_eq!(demo.status, 200, "a demo photo");
    assert_eq!(demo.headers["cache-control"], "public, max-age=604800");
    assert!(
        craft.has("width=\"640\" height=\"853\""),
        "sized, no layout shift"
    );

    let removed = app
        .post_form(
            &artesana,
            &format!("/dashboard/producers/{rosario}/photo/delete"),
            &[],
        )
        .await;
    assert_eq!(removed.status, 303);
    let craft = app.get("/crafts/tapete-greca-de-mitla-grana").await;
    assert_eq!(avatar_key(&craft), None);
}

async fn a_helper_edits_the_profile_on_the_producers_behalf_and_it_is_recorded(backend: Backend) {
    let app = spawn_app(backend).await;
    let juana = producer(&app, "juana-gutierrez-lazo").await;
    let path = format!("/dashboard/producers/{juana}/profile");
    let helper = app.signed_in("ayudante@tianguis.demo").await;
    let saved = app
        .post_form(
            &helper,
            &path,
            &[
                ("name", "Juana Gutiérrez Lazo"),
                ("specialty_es", "Tapetes en índigo"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let coop = app.get("/cooperatives/tejedoras-del-picacho").await;
    assert!(coop.has("Tapetes en índigo"), "{}", coop.body);

    let admin = app.signed_in("coop@tianguis.demo").await;
    let members = app
        .get_with(&admin, "/coop/tejedoras-del-picacho/members", &[])
        .await;
    assert!(
        members.has("Marcos Ayudante cambió el perfil público de Juana Gutiérrez Lazo"),
        "{}",
        members.body
    );

    let stranger = app.signed_in("productor@tianguis.demo").await;
    let refused = app.post_form(&stranger, &path, &[("name", "Otra")]).await;
    assert_eq!(refused.status, 403);
    let page = app.get_with(&stranger, &path, &[]).await;
    assert_eq!(page.status, 403);
    let anonymous = app.get_with(&browser(), &path, &[]).await;
    assert_eq!(anonymous.status, 303, "sent to sign in");
}

on_both_backends!(
    a_producer_writes_her_profile_and_adds_her_photo,
    a_helper_edits_the_profile_on_the_producers_behalf_and_it_is_recorded,
);
