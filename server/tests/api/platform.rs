//! The platform admin over HTTP: adding a community and a cooperative in it (with
//! its first admin), appointing another admin, and the cooperative then running
//! itself. On both backends.

use crate::support;

use support::{Backend, spawn_app};

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

on_both_backends!(a_platform_admin_adds_a_community_and_a_cooperative_that_then_runs_itself);
