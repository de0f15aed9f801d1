//! What only Windows shows: the vault in the per-user roaming folder, and saves while
//! another program reads the vault. Run under Wine by scripts/platform-check and on a real
//! Windows runner in CI (.github/workflows/ci.yml).

#![cfg(windows)]

mod common;

use std::path::PathBuf;

use common::{BIN, json, ok, require_keyring};

/// Wine names itself in the registry; real Windows does not.
fn under_wine() -> bool {
    std::process::Command::new("reg").args(["query", r"HKCU\Software\Wine"]).output().is_ok_and(|out| out.status.success())
}

/// The real per-user folder of this Windows account: only in a throwaway account (the
/// Wine prefix of scripts/platform-check, a CI runner), never where a person keeps codes.
fn per_user_vault() -> PathBuf {
    assert!(std::env::var_os("NINSHO_TEST_PER_USER_FOLDER").is_some(), "this test writes to %APPDATA%: run it through scripts/platform-check or CI");
    let app_data = PathBuf::from(std::env::var_os("APPDATA").expect("Windows sets APPDATA"));
    let vault = app_data.join("jp.ninsho.app").join("vault.ninsho");
    assert!(!vault.exists(), "{} exists: this test never touches a vault it did not make", vault.display());
    vault
}

#[test]
fn without_a_path_the_vault_goes_to_roaming_app_data() {
    require_keyring();
    let vault = per_user_vault();
    let run = |args: &[&str]| std::process::Command::new(BIN).env_remove("NINSHO_VAULT").args(args).output().unwrap();
    ok(run(&["add", "--secret", "JBSWY3DPEHPK3PXP", "--issuer", "給与システム", "--account", "a-sato"]));
    let made = vault.exists();
    let list = json(run(&["--json", "list"]));
    let _ = std::fs::remove_dir_all(vault.parent().unwrap());
    assert!(made, "no vault at {}", vault.display());
    assert_eq!(list[0]["issuer"], "給与システム");
}

/// std opens files sharing delete access, so on Windows a save may rename over a vault
/// that another program (a backup tool, a second Ninsho reading it) holds open. Wine 8
/// refuses such renames, so there this only shows that the refusal is an error, not a
/// lost or damaged vault.
#[test]
fn a_save_while_another_program_reads_the_vault() {
    require_keyring();
    let env = common::Env::new();
    ok(env.run(&["add", "--secret", "JBSWY3DPEHPK3PXP", "--account", "first"]));
    let reader = std::fs::File::open(env.vault()).unwrap();
    let out = env.run(&["add", "--secret", "JBSWY3DPEHPK3PXP", "--account", "second"]);
    drop(reader);
    let names: Vec<String> =
        json(env.run(&["--json", "list"])).as_array().unwrap().iter().map(|a| a["account"].as_str().unwrap().to_owned()).collect();
    if under_wine() {
        assert!(names == ["first"] || names == ["first", "second"], "{names:?}");
    } else {
        ok(out);
        assert_eq!(names, ["first", "second"]);
    }
}
