//! The `tianguis` binary's command line: help, and bad configuration.

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
    for sub in ["serve", "migrate", "seed"] {
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
