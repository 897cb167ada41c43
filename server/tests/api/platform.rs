//! The platform admin over HTTP: adding a community and a cooperative in it (with
//! its first admin), appointing another admin, and the cooperative then running
//! itself; an appointment to an address nobody has proved waits for it. On both
//! backends.

use crate::support;

use support::{Backend, browser, spawn_app};

const SANTA_ANA: &[(&str, &str)] = &[
    ("name", "Santa Ana del Valle"),
    ("municipality", "Santa Ana del Valle"),
    ("state", "Oaxaca"),
    ("languages", "zap, es"),
    (
        "description_es",
        "Pueblo zapoteco de tejedores, vecino de Teotitlán.",
    ),
    (
        "description_en",
        "A Zapotec weaving town next to Teotitlán.",
    ),
];

async fn a_platform_admin_adds_a_community_and_a_cooperative_that_then_runs_itself(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let root = app.signed_in("raiz@tianguis.demo").await;
    let page = app.get_with(&root, "/admin", &[]).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.has("Cooperativa de Tejedoras del Picacho"));
    assert!(
        page.has("Lucía Martínez"),
        "each cooperative with its admins"
    );

    let bad = app
        .post_form(
            &root,
            "/admin/communities",
            &[
                ("name", "¡!"),
                ("municipality", ""),
                ("state", "Texas"),
                ("languages", "zapoteco"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(
        bad.has("Escribe un nombre con letras o números"),
        "{}",
        bad.body
    );
    assert!(bad.has("Elige una de las opciones"));
    assert!(bad.has("Escribe códigos de dos o tres letras"));
    assert!(bad.has("value=\"zapoteco\""), "what was typed is kept");

    let made = app.post_form(&root, "/admin/communities", SANTA_ANA).await;
    assert_eq!(made.status, 303, "{}", made.body);
    assert_eq!(made.location(), "/admin?done=community");
    let twice = app.post_form(&root, "/admin/communities", SANTA_ANA).await;
    assert_eq!(twice.status, 409);
    assert!(twice.has("Ya hay una con este nombre"), "{}", twice.body);
    let community = app.get_in("en", "/communities/santa-ana-del-valle").await;
    assert_eq!(community.status, 200, "{}", community.body);
    assert!(community.has("A Zapotec weaving town next to Teotitlán."));

    let nobody = app
        .post_form(
            &root,
            "/admin/cooperatives",
            &[
                ("coop_name", "Tejedores de Santa Ana"),
                ("community", "santa-ana-del-valle"),
                ("admin_email", "nadie@tianguis.test"),
            ],
        )
        .await;
    assert_eq!(nobody.status, 422);
    assert!(
        nobody.has("Ninguna cuenta usa este correo"),
        "{}",
        nobody.body
    );
    let coop = app
        .post_form(
            &root,
            "/admin/cooperatives",
            &[
                ("coop_name", "Tejedores de Santa Ana"),
                ("community", "santa-ana-del-valle"),
                ("admin_email", "visita@tianguis.demo"),
            ],
        )
        .await;
    assert_eq!(coop.status, 303, "{}", coop.body);
    let public = app.get("/cooperatives/tejedores-de-santa-ana").await;
    assert_eq!(public.status, 200);
    assert!(public.has("Santa Ana del Valle"));

    let appointed = app
        .post_form(
            &root,
            "/admin/admins",
            &[
                ("appoint_cooperative", "tejedores-de-santa-ana"),
                ("appoint_email", "productor@tianguis.demo"),
            ],
        )
        .await;
    assert_eq!(appointed.status, 303, "{}", appointed.body);
    let again = app
        .post_form(
            &root,
            "/admin/admins",
            &[
                ("appoint_cooperative", "tejedores-de-santa-ana"),
                ("appoint_email", "productor@tianguis.demo"),
            ],
        )
        .await;
    assert_eq!(again.status, 409);
    assert!(
        again.has("ya administra esta cooperativa"),
        "{}",
        again.body
    );

    // The new admin runs it; the platform admin, who is not its admin, does not.
    let admin = app.signed_in("visita@tianguis.demo").await;
    let account = app.get_with(&admin, "/account", &[]).await;
    assert!(
        account.has("/coop/tejedores-de-santa-ana"),
        "{}",
        account.body
    );
    let members = app
        .get_with(&admin, "/coop/tejedores-de-santa-ana/members", &[])
        .await;
    assert_eq!(members.status, 200, "{}", members.body);
    assert!(members.has("Raíz de la plataforma agregó la cooperativa a Tianguis"));
    assert!(members.has("nombró a Fidel Mendoza Chávez para administrar"));
    assert!(members.has("nombró a Valeria Visitante para administrar"));
    let outside = app
        .get_with(&root, "/coop/tejedores-de-santa-ana/members", &[])
        .await;
    assert_eq!(outside.status, 403, "cooperatives govern themselves");

    let refused = app.post_form(&admin, "/admin/communities", SANTA_ANA).await;
    assert_eq!(refused.status, 403, "only platform admins add communities");
}

/// Appointing an account whose email is not verified gives it nothing yet: the
/// appointment waits, says so, and becomes the role in the transaction that
/// verifies the address.
async fn an_admin_appointed_before_proving_their_email_runs_the_cooperative_once_they_do(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let root = app.signed_in("raiz@tianguis.demo").await;
    let ana = browser();
    let signed_up = app
        .sign_up(&ana, "Ana López", "ana@tejedoras.mx", "grana cochinilla 1")
        .await;
    assert_eq!(signed_up.status, 303, "{}", signed_up.body);
    let appoint = [
        ("appoint_cooperative", "tejedoras-del-picacho"),
        ("appoint_email", "ana@tejedoras.mx"),
    ];
    let waits = app.post_form(&root, "/admin/admins", &appoint).await;
    assert_eq!(waits.status, 303, "{}", waits.body);
    assert_eq!(waits.location(), "/admin?done=admin-waits");
    let platform = app.get_with(&root, waits.location(), &[]).await;
    assert!(
        platform.has("en cuanto confirme su correo"),
        "{}",
        platform.body
    );
    assert!(platform.has("espera confirmar su correo: Ana López"));
    let twice = app.post_form(&root, "/admin/admins", &appoint).await;
    assert_eq!(twice.status, 409, "{}", twice.body);
    assert!(twice.has("Ya le diste este papel"), "{}", twice.body);
    let made = app
        .post_form(
            &root,
            "/admin/cooperatives",
            &[
                ("coop_name", "Hilanderas de Ana"),
                ("community", "teotitlan-del-valle"),
                ("admin_email", "ana@tejedoras.mx"),
            ],
        )
        .await;
    assert_eq!(made.status, 303, "{}", made.body);
    assert_eq!(made.location(), "/admin?done=cooperative-waits");
    for coop in ["tejedoras-del-picacho", "hilanderas-de-ana"] {
        let members = app
            .get_with(&ana, &format!("/coop/{coop}/members"), &[])
            .await;
        assert_eq!(members.status, 403, "not hers yet: {coop}");
    }
    let coop_admin = app.signed_in("coop@tianguis.demo").await;
    let members = app
        .get_with(&coop_admin, "/coop/tejedoras-del-picacho/members", &[])
        .await;
    assert!(
        members.has("Esperan confirmar su correo"),
        "{}",
        members.body
    );
    assert!(members.has("data-email=\"ana@tejedoras.mx\""));

    let link = app
        .link_emailed_to("ana@tejedoras.mx", "/verify-email?token=")
        .await;
    let token = link.split("token=").nth(1).unwrap();
    let verified = app
        .post_form(&ana, "/verify-email", &[("token", token)])
        .await;
    assert_eq!(verified.status, 303, "{}", verified.body);
    for coop in ["tejedoras-del-picacho", "hilanderas-de-ana"] {
        let members = app
            .get_with(&ana, &format!("/coop/{coop}/members"), &[])
            .await;
        assert_eq!(members.status, 200, "hers now: {coop}: {}", members.body);
    }
    let platform = app.get_with(&root, "/admin", &[]).await;
    assert!(
        !platform.has("espera confirmar su correo"),
        "{}",
        platform.body
    );
    let members = app
        .get_with(&coop_admin, "/coop/tejedoras-del-picacho/members", &[])
        .await;
    assert!(!members.has("Esperan confirmar su correo"));
    assert!(
        members.has("Raíz de la plataforma nombró a Ana López para administrar"),
        "recorded as given by whoever gave it: {}",
        members.body
    );
}

on_both_backends!(
    a_platform_admin_adds_a_community_and_a_cooperative_that_then_runs_itself,
    an_admin_appointed_before_proving_their_email_runs_the_cooperative_once_they_do
);
