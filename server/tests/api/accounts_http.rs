//! Accounts over HTTP, as a person in a browser goes through them: sign up, find the
//! verification email in the outbox (read by the platform admin at /admin/outbox),
//! verify, sign out and in, reset a forgotten password. On both backends.

use crate::support;

use leptos::server_fn::ServerFn;
use support::{Backend, Page, TestApp, browser, spawn_app, spawn_app_with};

const ADMIN_EMAIL: &str = "raiz@tianguis.test";
const ADMIN_PASSWORD: &str = "raíz de la plataforma";
const ANA_PASSWORD: &str = "grana cochinilla 1";

/// The platform admin, made the way `tianguis admin create` makes it, signed in.
async fn platform_admin(app: &TestApp) -> reqwest::Client {
    auth::admin::create_platform_admin(
        &app.db,
        domain::Email::parse(ADMIN_EMAIL).unwrap(),
        domain::PersonName::parse("Raíz").unwrap(),
        &domain::NewPassword::parse(ADMIN_PASSWORD).unwrap(),
        domain::clock::now(),
    )
    .await
    .expect("the platform admin is created");
    let admin = browser();
    app.sign_in(&admin, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    admin
}

/// The path and query of the newest link in the outbox to `to`, starting with
/// `prefix` (the links point at the configured public URL, not the test server).
async fn link_in_outbox(app: &TestApp, admin: &reqwest::Client, to: &str, prefix: &str) -> String {
    let outbox = app.get_with(admin, "/admin/outbox", &[]).await;
    assert_eq!(outbox.status, 200, "{}", outbox.body);
    let email = outbox
        .body
        .split("<li ")
        .skip(1)
        .find(|e| e.starts_with(&format!("data-to=\"{to}\"")))
        .unwrap_or_else(|| panic!("an email to {to} in the outbox:\n{}", outbox.body));
    let start = email
        .find(&format!("http://tianguis.test{prefix}"))
        .unwrap_or_else(|| panic!("a {prefix} link in:\n{email}"))
        + "http://tianguis.test".len();
    let rest = &email[start..];
    rest[..rest.find(['"', '<']).unwrap()].to_owned()
}

fn token_of(link: &str) -> &str {
    link.split("token=").nth(1).expect("the link has a token")
}

async fn sign_up_ana(app: &TestApp, client: &reqwest::Client) -> Page {
    app.sign_up(client, "Ana López", "Ana@Tejedoras.mx", ANA_PASSWORD)
        .await
}

async fn signing_up_verifying_signing_out_and_in_works_over_http(backend: Backend) {
    let app = spawn_app(backend).await;
    let ana = browser();

    let account = app.get_with(&ana, "/account", &[]).await;
    assert_eq!(account.status, 303, "the account page needs a sign-in");
    assert_eq!(account.location(), "/sign-in?next=%2Faccount");

    let signed_up = sign_up_ana(&app, &ana).await;
    assert_eq!(signed_up.status, 303, "{}", signed_up.body);
    assert_eq!(signed_up.location(), "/account?done=welcome");
    let cookie = signed_up
        .headers
        .get("set-cookie")
        .and_then(|c| c.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(cookie.starts_with("tianguis_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );

    let welcome = app.get_with(&ana, "/account?done=welcome", &[]).await;
    assert_eq!(welcome.status, 200);
    assert!(welcome.has("ana@tejedoras.mx"), "{}", welcome.body);
    assert!(welcome.has("Todavía no confirmas tu correo"));
    assert!(
        welcome.has("Ana López"),
        "the header shows who is signed in"
    );

    let admin = platform_admin(&app).await;
    let link = link_in_outbox(&app, &admin, "ana@tejedoras.mx", "/verify-email?token=").await;
    let confirm = app.get_with(&ana, &link, &[]).await;
    assert_eq!(confirm.status, 200);
    assert!(confirm.has("Confirmar mi correo"));
    let token = token_of(&link);
    let verified = app
        .post_form(&ana, "/verify-email", &[("token", token)])
        .await;
    assert_eq!(verified.status, 303, "{}", verified.body);
    assert_eq!(verified.location(), "/account?done=verified");
    assert!(
        app.get_with(&ana, "/account", &[])
            .await
            .has("Tu correo está confirmado")
    );
    let again = app
        .post_form(&ana, "/verify-email", &[("token", token)])
        .await;
    assert_eq!(again.status, 400, "a link works once");
    assert!(again.has("Este enlace ya no sirve"), "{}", again.body);

    let out = app.post_form(&ana, "/sign-out", &[]).await;
    assert_eq!(out.status, 303);
    assert_eq!(
        app.get_with(&ana, "/account", &[]).await.status,
        303,
        "signed out"
    );

    let wrong = app
        .post_form(
            &ana,
            "/sign-in",
            &[
                ("email", "ana@tejedoras.mx"),
                ("password", "adivinanza 123"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.has("El correo o la contraseña no son correctos"));
    assert!(wrong.has("value=\"ana@tejedoras.mx\""), "the email is kept");
    assert!(!wrong.has("adivinanza"), "a password is never sent back");

    let back = app
        .post_form(
            &ana,
            "/sign-in",
            &[
                ("email", "ANA@tejedoras.mx"),
                ("password", ANA_PASSWORD),
                ("next", "/crafts?q=barro"),
            ],
        )
        .await;
    assert_eq!(back.status, 303);
    assert_eq!(back.location(), "/crafts?q=barro");
    let offsite = app
        .post_form(
            &browser(),
            "/sign-in",
            &[
                ("email", "ana@tejedoras.mx"),
                ("password", ANA_PASSWORD),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(
        offsite.location(),
        "/",
        "never sent to another site: home instead"
    );
}

async fn a_bad_sign_up_is_shown_again_with_every_problem_in_the_visitors_language(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let fields = [
        ("name", "  "),
        ("email", "ana-at-tejedoras"),
        ("password", "corta"),
    ];
    let es = app.post_form(&browser(), "/sign-up", &fields).await;
    assert_eq!(es.status, 422);
    assert!(es.has("Escribe tu nombre."), "{}", es.body);
    assert!(es.has("Esto no parece un correo electrónico"));
    assert!(es.has("al menos 10 caracteres"));
    assert!(
        es.has("value=\"ana-at-tejedoras\""),
        "what was typed is kept"
    );
    assert!(!es.has("corta\""), "a password is never sent back");
    assert!(es.has("aria-invalid=\"true\""));

    let en = browser()
        .post(app.url("/sign-up"))
        .header("accept-language", "en")
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(en.status(), 422);
    let body = en.text().await.unwrap();
    assert!(body.contains("Type your name."), "{body}");
    assert!(body.contains("does not look like an email address"));

    let first = sign_up_ana(&app, &browser()).await;
    assert_eq!(first.status, 303);
    let twice = sign_up_ana(&app, &browser()).await;
    assert_eq!(twice.status, 422);
    assert!(twice.has("Ya existe una cuenta con este correo"));
}

async fn a_forgotten_password_is_reset_by_link_and_ends_every_other_session(backend: Backend) {
    let app = spawn_app(backend).await;
    let phone = browser();
    assert_eq!(sign_up_ana(&app, &phone).await.status, 303);
    assert_eq!(app.get_with(&phone, "/account", &[]).await.status, 200);

    let laptop = browser();
    let unknown = app
        .post_form(
            &laptop,
            "/forgot-password",
            &[("email", "nadie@tejedoras.mx")],
        )
        .await;
    let known = app
        .post_form(
            &laptop,
            "/forgot-password",
            &[("email", "ana@tejedoras.mx")],
        )
        .await;
    assert_eq!(unknown.status, 303);
    assert_eq!(
        (known.status, known.location()),
        (unknown.status, unknown.location()),
        "the answer does not tell who has an account"
    );
    let sent = app.get_with(&laptop, known.location(), &[]).await;
    assert!(sent.has("Si ese correo tiene una cuenta"));

    let admin = platform_admin(&app).await;
    let link = link_in_outbox(&app, &admin, "ana@tejedoras.mx", "/reset-password?token=").await;
    let form = app.get_with(&laptop, &link, &[]).await;
    assert_eq!(form.status, 200);
    let token = token_of(&link);
    assert!(
        form.has(&format!("value=\"{token}\"")),
        "the token rides along"
    );

    let short = app
        .post_form(
            &laptop,
            "/reset-password",
            &[("token", token), ("password", "corta")],
        )
        .await;
    assert_eq!(short.status, 422);
    assert!(short.has("al menos 10 caracteres"));
    assert!(
        short.has(&format!("value=\"{token}\"")),
        "the link still works"
    );

    let new_password = "añil y cochinilla 2";
    let reset = app
        .post_form(
            &laptop,
            "/reset-password",
            &[("token", token), ("password", new_password)],
        )
        .await;
    assert_eq!(reset.status, 303, "{}", reset.body);
    assert_eq!(reset.location(), "/sign-in?done=reset");

    assert_eq!(
        app.get_with(&phone, "/account", &[]).await.status,
        303,
        "the phone signed in with the old password is signed out"
    );
    let old = app
        .post_form(
            &laptop,
            "/sign-in",
            &[("email", "ana@tejedoras.mx"), ("password", ANA_PASSWORD)],
        )
        .await;
    assert_eq!(old.status, 422);
    app.sign_in(&laptop, "ana@tejedoras.mx", new_password).await;
    let used = app
        .post_form(
            &browser(),
            "/reset-password",
            &[("token", token), ("password", "otra contraseña 3")],
        )
        .await;
    assert_eq!(used.status, 422);
    assert!(used.has("Este enlace ya no sirve"));
}

async fn the_outbox_is_for_platform_admins_only(backend: Backend) {
    let app = spawn_app(backend).await;
    let anonymous = app.get("/admin/outbox").await;
    assert_eq!(anonymous.status, 303);
    assert_eq!(anonymous.location(), "/sign-in?next=%2Fadmin%2Foutbox");

    let ana = browser();
    assert_eq!(sign_up_ana(&app, &ana).await.status, 303);
    let refused = app.get_with(&ana, "/admin/outbox", &[]).await;
    assert_eq!(refused.status, 403);
    assert!(!refused.has("Confirma tu correo"), "no email is shown");

    let admin = platform_admin(&app).await;
    let outbox = app.get_with(&admin, "/admin/outbox", &[]).await;
    assert_eq!(outbox.status, 200);
    assert!(outbox.has("Confirma tu correo en Tianguis"));
    assert!(
        outbox.has("No hay servidor de correo"),
        "the page says why it shows the emails' text"
    );
    let loader = app.url(<app::pages::admin::outbox::LoadOutbox as ServerFn>::PATH);
    let no_args: &[(&str, &str)] = &[];
    let api = admin.post(&loader).form(no_args).send().await.unwrap();
    assert!(api.status().is_success(), "the admin may call the loader");
    let api_refused = ana.post(&loader).form(no_args).send().await.unwrap();
    assert!(
        !api_refused.status().is_success(),
        "the loader checks too, not only the page"
    );
}

async fn forms_posted_from_other_sites_are_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    // Another site, or a neighbouring subdomain (which someone else may run).
    for (header, value) in [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "cross-site"),
        ("sec-fetch-site", "same-site"),
    ] {
        let res = browser()
            .post(app.url("/sign-up"))
            .header(header, value)
            .form(&[
                ("name", "Ana"),
                ("email", "ana@tejedoras.mx"),
                ("password", ANA_PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 403, "{header}: {value}");
        assert!(res.text().await.unwrap().contains("otro sitio"));
    }
    let unreadable = browser()
        .post(app.url("/sign-in"))
        .header("content-type", "text/plain")
        .body("email=ana@tejedoras.mx")
        .send()
        .await
        .unwrap();
    assert_eq!(unreadable.status(), 400);
}

/// `next=` after signing in or up leads to a page of this site and nowhere else: not
/// `//host`, not `/\host`, not `/<tab>/host` (browsers drop the tab). A path that
/// is not one sends the person home.
async fn signing_in_goes_back_only_to_a_page_of_this_site(backend: Backend) {
    let app = spawn_app(backend).await;
    let ana = browser();
    let signed_up = app
        .post_form(
            &ana,
            "/sign-up",
            &[
                ("name", "Ana López"),
                ("email", "ana@tejedoras.mx"),
                ("password", ANA_PASSWORD),
                ("next", "/\t/evil.example"),
            ],
        )
        .await;
    assert_eq!(signed_up.status, 303, "{}", signed_up.body);
    assert_eq!(signed_up.location(), "/");

    for (next, back_to) in [
        ("/crafts?q=barro", "/crafts?q=barro"),
        ("/\t/evil.example", "/"),
        ("/\n/evil.example", "/"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example", "/"),
    ] {
        let visitor = browser();
        let signed_in = app
            .post_form(
                &visitor,
                "/sign-in",
                &[
                    ("email", "ana@tejedoras.mx"),
                    ("password", ANA_PASSWORD),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(signed_in.status, 303, "{next:?}: {}", signed_in.body);
        assert_eq!(signed_in.location(), back_to, "{next:?}");
    }

    // Signed in already, the sign-in page sends the person on at once.
    for (query, back_to) in [
        ("next=%2Fcrafts", "/crafts"),
        ("next=%2F%09%2Fevil.example", "/"),
        ("next=/%0A", "/"),
        ("next=/%0D%0ASet-Cookie:%20x=1", "/"),
    ] {
        let page = app.get_with(&ana, &format!("/sign-in?{query}"), &[]).await;
        assert_eq!(page.status, 303, "{query}: {}", page.body);
        assert_eq!(page.location(), back_to, "{query}");
    }
}

/// Signs in as Ana through a proxy that says it forwards for `client`; the status.
async fn sign_in_forwarded_for(app: &TestApp, client: &str, password: &str) -> u16 {
    browser()
        .post(app.url("/sign-in"))
        .header("x-forwarded-for", client)
        .form(&[("email", "ana@tejedoras.mx"), ("password", password)])
        .send()
        .await
        .expect("request reaches the server")
        .status()
        .as_u16()
}

/// Five wrong passwords from one address keep that address out, not the owner at
/// another: behind a proxy listed in `TIANGUIS_TRUSTED_PROXIES`, the address is the
/// one the proxy forwards for; without that setting `X-Forwarded-For` is not believed,
/// so nobody picks their own address to escape the count.
async fn failed_sign_ins_count_against_the_client_behind_a_trusted_proxy(backend: Backend) {
    let proxied = spawn_app_with(backend, |config| {
        config.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    })
    .await;
    assert_eq!(sign_up_ana(&proxied, &browser()).await.status, 303);
    for _ in 0..domain::people::sign_in_gate::MAX_PER_ACCOUNT_AND_ADDRESS {
        assert_eq!(
            sign_in_forwarded_for(&proxied, "203.0.113.5", "adivinanza").await,
            422
        );
    }
    assert_eq!(
        sign_in_forwarded_for(&proxied, "203.0.113.5", ANA_PASSWORD).await,
        429,
        "the guessing address waits"
    );
    assert_eq!(
        sign_in_forwarded_for(&proxied, "203.0.113.9", ANA_PASSWORD).await,
        303,
        "Ana, at another address behind the same proxy, signs in"
    );

    let direct = spawn_app(backend).await;
    assert_eq!(sign_up_ana(&direct, &browser()).await.status, 303);
    for n in 0..domain::people::sign_in_gate::MAX_PER_ACCOUNT_AND_ADDRESS {
        let claimed = format!("198.51.100.{n}");
        assert_eq!(
            sign_in_forwarded_for(&direct, &claimed, "adivinanza").await,
            422
        );
    }
    assert_eq!(
        sign_in_forwarded_for(&direct, "203.0.113.9", ANA_PASSWORD).await,
        429,
        "an untrusted X-Forwarded-For does not make a new address"
    );
}

on_both_backends!(
    signing_up_verifying_signing_out_and_in_works_over_http,
    failed_sign_ins_count_against_the_client_behind_a_trusted_proxy,
    signing_in_goes_back_only_to_a_page_of_this_site,
    a_bad_sign_up_is_shown_again_with_every_problem_in_the_visitors_language,
    a_forgotten_password_is_reset_by_link_and_ends_every_other_session,
    the_outbox_is_for_platform_admins_only,
    forms_posted_from_other_sites_are_refused,
);

/// Hundreds of sign-ups at once (each hashes a password: 19 MiB and tens of ms) are
/// let through as fast as the cores allow; past the queue, a person is told in their
/// language to try again (503, `Retry-After`), never a 500, and every "welcome" made
/// its account. A server process of its own: the hashing gate is per process.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_sign_ups_is_asked_to_try_again_never_failed() {
    let app = spawn_app(Backend::Sqlite).await;
    let server = support::process::server_process(&app.database_url, &[]).await;
    let flood: Vec<_> = (0..200)
        .map(|n| {
            let url = format!("{}/sign-up", server.address);
            tokio::spawn(async move {
                let res = browser()
                    .post(url)
                    .header("accept-language", "es-MX")
                    .form(&[
                        ("name", "Visitante"),
                        ("email", &format!("visitante{n}@ejemplo.mx")),
                        ("password", ANA_PASSWORD),
                    ])
                    .send()
                    .await
                    .expect("every sign-up gets an answer");
                let status = res.status().as_u16();
                let retry_after = res.headers().get("retry-after").cloned();
                (n, status, retry_after, res.text().await.unwrap_or_default())
            })
        })
        .collect();
    let mut welcomed = Vec::new();
    let mut busy = 0;
    for answer in flood {
        let (n, status, retry_after, body) = answer.await.unwrap();
        match status {
            303 => welcomed.push(format!("visitante{n}@ejemplo.mx")),
            503 => {
                busy += 1;
                assert!(retry_after.is_some(), "a 503 says when to try again");
                assert!(body.contains("Inténtalo de nuevo"), "{body}");
            }
            other => panic!("sign-up {n} answered {other}: {body}"),
        }
    }
    assert!(
        busy > 0,
        "200 at once overflow the queue of {}",
        auth::password::MAX_WAITING
    );
    for email in &welcomed {
        let account = store::people::accounts::account_by_email(
            &app.db,
            &domain::Email::parse(email).unwrap(),
        )
        .await
        .unwrap();
        assert!(
            account.is_some(),
            "{email} was welcomed, so it has an account"
        );
    }
    let after = browser()
        .post(format!("{}/sign-up", server.address))
        .form(&[
            ("name", "Visitante"),
            ("email", "despues@ejemplo.mx"),
            ("password", ANA_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        after.status(),
        303,
        "once the flood is past, sign-ups go through"
    );
}
