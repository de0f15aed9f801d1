//! Automatic backups, restore and undelete through the real `ninsho` binary, on a vault that
//! opens with a passphrase (no keyring needed).

mod common;

use std::path::Path;
use std::process::Command;

use common::{Env, err, json, ok};

const VAULT_PASS: &str = "vault pass";
const BACKUP_PASS: &str = "backup パス";

fn cmd(env: &Env) -> Command {
    let mut c = env.cmd_without_keyring();
    c.env("VP", VAULT_PASS).env("BP", BACKUP_PASS).args(["--passphrase-env", "VP"]);
    c
}

fn run(env: &Env, args: &[&str]) -> std::process::Output {
    cmd(env).args(args).output().unwrap()
}

/// Each login its own key, as on a real service.
fn add(env: &Env, name: &str) -> std::process::Output {
    let secret = match name {
        "a-sato" => "JBSWY3DPEHPK3PXP",
        "b-sato" => "KRUGKIDROVUWG2ZA",
        _ => "MFRGGZDFMZTWQ2LK",
    };
    run(env, &["add", "--secret", secret, "--issuer", "Payroll", "--account", name])
}

fn backups(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

fn turn_on(env: &Env, folder: &Path) {
    std::fs::create_dir_all(folder).unwrap();
    ok(cmd(env).args(["backup", "folder"]).arg(folder).args(["--password-env", "BP"]).output().unwrap());
}

#[test]
fn every_change_writes_a_backup_that_opens_with_its_password() {
    let env = Env::new();
    ok(add(&env, "a-sato"));
    let folder = env.dir.path().join("OneDrive").join("Ninsho");
    turn_on(&env, &folder);
    assert_eq!(backups(&folder).len(), 1, "turning backups on writes the first");
    ok(add(&env, "b-sato"));
    ok(run(&env, &["rename", "b-sato", "--label", "B-ID"]));
    let names = backups(&folder);
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(names.iter().all(|n| n.starts_with("ninsho-backup-") && n.ends_with(".ninsho")));

    let listed = json(run(&env, &["--json", "backup", "list"]));
    let counts: Vec<u64> = listed.as_array().unwrap().iter().map(|b| b["accounts"].as_u64().unwrap()).collect();
    assert_eq!(counts, vec![2, 2, 1], "newest first, each with the accounts of its moment");

    let newest = listed[0]["path"].as_str().unwrap();
    let inspected = ok(env.cmd().args(["inspect", newest, "--password-env", "BP"]).env("BP", BACKUP_PASS).output().unwrap());
    assert!(inspected.contains("b-sato") && inspected.contains("a-sato"), "{inspected}");
    let wrong = err(env.cmd().args(["inspect", newest, "--password-env", "BP"]).env("BP", "nope").output().unwrap());
    assert!(wrong.contains("password"), "{wrong}");

    let status = json(run(&env, &["--json", "backup", "status"]));
    assert_eq!(status["on"], true);
    assert_eq!(status["last_success"]["accounts"], 2);
    assert!(status["last_failure"].is_null());

    ok(run(&env, &["backup", "off"]));
    ok(add(&env, "c-sato"));
    assert_eq!(backups(&folder).len(), 3, "off means off; the files stay");
}

#[test]
fn a_vanished_folder_never_blocks_a_change_and_is_reported_until_a_backup_succeeds() {
    let env = Env::new();
    ok(add(&env, "a-sato"));
    let folder = env.dir.path().join("usb");
    turn_on(&env, &folder);
    std::fs::rename(&folder, env.dir.path().join("unplugged")).unwrap();

    let out = add(&env, "b-sato");
    assert!(out.status.success(), "the change is saved");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("backup failed") && stderr.contains("usb") && stderr.contains("retried"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert_eq!(json(run(&env, &["--json", "list"])).as_array().unwrap().len(), 2);

    let status = json(run(&env, &["--json", "backup", "status"]));
    assert_eq!(status["last_failure"]["reason"], "folder_missing");
    let text = ok(run(&env, &["backup", "status"]));
    assert!(text.contains("FAILED"), "{text}");
    assert!(!err(run(&env, &["backup", "now"])).is_empty());

    std::fs::rename(env.dir.path().join("unplugged"), &folder).unwrap();
    ok(run(&env, &["backup", "now"]));
    let status = json(run(&env, &["--json", "backup", "status"]));
    assert!(status["last_failure"].is_null(), "a success clears the failure");
    assert_eq!(status["last_success"]["accounts"], 2);
}

#[test]
fn removed_accounts_come_back_with_undelete() {
    let env = Env::new();
    ok(add(&env, "a-sato"));
    ok(add(&env, "b-sato"));
    let before = json(run(&env, &["--json", "list"]));
    let b_id = before.as_array().unwrap().iter().find(|a| a["account"] == "b-sato").unwrap()["id"].clone();
    let removed = ok(run(&env, &["remove", "b-sato"]));
    assert!(removed.contains("undelete"), "{removed}");
    let deleted = json(run(&env, &["--json", "deleted"]));
    assert_eq!(deleted.as_array().unwrap().len(), 1);
    assert_eq!(deleted[0]["account"], "b-sato");
    assert!(!deleted.to_string().contains("JBSWY3DP"), "the list never shows keys");

    ok(run(&env, &["undelete", "b-sato"]));
    let after = json(run(&env, &["--json", "list"]));
    assert_eq!(after.as_array().unwrap().len(), 2);
    assert!(after.as_array().unwrap().iter().any(|a| a["id"] == b_id), "the same account is back");
    assert!(json(run(&env, &["--json", "deleted"])).as_array().unwrap().is_empty());
    assert!(err(run(&env, &["undelete", "b-sato"])).contains("deleted accounts"));
}

#[test]
fn restore_adds_what_is_missing_or_replaces_keeping_a_copy() {
    let env = Env::new();
    ok(add(&env, "a-sato"));
    ok(add(&env, "b-sato"));
    let folder = env.dir.path().join("backups");
    turn_on(&env, &folder);
    let listed = json(run(&env, &["--json", "backup", "list"]));
    let backup = listed[0]["path"].as_str().unwrap().to_owned();

    ok(run(&env, &["remove", "b-sato"]));
    ok(add(&env, "c-sato"));
    let out = ok(run(&env, &["restore", &backup, "--yes"]));
    assert!(out.contains("Restored 1"), "{out}");
    let names: Vec<String> =
        json(run(&env, &["--json", "list"])).as_array().unwrap().iter().map(|a| a["account"].as_str().unwrap().to_owned()).collect();
    assert_eq!(names.len(), 3, "{names:?}");

    let out = ok(run(&env, &["restore", &backup, "--replace", "--yes"]));
    assert!(out.contains("kept as"), "{out}");
    let names: Vec<String> =
        json(run(&env, &["--json", "list"])).as_array().unwrap().iter().map(|a| a["account"].as_str().unwrap().to_owned()).collect();
    assert_eq!(names, vec!["a-sato", "b-sato"]);
    let copies: Vec<String> = backups(env.dir.path()).into_iter().filter(|n| n.contains(".before-restore-")).collect();
    assert_eq!(copies.len(), 1, "the vault as it was is kept");

    // On another PC, without this vault's backup key, the password opens it.
    let other = Env::new();
    let out = ok(cmd(&other).args(["restore", &backup, "--password-env", "BP", "--yes"]).output().unwrap());
    assert!(out.contains("Restored 2"), "{out}");
    let refused = err(cmd(&other).args(["restore", &backup, "--password-env", "VP", "--yes"]).output().unwrap());
    assert!(refused.contains("passphrase is wrong"), "{refused}");
}

/// A backup folder on a disk that fills up (a small tmpfs, mounted when the test runs as
/// root): the change is saved, the failure is one line naming the full disk, the status
/// says so, and a backup after space is freed clears it.
#[cfg(target_os = "linux")]
#[test]
fn a_full_backup_disk_never_loses_a_change() {
    let env = Env::new();
    ok(add(&env, "a-sato"));
    let folder = env.dir.path().join("stick");
    std::fs::create_dir(&folder).unwrap();
    let mounted = Command::new("mount").args(["-t", "tmpfs", "-o", "size=256k", "tmpfs"]).arg(&folder).status().is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("skipped: mounting a tmpfs needs root");
        return;
    }
    let result = std::panic::catch_unwind(|| {
        turn_on(&env, &folder);
        let filler = folder.join("filler");
        let free = || {
            let out = Command::new("df").args(["--output=avail", "-B1"]).arg(&folder).output().unwrap();
            String::from_utf8_lossy(&out.stdout).lines().nth(1).unwrap().trim().parse::<usize>().unwrap()
        };
        std::fs::write(&filler, vec![0u8; free()]).ok();

        let out = add(&env, "b-sato");
        assert!(out.status.success(), "the change is saved");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("backup failed") && stderr.contains("No space left"), "{stderr}");
        assert_eq!(json(run(&env, &["--json", "list"])).as_array().unwrap().len(), 2, "the vault holds both");
        assert_eq!(json(run(&env, &["--json", "backup", "status"]))["last_failure"]["reason"], "disk_full");
        assert!(backups(&folder).iter().all(|n| n == "filler" || n.starts_with("ninsho-backup-")), "no partial file: {:?}", backups(&folder));

        std::fs::remove_file(&filler).unwrap();
        ok(run(&env, &["backup", "now"]));
        let status = json(run(&env, &["--json", "backup", "status"]));
        assert!(status["last_failure"].is_null());
        assert_eq!(status["last_success"]["accounts"], 2);
    });
    let _ = Command::new("umount").arg(&folder).status();
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}
