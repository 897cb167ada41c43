//! The `tianguis` binary's command line: help, bad configuration, and making admins.

use std::process::Command;

fn tianguis() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tianguis"));
    // Run where no .env file can interfere.
    cmd.current_dir(env!("CARGO_TARGET_TMPDIR"));
    cmd
}

#[test]
fn help_lists_the_subcommands() {
    let out = tianguis().arg("--help").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for sub in ["serve", "migrate", "seed", "admin"] {
        assert!(text.contains(sub), "--help mentions {sub}");
    }
    let seed = tianguis().args(["seed", "--help"]).output().unwrap();
    assert!(String::from_utf8(seed.stdout).unwrap().contains("--demo"));
}

#[test]
fn a_bad_setting_is_named_in_one_line_and_exits_2() {
    for (var, value) in [
        ("TIANGUIS_ADDR", "not-an-address"),
        ("DATABASE_URL", "mysql://localhost/x"),
        ("RUST_LOG", "info,=["),
        ("TIANGUIS_WORKERS", "0"),
    ] {
        let out = tianguis().arg("migrate").env(var, value).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{var}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
        assert!(err.contains(var), "names {var}: {err}");
    }
}

/// Without Stripe's keys, `serve` starts only when the simulated provider is asked
/// for by name, and never on a public https address unless that is said to be a demo:
/// a forgotten key must not leave a real site taking pretend payments.
#[test]
fn serve_refuses_to_start_without_a_real_or_a_named_demo_payment_provider() {
    let database_url = scratch_database("payments");
    let serve = |env: &[(&str, &str)]| {
        let mut cmd = tianguis();
        cmd.arg("serve")
            .env("DATABASE_URL", &database_url)
            .env("TIANGUIS_ADDR", "127.0.0.1:0")
            .env_remove("STRIPE_SECRET_KEY")
            .env_remove("TIANGUIS_PAYMENTS")
            .env_remove("TIANGUIS_ALLOW_DEMO_PAYMENTS")
            .env_remove("TIANGUIS_PUBLIC_URL");
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.output().unwrap()
    };
    let bare = serve(&[]);
    assert_eq!(bare.status.code(), Some(2));
    let err = String::from_utf8(bare.stderr).unwrap();
    assert!(
        err.contains("TIANGUIS_PAYMENTS=simulated"),
        "says how: {err}"
    );

    let public = serve(&[
        ("TIANGUIS_PAYMENTS", "simulated"),
        ("TIANGUIS_PUBLIC_URL", "https://tianguis.example.mx"),
    ]);
    assert_eq!(public.status.code(), Some(2));
    let err = String::from_utf8(public.stderr).unwrap();
    assert!(err.contains("TIANGUIS_ALLOW_DEMO_PAYMENTS"), "{err}");
}

/// A copy of the program in a folder of its own, without the built site beside it,
/// as when only the binary is copied to a server: `serve` says so in one line and
/// exits 2, instead of serving every page without its stylesheet.
#[test]
fn serve_refuses_to_start_without_the_built_site_beside_it() {
    let alone = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("cli-alone-{}", std::process::id()));
    std::fs::create_dir_all(&alone).unwrap();
    let program = alone.join("tianguis");
    std::fs::copy(env!("CARGO_BIN_EXE_tianguis"), &program).unwrap();
    let out = Command::new(&program)
        .arg("serve")
        .current_dir(&alone)
        .env("DATABASE_URL", scratch_database("alone"))
        .env("TIANGUIS_ADDR", "127.0.0.1:0")
        .env("TIANGUIS_PAYMENTS", "simulated")
        .env_remove("STRIPE_SECRET_KEY")
        .env_remove("TIANGUIS_PUBLIC_URL")
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&alone);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    assert!(err.contains("hash.txt is missing"), "{err}");
    assert!(err.contains("make build"), "says what to do: {err}");
}

fn scratch_database(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("cli-{name}-{}.db", std::process::id()));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    format!("sqlite://{}", path.display())
}

fn admin_create(database_url: &str, email: &str, password: &str) -> std::process::Output {
    tianguis()
        .args(["admin", "create", "--email", email, "--name", "Ana López"])
        .env("DATABASE_URL", database_url)
        .env("TIANGUIS_ADMIN_PASSWORD", password)
        .output()
        .unwrap()
}

#[test]
fn admin_create_makes_the_first_platform_admin_and_can_run_again() {
    let db = scratch_database("admin");
    let first = admin_create(&db, "Ana@Tejedoras.mx", "grana cochinilla 1");
    assert!(first.status.success(), "{first:?}");
    let said = String::from_utf8(first.stdout).unwrap();
    assert!(
        said.contains("ana@tejedoras.mx is a platform admin (new account)"),
        "{said}"
    );

    // An existing account is made an admin only with its own password.
    let taken = admin_create(&db, "ana@tejedoras.mx", "another password 2");
    assert_eq!(taken.status.code(), Some(2), "{taken:?}");
    let said = String::from_utf8(taken.stderr).unwrap();
    assert!(said.contains("is not its password"), "{said}");
    let again = admin_create(&db, "ana@tejedoras.mx", "grana cochinilla 1");
    assert!(again.status.success(), "{again:?}");
    let said = String::from_utf8(again.stdout).unwrap();
    assert!(
        said.contains("existing account, its own password"),
        "{said}"
    );

    // The account is there, verified, an admin, and signs in with the first password.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let conn = store::connect(&db).await.unwrap();
        let email = domain::Email::parse("ana@tejedoras.mx").unwrap();
        let (account, hash) = store::people::accounts::account_for_sign_in(&conn, &email)
            .await
            .unwrap()
            .expect("account created");
        assert!(account.platform_admin && account.email_verified);
        assert!(
            auth::password::verify(&hash, "grana cochinilla 1")
                .await
                .unwrap()
        );
        assert!(
            !auth::password::verify(&hash, "another password 2")
                .await
                .unwrap()
        );
    });
}

#[test]
fn admin_create_refuses_a_bad_email_or_a_short_password_with_exit_2() {
    let db = scratch_database("admin-bad");
    for (email, password, named) in [
        ("not-an-email", "grana cochinilla 1", "--email"),
        ("ana@tejedoras.mx", "corta", "password"),
    ] {
        let out = admin_create(&db, email, password);
        assert_eq!(out.status.code(), Some(2), "{out:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(err.contains(named), "{err}");
    }
}
