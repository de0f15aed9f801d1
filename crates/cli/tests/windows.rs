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

/// Runs Windows' own `reg.exe`, as an administrator's script would.
fn reg(args: &[&str]) -> std::process::Output {
    std::process::Command::new("reg").args(args).output().unwrap()
}

/// The documented `.reg` example imported into HKLM, with the user's HKCU values beside it:
/// each value read with its type, the machine's winning, the user's used where the machine
/// sets nothing, and a value of the wrong type named.
#[test]
fn group_policy_values_in_the_registry() {
    assert!(
        std::env::var_os("NINSHO_TEST_PER_USER_FOLDER").is_some(),
        "this test writes policies to the registry: run it through scripts/platform-check or CI"
    );
    const MACHINE: &str = r"HKLM\SOFTWARE\Policies\Ninsho";
    const USER: &str = r"HKCU\SOFTWARE\Policies\Ninsho";
    let dir = tempfile::tempdir().unwrap();
    let example = dir.path().join("ninsho.reg");
    // UTF-16 with a byte order mark, as regedit writes .reg files: Wine 8 read the
    // REG_MULTI_SZ data of the same file in UTF-8 as ANSI text, each byte a character.
    std::fs::write(&example, include_bytes!("../../../docs/policy/ninsho.reg")).unwrap();
    ok(reg(&["import", example.to_str().unwrap()]));
    ok(reg(&["add", USER, "/v", "lock_max_minutes", "/t", "REG_DWORD", "/d", "30", "/f"]));
    ok(reg(&["add", USER, "/v", "clock_correction_allowed", "/t", "REG_SZ", "/d", "yes", "/f"]));
    ok(reg(&["delete", MACHINE, "/v", "clock_correction_allowed", "/f"]));
    let out = std::process::Command::new(BIN).args(["--json", "policy"]).output().unwrap();
    let _ = reg(&["delete", MACHINE, "/f"]);
    let _ = reg(&["delete", USER, "/f"]);
    let report = json(out);
    let policy = &report["policy"];
    assert_eq!(policy["clock_servers"]["value"], serde_json::json!(["ntp.example.co.jp", "ntp2.example.co.jp:123"]), "REG_MULTI_SZ: {report}");
    assert_eq!(policy["clock_servers"]["source"], MACHINE);
    assert_eq!(policy["lock_required"]["value"], true, "REG_DWORD 1");
    assert_eq!(policy["plaintext_export_allowed"]["value"], false, "REG_DWORD 0");
    assert_eq!(policy["lock_max_minutes"]["value"], 10, "the machine's value wins over the user's 30");
    assert_eq!(policy["clock_correction_max_seconds"]["value"], 120, "REG_DWORD seconds");
    assert_eq!(policy["export_formats"]["value"], serde_json::json!(["ninsho", "authenticator-encrypted"]), "REG_SZ, comma-separated");
    assert_eq!(policy["auto_backup_folder"]["value"], r"%OneDrive%\Ninsho");
    assert_eq!(policy["update_check"]["value"], false);
    assert_eq!(policy["update_url"]["value"], "https://intranet.example.co.jp/ninsho/latest.json", "REG_SZ");
    assert!(policy["clock_correction_allowed"].is_null(), "{report}");
    assert_eq!(report["problems"][0]["source"], USER);
    assert_eq!(report["problems"][0]["message"], format!("{USER}: \"clock_correction_allowed\" must be true/false, not text"));
    assert_eq!(report["sources"], serde_json::json!([MACHINE, USER]));
}
