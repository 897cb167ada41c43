//! Uploading a listing's photos over HTTP (multipart, as a browser sends it): good
//! files become sized WebP and JPEG files under /media, bad ones are refused with a
//! message next to the field, and photos can be reordered and removed. The decoding
//! cases themselves (EXIF orientation, GPS stripped, bombs…) are `photos`' own tests.

use crate::support;

use server::photo_store::PhotoStore;

use domain::{ListingKind, catalog::listing_form::ListingFields};
use store::catalog::listings::{self, Actor};
use support::{Backend, Page, TestApp, spawn_app, spawn_app_with};

fn png(width: u32, height: u32, shade: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, shade])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

pub(crate) fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x / 4 % 256) as u8, (y / 3 % 256) as u8, 120])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

/// The demo artisan Rosario's producer id.
pub(crate) async fn rosario(app: &TestApp) -> i32 {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    store::entity::producer::Entity::find()
        .filter(store::entity::producer::Column::Slug.eq("rosario-bautista-ruiz"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// Rosario acting for herself.
pub(crate) async fn rosario_acting(app: &TestApp) -> Actor {
    let account = store::people::accounts::account_by_email(
        &app.db,
        &domain::Email::parse("artesana@tianguis.demo").unwrap(),
    )
    .await
    .unwrap()
    .unwrap();
    Actor {
        account_id: account.id,
        on_behalf_of: None,
    }
}

pub(crate) async fn draft_of_rosario(app: &TestApp) -> i32 {
    let producer = rosario(app).await;
    let draft = ListingFields {
        category: "textiles".into(),
        title_es: "Huipil de fotos".into(),
        summary_es: "Para probar las fotos".into(),
        price: "700".into(),
        stock: "1".into(),
        ..Default::default()
    }
    .parse(ListingKind::Craft)
    .unwrap();
    listings::create(
        &app.db,
        producer,
        &draft,
        rosario_acting(app).await,
        domain::clock::now().on_site(),
    )
    .await
    .unwrap()
}

pub(crate) async fn upload(
    app: &TestApp,
    client: &reqwest::Client,
    id: i32,
    name: &str,
    bytes: Vec<u8>,
) -> Page {
    let form = reqwest::multipart::Form::new()
        .part(
            "photo",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
        )
        .text("alt_es", "Huipil bordado, de frente")
        .text("alt_en", "Embroidered huipil, front");
    let res = client
        .post(app.url(&format!("/dashboard/listings/{id}/photos")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    Page::read(res).await
}

/// The media keys of the photos on the edit page, in order.
pub(crate) fn keys(edit_page: &Page) -> Vec<String> {
    edit_page
        .body
        .split("data-key=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_owned())
        .collect()
}

async fn photos_are_uploaded_resized_reordered_and_bad_files_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let artesana = app.signed_in("artesana@tianguis.demo").await;
    let id = draft_of_rosario(&app).await;
    let edit = format!("/dashboard/listings/{id}/edit");

    let first = upload(&app, &artesana, id, "huipil.jpg", jpeg(2000, 1500)).await;
    assert_eq!(first.status, 303, "{}", first.body);
    let second = upload(&app, &artesana, id, "detalle.png", png(800, 600, 30)).await;
    assert_eq!(second.status, 303, "{}", second.body);

    let page = app.get_with(&artesana, &edit, &[]).await;
    let order = keys(&page);
    assert_eq!(order.len(), 2, "{}", page.body);
    assert!(page.has("Huipil bordado, de frente"));
    for (key, width) in [(&order[0], 1280), (&order[1], 800)] {
        let webp = app.get(&format!("/media/{key}-1280.webp")).await;
        assert_eq!(webp.status, 200);
        assert_eq!(webp.headers["content-type"], "image/webp");
        let jpg = app.get(&format!("/media/{key}-320.jpg")).await;
        assert_eq!(jpg.status, 200, "a JPEG fallback");
        let (_, decoded) = app.photo(&format!("/media/{key}-1280.webp")).await;
        assert_eq!(decoded.width(), width, "never upscaled");
    }

    let moved = app
        .post_form(
            &artesana,
            &format!(
                "/dashboard/listings/{id}/photos/{}/earlier",
                photo_id(&app, id, 1).await
            ),
            &[],
        )
        .await;
    assert_eq!(moved.status, 303);
    let reordered = keys(&app.get_with(&artesana, &edit, &[]).await);
    assert_eq!(
        reordered,
        [order[1].clone(), order[0].clone()],
        "the second is the cover now"
    );

    let text = upload(
        &app,
        &artesana,
        id,
        "foto.jpg",
        b"hola, no soy una foto".to_vec(),
    )
    .await;
    assert_eq!(text.status, 422);
    assert!(text.has("Este archivo no es una foto"), "{}", text.body);
    assert!(
        text.has("value=\"Huipil bordado, de frente\""),
        "the description is kept"
    );
    let mut heic = vec![0, 0, 0, 24];
    heic.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
    let heic = upload(&app, &artesana, id, "IMG_0001.HEIC", heic).await;
    assert_eq!(heic.status, 422);
    assert!(heic.has("No aceptamos imágenes HEIC"));
    let mut cut = jpeg(600, 400);
    cut.truncate(cut.len() / 2);
    let cut = upload(&app, &artesana, id, "cortada.jpg", cut).await;
    assert_eq!(cut.status, 422);
    assert!(cut.has("dañada o incompleta"));
    let again = upload(&app, &artesana, id, "huipil.jpg", jpeg(2000, 1500)).await;
    assert_eq!(again.status, 422);
    assert!(again.has("ya se subió"));

    let removed = app
        .post_form(
            &artesana,
            &format!(
                "/dashboard/listings/{id}/photos/{}/delete",
                photo_id(&app, id, 0).await
            ),
            &[],
        )
        .await;
    assert_eq!(removed.status, 303);
    assert_eq!(
        keys(&app.get_with(&artesana, &edit, &[]).await),
        [order[0].clone()]
    );
    let left = store::catalog::photos::of_listing(&app.db, id)
        .await
        .unwrap();
    let cover = {
        use sea_orm::EntityTrait;
        store::entity::photo::Entity::find_by_id(left[0].id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
    };
    assert_eq!(cover.position, 0, "the photo left is the cover");

    let stranger = app.signed_in("productor@tianguis.demo").await;
    let refused = upload(&app, &stranger, id, "otra.png", png(300, 200, 200)).await;
    assert_eq!(refused.status, 403, "only the producer or her helper");
}

async fn photo_id(app: &TestApp, listing: i32, position: usize) -> i32 {
    store::catalog::photos::of_listing(&app.db, listing)
        .await
        .unwrap()[position]
        .id
}

/// A photo stored before the 960 px rendition existed: its page names the file, the
/// 1280 px one stands in for it (cached an hour only), and the task that makes the
/// missing renditions makes it, once.
async fn a_photo_stored_before_the_960_rendition_existed_gets_it(backend: Backend) {
    let media = support::scratch_dir().join(format!("older-photos-{}", std::process::id()));
    let media = media.join(format!("{backend:?}"));
    std::fs::create_dir_all(&media).unwrap();
    let app = spawn_app_with(backend, |c| c.media_dir = media.clone()).await;
    let ingested = photos::ingest(&jpeg(2000, 1500)).unwrap();
    let key = photos::content_key(b"an older photo");
    for d in ingested
        .derivatives
        .iter()
        .filter(|d| d.nominal_width != 960)
    {
        std::fs::write(media.join(d.file_name(&key)), &d.bytes).unwrap();
    }

    let (headers, stand_in) = app.photo(&format!("/media/{key}-960.webp")).await;
    assert_eq!(headers["cache-control"], "public, max-age=3600");
    assert_eq!(stand_in.width(), 1280);
    let jpeg_stand_in = app.get(&format!("/media/{key}-960.jpg")).await;
    assert_eq!(jpeg_stand_in.status, 200);
    assert_eq!(jpeg_stand_in.headers["content-type"], "image/jpeg");

    let made =
        server::tasks::photos::add_missing_renditions(PhotoStore::Folder(media.clone())).await;
    assert_eq!(made, 1, "the one photo without it");
    let again =
        server::tasks::photos::add_missing_renditions(PhotoStore::Folder(media.clone())).await;
    assert_eq!(again, 0, "made once");
    for extension in ["webp", "jpg"] {
        let (headers, decoded) = app.photo(&format!("/media/{key}-960.{extension}")).await;
        assert!(
            headers["cache-control"]
                .to_str()
                .unwrap()
                .contains("immutable")
        );
        assert_eq!((decoded.width(), decoded.height()), (960, 720));
    }
    assert_eq!(app.get("/media/..%2F..%2Fetc-960.webp").await.status, 404);
}

/// The new-listing form takes a first photo with it (as an upload): the listing is
/// made with it, its size and made-to-order days as typed; a file that is not a photo
/// sends the form back with what was typed, and no listing is made.
async fn a_new_listing_takes_its_first_photo_with_its_form(backend: Backend) {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let app = spawn_app(backend).await;
    let artesana = app.signed_in("artesana@tianguis.demo").await;
    let producer = rosario(&app).await;
    let form = |photo: Vec<u8>| {
        reqwest::multipart::Form::new()
            .text("category", "textiles")
            .text("title_es", "Rebozo con foto")
            .text("summary_es", "Tejido en telar de cintura")
            .text("price", "1800")
            .text("stock", "0")
            .text("made_to_order", "on")
            .text("lead_days", "30")
            .text("width_cm", "70")
            .text("height_cm", "200")
            .text("depth_cm", "1")
            .part(
                "photo",
                reqwest::multipart::Part::bytes(photo).file_name("rebozo.jpg"),
            )
            .text("alt_es", "Rebozo extendido")
    };
    let post = |form: reqwest::multipart::Form| {
        artesana
            .post(app.url(&format!("/dashboard/new?kind=craft&producer={producer}")))
            .multipart(form)
            .send()
    };
    let made = || {
        store::entity::listing::Entity::find()
            .filter(store::entity::listing::Column::TitleEs.eq("Rebozo con foto"))
            .count(&app.db)
    };

    let refused = Page::read(post(form(b"not a photo".to_vec())).await.unwrap()).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.has("no es una foto"), "{}", refused.body);
    assert!(
        refused.has("value=\"Rebozo con foto\""),
        "what was typed stays"
    );
    assert_eq!(made().await.unwrap(), 0, "no listing without its photo");

    let created = Page::read(post(form(jpeg(1600, 1200))).await.unwrap()).await;
    assert_eq!(created.status, 303, "{}", created.body);
    let edit = created.location().split('#').next().unwrap().to_owned();
    assert!(edit.ends_with("/edit?done=created"), "{edit}");
    let page = app.get_with(&artesana, &edit, &[]).await;
    assert_eq!(keys(&page).len(), 1, "the first photo came with the form");
    assert!(page.has("Rebozo extendido"));
    assert!(
        page.has("value=\"200\"") && page.has("value=\"30\"") && page.has("checked"),
        "its size and made-to-order days, as typed"
    );
}

/// With `TIANGUIS_MEDIA_URL=s3://…` photos go to the bucket (on a real S3-protocol
/// server: moto's), not to the server's folder, and the server streams them from it
/// under /media with the same headers: type, length, cache policy, an ETag answered
/// with 304; a 960 px rendition older photos lack is stood in for, then made in the
/// bucket; and a name that is not a photo's never reaches the bucket.
async fn photos_kept_in_a_bucket_are_served_from_it(backend: Backend) {
    let s3 = support::s3::s3_server("tianguis-photos").await;
    let media =
        support::scratch_dir().join(format!("bucket-media-{}-{backend:?}", std::process::id()));
    std::fs::create_dir_all(&media).unwrap();
    let app = spawn_app_with(backend, |c| {
        c.media_dir = media.clone();
        c.media_url = Some("s3://tianguis-photos/media".to_owned());
        c.media_settings = s3.settings();
    })
    .await;
    let bucket = s3.photo_store("s3://tianguis-photos/media");
    let artesana = app.signed_in("artesana@tianguis.demo").await;
    let id = draft_of_rosario(&app).await;

    let uploaded = upload(&app, &artesana, id, "huipil.jpg", jpeg(2000, 1500)).await;
    assert_eq!(uploaded.status, 303, "{}", uploaded.body);
    let page = app
        .get_with(&artesana, &format!("/dashboard/listings/{id}/edit"), &[])
        .await;
    let key = keys(&page).remove(0);
    let file = format!("{key}-1280.webp");
    assert!(
        bucket.has(&file).await.unwrap(),
        "the object is in the bucket"
    );
    assert!(!media.join(&file).exists(), "and not on the server's disk");

    let (headers, decoded) = app.photo(&format!("/media/{file}")).await;
    assert_eq!(decoded.width(), 1280);
    assert_eq!(headers["content-type"], "image/webp");
    assert!(
        headers["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    let stored = bucket.read(&file).await.unwrap().unwrap();
    assert_eq!(headers["content-length"], stored.len().to_string().as_str());
    let e_tag = headers["etag"].to_str().unwrap().to_owned();
    let again = app
        .get_with(
            &support::browser(),
            &format!("/media/{file}"),
            &[("if-none-match", &e_tag)],
        )
        .await;
    assert_eq!(again.status, 304, "the browser's copy is still good");

    // A photo kept before the 960 px rendition existed.
    let older = photos::content_key(b"an older photo in the bucket");
    for d in photos::ingest(&jpeg(2000, 1500))
        .unwrap()
        .derivatives
        .into_iter()
        .filter(|d| d.nominal_width != 960)
    {
        bucket.put(&d.file_name(&older), d.bytes).await.unwrap();
    }
    let (headers, stand_in) = app.photo(&format!("/media/{older}-960.webp")).await;
    assert_eq!(headers["cache-control"], "public, max-age=3600");
    assert_eq!(stand_in.width(), 1280);
    let made = server::tasks::photos::add_missing_renditions(bucket.clone()).await;
    assert_eq!(made, 1, "made in the bucket");
    let (_, made) = app.photo(&format!("/media/{older}-960.jpg")).await;
    assert_eq!(made.width(), 960);

    assert_eq!(app.get("/media/nothing-here-320.webp").await.status, 404);
    assert_eq!(app.get("/media/..%2F..%2Fetc-960.webp").await.status, 404);
    let odd = app.get("/media/index.html").await;
    assert_eq!(odd.status, 404);
    assert!(!odd.body.is_empty(), "said in words");
}

/// With `TIANGUIS_MEDIA_PUBLIC_URL` pages point photos at a CDN or a public bucket
/// (the server never sees those requests), and the page's policy lets that origin's
/// images in. (A server process of its own: the address is set once per process.)
async fn pages_point_photos_at_the_public_media_url_when_one_is_set(backend: Backend) {
    let app = spawn_app(backend).await;
    let cdn = support::process::server_process(
        &app.database_url,
        &[(
            "TIANGUIS_MEDIA_PUBLIC_URL",
            "https://cdn.tianguis.test/media/",
        )],
    )
    .await;
    let res = reqwest::get(format!("{}/crafts/{}", cdn.address, support::orders::RUG))
        .await
        .unwrap();
    let policy = res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let page = res.text().await.unwrap();
    assert!(
        page.contains("src=\"https://cdn.tianguis.test/media/tapete-diamante-zapoteco-indigo-"),
        "{page}"
    );
    assert!(!page.contains("src=\"/media/"), "no photo from this server");
    assert!(
        page.contains("content=\"https://cdn.tianguis.test/media/"),
        "the link preview's image too"
    );
    assert!(
        policy.contains("img-src 'self' data: https://cdn.tianguis.test;"),
        "{policy}"
    );
}

on_both_backends!(
    photos_kept_in_a_bucket_are_served_from_it,
    pages_point_photos_at_the_public_media_url_when_one_is_set,
    a_new_listing_takes_its_first_photo_with_its_form,
    photos_are_uploaded_resized_reordered_and_bad_files_refused,
    a_photo_stored_before_the_960_rendition_existed_gets_it
);
