//! A cooperative admin managing the cooperative's people over HTTP, with the demo
//! accounts: inviting a producer by email (who signs up from the link and joins),
//! withdrawing an invitation, removing a member (whose listings leave the catalog),
//! entrusting a producer's listings to a helper and taking that back, and editing the
//! cooperative's public profile. Every change shows in the cooperative's record. On
//! both backends.

use crate::support;

use support::{Backend, Page, TestApp, browser, spawn_app};

const COOP: &str = "/coop/tejedoras-del-picacho";
const COOP_NAME: &str = "Cooperativa de Tejedoras del Picacho";

/// The path of the newest invitation link emailed to `to` (links point at the
/// configured public URL, not the test server).
async fn invitation_link(app: &TestApp, to: &str) -> String {
    let outbox = store::outbox::newest(&app.db, 100).await.unwrap();
    let email = outbox
        .iter()
        .find(|e| e.to == to)
        .unwrap_or_else(|| panic!("an email to {to} in the outbox: {outbox:?}"));
    let start = email
        .body
        .find("http://tianguis.test/invitations/")
        .unwrap_or_else(|| panic!("an invitation link in: {}", email.body))
        + "http://tianguis.test".len();
    email.body[start..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}

/// The id in the first `/{what}/{id}/` path of the list item that mentions `text`.
fn id_in_item(page: &Page, text: &str, what: &str) -> i32 {
    let item = page
        .body
        .split("<li ")
        .find(|li| li.contains(text))
        .unwrap_or_else(|| panic!("{text} on the page:\n{}", page.body));
    let marker = format!("/{what}/");
    let start = item
        .find(&marker)
        .unwrap_or_else(|| panic!("a {marker} link in {item}"))
        + marker.len();
    item[start..].split('/').next().unwrap().parse().unwrap()
}

async fn an_invited_artisan_signs_up_from_the_link_and_joins(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.signed_in("coop@tianguis.demo").await;

    let bad = app
        .post_form(
            &admin,
            &format!("{COOP}/invitations"),
            &[("email", "ana@"), ("role", "jefa"), ("email_lang", "es")],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.has("Elige una de las opciones"), "{}", bad.body);
    assert!(bad.has("value=\"ana@\""), "what was typed is kept");

    let sent = app
        .post_form(
            &admin,
            &format!("{COOP}/invitations"),
            &[
                ("email", "Ana@Ejemplo.MX"),
                ("role", "artisan"),
                ("email_lang", "en"),
            ],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    assert_eq!(sent.location(), format!("{COOP}/members?done=invited"));
    let members = app.get_with(&admin, &format!("{COOP}/members"), &[]).await;
    assert!(
        members.has("Invitaciones sin respuesta"),
        "{}",
        members.body
    );
    assert!(members.has("data-email=\"ana@ejemplo.mx\""));

    let outbox = store::outbox::newest(&app.db, 100).await.unwrap();
    let email = outbox.iter().find(|e| e.to == "ana@ejemplo.mx").unwrap();
    assert_eq!(
        email.subject,
        format!("{COOP_NAME} invites you to Tianguis"),
        "written in the language the admin chose"
    );
    let link = invitation_link(&app, "ana@ejemplo.mx").await;

    let ana = browser();
    let invited = app
        .get_with(&ana, &link, &[("accept-language", "es")])
        .await;
    assert_eq!(invited.status, 200, "{}", invited.body);
    assert!(invited.has(&format!("Invitación de {COOP_NAME}")));
    assert!(invited.has("ana@ejemplo.mx"));
    let next = domain::catalog::filter::percent_encode(&link);
    assert!(
        invited.has(&format!("/sign-up?next={next}")),
        "{}",
        invited.body
    );

    let signed_up = app
        .post_form(
            &ana,
            &format!("/sign-up?next={next}"),
            &[
                ("name", "Ana López"),
                ("email", "ana@ejemplo.mx"),
                ("password", "grana cochinilla 1"),
                ("next", &link),
            ],
        )
        .await;
    assert_eq!(signed_up.status, 303, "{}", signed_up.body);
    assert_eq!(signed_up.location(), link, "back to the invitation");

    let before = app.get_with(&ana, "/dashboard", &[]).await;
    assert!(
        !before.has("/dashboard/new?kind=craft"),
        "not a producer before joining"
    );
    let joined = app.post_form(&ana, &link, &[]).await;
    assert_eq!(joined.status, 303, "{}", joined.body);
    assert_eq!(joined.location(), "/dashboard?done=joined");
    let dashboard = app.get_with(&ana, "/dashboard?done=joined", &[]).await;
    assert_eq!(dashboard.status, 200, "{}", dashboard.body);
    assert!(
        dashboard.has("Ya eres parte de la cooperativa"),
        "{}",
        dashboard.body
    );
    assert!(
        dashboard.has("/dashboard/new?kind=craft"),
        "{}",
        dashboard.body
    );

    let again = app.post_form(&ana, &link, &[]).await;
    assert_eq!(again.status, 410, "a link works once");
    assert!(
        again.has("Esta invitación ya fue aceptada"),
        "{}",
        again.body
    );

    let members = app.get_with(&admin, &format!("{COOP}/members"), &[]).await;
    assert!(members.has("Ana López"));
    assert!(!members.has("Invitaciones sin respuesta"), "none left open");
    assert!(members.has("Ana López se unió a la cooperativa"));
    assert!(members.has("invitó a ana@ejemplo.mx"));
    let public = app.get("/cooperatives/tejedoras-del-picacho").await;
    assert!(public.has("Ana López"), "her profile is public");
}

async fn an_invitation_works_only_for_its_address_and_until_withdrawn(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.signed_in("coop@tianguis.demo").await;
    let sent = app
        .post_form(
            &admin,
            &format!("{COOP}/invitations"),
            &[
                ("email", "visita@tianguis.demo"),
                ("role", "guide"),
                ("email_lang", "es"),
            ],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let link = invitation_link(&app, "visita@tianguis.demo").await;

    let stranger = app.signed_in("productor@tianguis.demo").await;
    let wrong = app.post_form(&stranger, &link, &[]).await;
    assert_eq!(wrong.status, 403);
    assert!(
        wrong.has("Esta invitación se envió a visita@tianguis.demo"),
        "{}",
        wrong.body
    );
    let anonymous = app.post_form(&browser(), &link, &[]).await;
    assert_eq!(anonymous.status, 303);
    assert!(anonymous.location().starts_with("/sign-in?next="));

    let members = app.get_with(&admin, &format!("{COOP}/members"), &[]).await;
    let id = id_in_item(
        &members,
        "data-email=\"visita@tianguis.demo\"",
        "invitations",
    );
    let withdrawn = app
        .post_form(&admin, &format!("{COOP}/invitations/{id}/withdraw"), &[])
        .await;
    assert_eq!(withdrawn.status, 303, "{}", withdrawn.body);
    let twice = app
        .post_form(&admin, &format!("{COOP}/invitations/{id}/withdraw"), &[])
        .await;
    assert_eq!(twice.status, 409, "already withdrawn");

    let visitor = app.signed_in("visita@tianguis.demo").await;
    let page = app.get_with(&visitor, &link, &[]).await;
    assert!(
        page.has("La cooperativa retiró esta invitación"),
        "{}",
        page.body
    );
    let late = app.post_form(&visitor, &link, &[]).await;
    assert_eq!(late.status, 410);

    let member = app
        .post_form(
            &admin,
            &format!("{COOP}/invitations"),
            &[
                ("email", "artesana@tianguis.demo"),
                ("role", "artisan"),
                ("email_lang", "es"),
            ],
        )
        .await;
    assert_eq!(member.status, 409);
    assert!(member.has("ya es integrante"), "{}", member.body);
    let unknown = app.get("/invitations/no-such-token").await;
    assert_eq!(unknown.status, 404);

    // Fourteen days later a link no longer works.
    let sent = app
        .post_form(
            &admin,
            &format!("{COOP}/invitations"),
            &[
                ("email", "visita@tianguis.demo"),
                ("role", "artisan"),
                ("email_lang", "es"),
            ],
        )
        .await;
    assert_eq!(sent.status, 303, "invited again after the withdrawal");
    let link = invitation_link(&app, "visita@tianguis.demo").await;
    {
        use sea_orm::{EntityTrait, sea_query::Expr};
        use store::entity::invitation;
        invitation::Entity::update_many()
            .col_expr(
                invitation::Column::ExpiresAt,
                Expr::val((app.now - chrono::Duration::minutes(1)).naive()),
            )
            .exec(&app.db)
            .await
            .unwrap();
    }
    let page = app.get_with(&visitor, &link, &[]).await;
    assert!(page.has("Esta invitación venció"), "{}", page.body);
    let late = app.post_form(&visitor, &link, &[]).await;
    assert_eq!(late.status, 410);
    let members = app.get_with(&admin, &format!("{COOP}/members"), &[]).await;
    assert!(
        members.has("data-email=\"visita@tianguis.demo\""),
        "an expired invitation stays listed, to be sent again"
    );
}

async fn a_removed_producer_leaves_the_catalog_and_the_last_admin_stays(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.signed_in("coop@tianguis.demo").await;
    let shop = app.get("/cooperatives/tejedoras-del-picacho").await;
    assert!(shop.has("Rosario Bautista Ruiz"));
    const HER_CRAFT: &str = "/crafts/tapete-greca-de-mitla-grana";
    assert_eq!(
        app.get(HER_CRAFT).await.status,
        200,
        "Rosario's craft is public"
    );

    let members = app.get_with(&admin, &format!("{COOP}/members"), &[]).await;
    assert_eq!(members.status, 200, "{}", members.body);
    // Rosario also helps Juana with her listings, until she leaves.
    let juana = producer_option(&members, "Juana");
    let helps = entrust(&app, &admin, "artesana@tianguis.demo", juana).await;
    assert_eq!(helps.status, 303, "{}", helps.body);
    let artesana = app.signed_in("artesana@tianguis.demo").await;
    assert!(
        app.get_with(&artesana, "/dashboard", &[])
            .await
            .has("Juana")
    );
    let members = app.get_with(&admin, &format!("{COOP}/members"), &[]).await;
    assert!(
        members.has("Rosario Bautista Ruiz ayuda a"),
        "{}",
        members.body
    );
    let rosario = id_in_item(&members, "data-email=\"artesana@tianguis.demo\"", "members");
    let removed = app
        .post_form(&admin, &format!("{COOP}/members/{rosario}/remove"), &[])
        .await;
    assert_eq!(removed.status, 303, "{}", removed.body);
    assert_eq!(removed.location(), format!("{COOP}/members?done=removed"));

    let shop = app.get("/cooperatives/tejedoras-del-picacho").await;
    assert!(
        !shop.has("Rosario Bautista Ruiz"),
        "no longer shown as a member"
    );
    assert_eq!(
        app.get(HER_CRAFT).await.status,
        404,
        "her listings left the catalog"
    );
    let dashboard = app.get_with(&artesana, "/dashboard", &[]).await;
    assert!(
        !dashboard.has("/dashboard/new?kind=craft"),
        "{}",
        dashboard.body
    );
    assert!(!dashboard.has("Juana"), "her grant as a helper ended too");
    let members = app.get_with(&admin, &format!("{COOP}/members"), &[]).await;
    assert!(members.has("quitó a Rosario Bautista Ruiz de la cooperativa"));
    assert!(
        !members.has("ayuda a Rosario"),
        "her helper's grant ended with her membership"
    );
    assert!(
        !members.has("Rosario Bautista Ruiz ayuda a"),
        "and so did the one she held"
    );

    let me = id_in_item(&members, "data-email=\"coop@tianguis.demo\"", "members");
    let last = app
        .post_form(&admin, &format!("{COOP}/members/{me}/remove"), &[])
        .await;
    assert_eq!(last.status, 409);
    assert!(
        last.has("al menos una persona que la administre"),
        "{}",
        last.body
    );
    let elsewhere = app
        .post_form(&admin, "/coop/telar-de-grana/members/1/remove", &[])
        .await;
    assert_eq!(elsewhere.status, 403, "another cooperative's members");
}

async fn a_helper_is_entrusted_with_a_producer_and_then_not(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.signed_in("coop@tianguis.demo").await;
    let members = app.get_with(&admin, &format!("{COOP}/members"), &[]).await;
    // The helper form offers the cooperative's producers by id.
    let juana = producer_option(&members, "Juana");

    let nobody = entrust(&app, &admin, "nadie@tianguis.test", juana).await;
    assert_eq!(nobody.status, 422);
    assert!(
        nobody.has("Ninguna cuenta usa este correo"),
        "{}",
        nobody.body
    );

    let visitor = app.signed_in("visita@tianguis.demo").await;
    assert!(
        !app.get_with(&visitor, "/dashboard", &[]).await.has("Juana"),
        "not her helper yet"
    );
    let granted = entrust(&app, &admin, "visita@tianguis.demo", juana).await;
    assert_eq!(granted.status, 303, "{}", granted.body);
    let dashboard = app.get_with(&visitor, "/dashboard", &[]).await;
    assert!(dashboard.has("Juana"), "{}", dashboard.body);
    let twice = entrust(&app, &admin, "visita@tianguis.demo", juana).await;
    assert_eq!(twice.status, 422);
    assert!(twice.has("Esta persona ya ayuda"), "{}", twice.body);

    let members = app.get_with(&admin, &format!("{COOP}/members"), &[]).await;
    let grant = id_in_item(&members, "Valeria Visitante ayuda a", "helpers");
    let revoked = app
        .post_form(&admin, &format!("{COOP}/helpers/{grant}/revoke"), &[])
        .await;
    assert_eq!(revoked.status, 303, "{}", revoked.body);
    assert!(!app.get_with(&visitor, "/dashboard", &[]).await.has("Juana"));
    let members = app.get_with(&admin, &format!("{COOP}/members"), &[]).await;
    assert!(
        members.has("quitó el permiso de ayudante"),
        "{}",
        members.body
    );
}

/// Entrusting a producer to an account whose email is not verified makes the role
/// wait; the admin can withdraw it; a password reset through the emailed link
/// proves the address as well as the verification link, and the role starts.
async fn a_helper_entrusted_before_proving_their_email_helps_once_they_do(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.signed_in("coop@tianguis.demo").await;
    let members = app.get_with(&admin, &format!("{COOP}/members"), &[]).await;
    let juana = producer_option(&members, "Juana");
    let ana = browser();
    let signed_up = app
        .sign_up(&ana, "Ana López", "ana@tejedoras.mx", "grana cochinilla 1")
        .await;
    assert_eq!(signed_up.status, 303, "{}", signed_up.body);

    let waits = entrust(&app, &admin, "ana@tejedoras.mx", juana).await;
    assert_eq!(waits.status, 303, "{}", waits.body);
    assert_eq!(
        waits.location(),
        format!("{COOP}/members?done=helper-waits")
    );
    let page = app.get_with(&admin, waits.location(), &[]).await;
    assert!(page.has("todavía no confirma su correo"), "{}", page.body);
    assert!(page.has("Esperan confirmar su correo"));
    assert!(
        page.has("dio permiso de ayudante en cuanto confirme su correo: Ana López → Juana"),
        "{}",
        page.body
    );
    assert!(!app.get_with(&ana, "/dashboard", &[]).await.has("Juana"));
    let twice = entrust(&app, &admin, "ana@tejedoras.mx", juana).await;
    assert_eq!(twice.status, 422, "{}", twice.body);
    assert!(twice.has("Ya le diste este papel"), "{}", twice.body);

    let waiting = id_in_item(&page, "data-email=\"ana@tejedoras.mx\"", "waiting");
    let withdrawn = app
        .post_form(&admin, &format!("{COOP}/waiting/{waiting}/withdraw"), &[])
        .await;
    assert_eq!(withdrawn.status, 303, "{}", withdrawn.body);
    let page = app.get_with(&admin, withdrawn.location(), &[]).await;
    assert!(page.has("ese papel ya no espera a nadie"), "{}", page.body);
    assert!(!page.has("Esperan confirmar su correo"));
    assert!(page.has("retiró el papel que esperaba a Ana López"));
    let again = app
        .post_form(&admin, &format!("{COOP}/waiting/{waiting}/withdraw"), &[])
        .await;
    assert_eq!(again.status, 404, "once");

    let waits = entrust(&app, &admin, "ana@tejedoras.mx", juana).await;
    assert_eq!(
        waits.location(),
        format!("{COOP}/members?done=helper-waits")
    );
    let asked = app
        .post_form(
            &browser(),
            "/forgot-password",
            &[("email", "ana@tejedoras.mx")],
        )
        .await;
    assert_eq!(asked.status, 303, "{}", asked.body);
    let link = app
        .link_emailed_to("ana@tejedoras.mx", "/reset-password?token=")
        .await;
    let token = link.split("token=").nth(1).unwrap();
    let reset = app
        .post_form(
            &browser(),
            "/reset-password",
            &[("token", token), ("password", "añil y cochinilla 2")],
        )
        .await;
    assert_eq!(reset.status, 303, "{}", reset.body);
    let ana = browser();
    app.sign_in(&ana, "ana@tejedoras.mx", "añil y cochinilla 2")
        .await;
    let dashboard = app.get_with(&ana, "/dashboard", &[]).await;
    assert!(dashboard.has("Juana"), "{}", dashboard.body);
    let page = app.get_with(&admin, &format!("{COOP}/members"), &[]).await;
    assert!(!page.has("Esperan confirmar su correo"), "{}", page.body);
    assert!(page.has("Ana López ayuda a"));
}

/// The admin's post of the helper form: `email` may manage `producer`'s listings.
async fn entrust(app: &TestApp, admin: &reqwest::Client, email: &str, producer: i32) -> Page {
    let producer = producer.to_string();
    let fields = [("helper_email", email), ("producer", producer.as_str())];
    app.post_form(admin, &format!("{COOP}/helpers"), &fields)
        .await
}

/// The value of the helper form's option labelled with `name`.
fn producer_option(page: &Page, name: &str) -> i32 {
    let option = page
        .body
        .split("<option ")
        .skip(1)
        .map(|o| o.split("</option>").next().unwrap_or_default())
        .find(|o| o.contains(name))
        .unwrap_or_else(|| panic!("an option for {name}:\n{}", page.body));
    let start = option.find("value=\"").unwrap() + "value=\"".len();
    option[start..].split('"').next().unwrap().parse().unwrap()
}

async fn the_cooperative_profile_is_edited_by_its_admin_only(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.signed_in("coop@tianguis.demo").await;
    let form = app.get_with(&admin, &format!("{COOP}/profile"), &[]).await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(form.has(&format!("value=\"{COOP_NAME}\"")));

    let bad = app
        .post_form(
            &admin,
            &format!("{COOP}/profile"),
            &[
                ("name", " "),
                ("contact_email", "coop@"),
                ("contact_phone", "llámame"),
                ("year_founded", "2999"),
                ("story_es", "Una historia nueva"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.has("Escribe solo números"), "{}", bad.body);
    assert!(bad.has("Una historia nueva"), "what was typed is kept");

    let saved = app
        .post_form(
            &admin,
            &format!("{COOP}/profile"),
            &[
                ("name", COOP_NAME),
                ("story_es", "Tejemos desde 1985 en telar de cintura."),
                ("story_en", "We have woven on backstrap looms since 1985."),
                ("contact_email", "hola@tejedoras.mx"),
                ("contact_phone", "+52 951 123 4567"),
                ("year_founded", "1985"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let public = app
        .get_in("en", "/cooperatives/tejedoras-del-picacho")
        .await;
    assert!(
        public.has("We have woven on backstrap looms since 1985."),
        "{}",
        public.body
    );

    let producer = app.signed_in("artesana@tianguis.demo").await;
    let refused = app
        .post_form(
            &producer,
            &format!("{COOP}/profile"),
            &[("name", "Otra cosa")],
        )
        .await;
    assert_eq!(refused.status, 403);
    let page = app
        .get_with(&producer, &format!("{COOP}/profile"), &[])
        .await;
    assert_eq!(page.status, 403, "the form is not shown to members either");
}

/// Twenty invitations sent at once all go out. Each reads (is the address a member
/// already?) before it writes; on SQLite a transaction that began as a read cannot
/// become a write once another has written meanwhile, and failed with a 500 — so every
/// change takes the write lock from its first statement (`store::write_transaction`).
async fn invitations_sent_at_once_all_go_out(backend: Backend) {
    let app = std::sync::Arc::new(spawn_app(backend).await);
    let admin = app.signed_in("coop@tianguis.demo").await;
    let sending: Vec<_> = (0..20)
        .map(|n| {
            let (app, admin) = (app.clone(), admin.clone());
            tokio::spawn(async move {
                let email = format!("visita{n}@tianguis.demo");
                app.post_form(
                    &admin,
                    &format!("{COOP}/invitations"),
                    &[("email", &email), ("role", "artisan"), ("email_lang", "es")],
                )
                .await
            })
        })
        .collect();
    for sent in sending {
        let sent = sent.await.unwrap();
        assert_eq!(sent.status, 303, "{}", sent.body);
    }
}

on_both_backends!(
    invitations_sent_at_once_all_go_out,
    an_invited_artisan_signs_up_from_the_link_and_joins,
    an_invitation_works_only_for_its_address_and_until_withdrawn,
    a_removed_producer_leaves_the_catalog_and_the_last_admin_stays,
    a_helper_is_entrusted_with_a_producer_and_then_not,
    a_helper_entrusted_before_proving_their_email_helps_once_they_do,
    the_cooperative_profile_is_edited_by_its_admin_only,
);
