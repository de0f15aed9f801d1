//! The vault's keyring slot against a real Secret Service (gnome-keyring on a private
//! session bus, started by scripts/test), driven through the `ninsho` binary.

mod common;

use std::process::Command;

use common::{Env, err, json, ok, require_keyring};

fn keyring_items() -> usize {
    let out = Command::new("secret-tool").args(["search", "--all", "service", "jp.ninsho.app"]).output().unwrap();
    String::from_utf8_lossy(&out.stderr).matches("attribute.service = jp.ninsho.app").count()
        + String::from_utf8_lossy(&out.stdout).matches("attribute.service = jp.ninsho.app").count()
}

fn slot_users(vault: &std::path::Path) -> Vec<String> {
    let bytes = std::fs::read(vault).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    text.match_indices("\"type\":\"keyring\",\"id\":\"")
        .map(|(i, m)| format!("vault-key-{}", &text[i + m.len()..i + m.len() + 36]))
        .collect()
}

fn delete_from_keyring(user: &str) {
    let status = Command::new("secret-tool").args(["clear", "service", "jp.ninsho.app", "username", user]).status().unwrap();
    assert!(status.success());
}

#[test]
fn first_add_creates_a_vault_whose_key_lives_in_the_keyring() {
    require_keyring();
    let env = Env::new();
    let before = keyring_items();
    ok(env.run(&["add", "--secret", "JBSWY3DPEHPK3PXP", "--issuer", "給与システム", "--account", "a-sato", "--label", "A-ID"]));
    assert_eq!(keyring_items(), before + 1, "one wrapping key was stored in the Secret Service");
    let users = slot_users(&env.vault());
    assert_eq!(users.len(), 1);
    let stored = Command::new("secret-tool").args(["lookup", "service", "jp.ninsho.app", "username", &users[0]]).output().unwrap();
    assert!(stored.status.success() && !stored.stdout.is_empty(), "the keyring holds the slot's key");

    // A second process opens it with no prompt.
    let list = json(env.run(&["--json", "list"]));
    assert_eq!(list[0]["label"], "A-ID");
    assert_eq!(list[0]["issuer"], "給与システム");
    assert!(list[0].get("secret").is_none(), "list never shows keys");

    // Without the keyring's key the vault cannot open, and says why.
    delete_from_keyring(&users[0]);
    let message = err(env.run(&["list"]));
    assert!(message.contains("no key for this vault") && message.contains("no passphrase"), "{message}");
}

#[test]
fn passphrase_opens_on_a_pc_whose_keyring_lacks_the_key_and_enrolls_it() {
    require_keyring();
    let env = Env::new();
    ok(env.run(&["add", "otpauth://totp/Payroll:sato?secret=JBSWY3DPEHPK3PXP&issuer=Payroll"]));
    ok(env.cmd().args(["passphrase", "set", "--new-passphrase-env", "NEWPASS"]).env("NEWPASS", "春の合言葉").output().unwrap());
    let first_pc = slot_users(&env.vault());
    // "Another PC": its keyring does not have this vault's key.
    delete_from_keyring(&first_pc[0]);
    let message = err(env.run(&["list"]));
    assert!(message.contains("open it with its passphrase"), "{message}");
    let wrong = err(env.cmd().args(["--passphrase-env", "P", "list"]).env("P", "夏の合言葉").output().unwrap());
    assert!(wrong.contains("passphrase is wrong"), "{wrong}");

    let out = env.cmd().args(["--passphrase-env", "P", "list"]).env("P", "春の合言葉").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("now opens the vault"));
    ok(out);
    assert_eq!(slot_users(&env.vault()).len(), 2, "this PC got its own keyring slot");
    // From now on no passphrase is needed here.
    assert!(ok(env.run(&["list"])).contains("Payroll"));
}

#[test]
fn keyring_and_passphrase_unreachable_paths() {
    require_keyring();
    let env = Env::new();
    // A headless session with no keyring: say so, and never fall back to a plain file.
    let message = err(env.cmd_without_keyring().args(["add", "--secret", "JBSWY3DPEHPK3PXP", "--account", "x"]).output().unwrap());
    assert!(message.contains("no keyring service is running") && message.contains("--passphrase-env"), "{message}");
    assert!(!env.vault().exists());

    ok(env.cmd_without_keyring().args(["--passphrase-env", "P", "add", "--secret", "JBSWY3DPEHPK3PXP", "--account", "x"]).env("P", "pw").output().unwrap());
    assert!(slot_users(&env.vault()).is_empty(), "no keyring slot without a keyring");
    let out = env.cmd_without_keyring().args(["--passphrase-env", "P", "--json", "list"]).env("P", "pw").output().unwrap();
    assert_eq!(json(out)[0]["account"], "x");
    // With the keyring back, the first passphrase unlock lets the keyring open it after.
    ok(env.cmd().args(["--passphrase-env", "P", "list"]).env("P", "pw").output().unwrap());
    assert_eq!(slot_users(&env.vault()).len(), 1);
    ok(env.run(&["list"]));
    // This PC now has a keyring slot, so the passphrase may go.
    ok(env.run(&["passphrase", "remove"]));
    let message = err(env.cmd().args(["--passphrase-env", "P", "list"]).env("P", "pw").output().unwrap());
    assert!(message.contains("has no passphrase"), "{message}");
}
