//! The vault's keyring slot against the real OS keyring, driven through the `ninsho` binary:
//! the Secret Service on Linux (gnome-keyring on a private session bus, started by
//! scripts/test) and Credential Manager on Windows (under Wine in scripts/platform-check, on
//! a real PC in CI).

mod common;

use common::{Env, err, json, ok, require_keyring};

const SERVICE: &str = "jp.ninsho.app";

/// The keyring as another program sees it: `secret-tool`, Secret Service's own client.
#[cfg(not(windows))]
mod os_keyring {
    use std::process::Command;

    use super::SERVICE;

    pub fn count() -> usize {
        let out = Command::new("secret-tool").args(["search", "--all", "service", SERVICE]).output().unwrap();
        let needle = format!("attribute.service = {SERVICE}");
        String::from_utf8_lossy(&out.stderr).matches(&needle).count() + String::from_utf8_lossy(&out.stdout).matches(&needle).count()
    }

    pub fn holds(user: &str) -> bool {
        let out = Command::new("secret-tool").args(["lookup", "service", SERVICE, "username", user]).output().unwrap();
        out.status.success() && !out.stdout.is_empty()
    }

    pub fn delete(user: &str) {
        let status = Command::new("secret-tool").args(["clear", "service", SERVICE, "username", user]).status().unwrap();
        assert!(status.success());
    }
}

/// Credential Manager read through its own API (`CredReadW`), as Ninsho's generic
/// credentials are named: `<user>.<service>`. No enumeration: Wine's `CredEnumerateW`
/// hands back credentials at misaligned addresses, which Rust's checks rightly refuse.
#[cfg(windows)]
mod os_keyring {
    use keyring_core::api::CredentialStoreApi;

    use super::SERVICE;

    fn store() -> std::sync::Arc<windows_native_keyring_store::Store> {
        windows_native_keyring_store::Store::new().unwrap()
    }

    pub fn holds(user: &str) -> bool {
        store().build(SERVICE, user, None).unwrap().get_secret().is_ok_and(|s| s.len() == 32)
    }

    pub fn delete(user: &str) {
        store().build(SERVICE, user, None).unwrap().delete_credential().unwrap();
    }

    /// "Local": the key stays on this PC even where a roaming profile carries the vault on.
    pub fn persistence(user: &str) -> String {
        store().build(SERVICE, user, None).unwrap().get_attributes().unwrap()["persistence"].clone()
    }
}

fn slot_users(vault: &std::path::Path) -> Vec<String> {
    let bytes = std::fs::read(vault).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    text.match_indices("\"type\":\"keyring\",\"id\":\"").map(|(i, m)| format!("vault-key-{}", &text[i + m.len()..i + m.len() + 36])).collect()
}

#[test]
fn first_add_creates_a_vault_whose_key_lives_in_the_keyring() {
    require_keyring();
    let env = Env::new();
    #[cfg(not(windows))]
    let before = os_keyring::count();
    ok(env.run(&["add", "--secret", "JBSWY3DPEHPK3PXP", "--issuer", "給与システム", "--account", "a-sato", "--label", "A-ID"]));
    #[cfg(not(windows))]
    assert_eq!(os_keyring::count(), before + 1, "one wrapping key was stored in the OS keyring");
    let users = slot_users(&env.vault());
    assert_eq!(users.len(), 1);
    assert!(os_keyring::holds(&users[0]), "the keyring holds the slot's key");
    #[cfg(windows)]
    assert_eq!(os_keyring::persistence(&users[0]), "Local");

    // A second process opens it with no prompt.
    let list = json(env.run(&["--json", "list"]));
    assert_eq!(list[0]["label"], "A-ID");
    assert_eq!(list[0]["issuer"], "給与システム");
    assert!(list[0].get("secret").is_none(), "list never shows keys");

    // Without the keyring's key the vault cannot open, and says why.
    os_keyring::delete(&users[0]);
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
    os_keyring::delete(&first_pc[0]);
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

/// A session without a keyring is a Linux situation (no Secret Service on the bus).
#[cfg(not(windows))]
#[test]
fn keyring_and_passphrase_unreachable_paths() {
    require_keyring();
    let env = Env::new();
    // A headless session with no keyring: say so, and never fall back to a plain file.
    let message = err(env.cmd_without_keyring().args(["add", "--secret", "JBSWY3DPEHPK3PXP", "--account", "x"]).output().unwrap());
    assert!(message.contains("no keyring service is running") && message.contains("--passphrase-env"), "{message}");
    assert!(!env.vault().exists());

    ok(env
        .cmd_without_keyring()
        .args(["--passphrase-env", "P", "add", "--secret", "JBSWY3DPEHPK3PXP", "--account", "x"])
        .env("P", "pw")
        .output()
        .unwrap());
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
