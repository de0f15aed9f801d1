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
    assert!(String::from_utf8_lossy(&out.stderr).contains(ENROLLED), "{}", String::from_utf8_lossy(&out.stderr));
    ok(out);
    assert_eq!(slot_users(&env.vault()).len(), 2, "this PC got its own keyring slot");
    // From now on no passphrase is needed here.
    assert!(ok(env.run(&["list"])).contains("Payroll"));
}

const ENROLLED: &str = "ninsho: from now on, this PC's keyring opens the vault without the passphrase.";

/// Scripts use --json; the keyring slot a passphrase unlock adds changes who can open the
/// vault, so it is said on stderr there too (stdout stays JSON), once.
#[test]
fn a_passphrase_unlock_that_enrolls_this_pc_says_so_with_json_too() {
    require_keyring();
    let env = Env::new();
    ok(env.run(&["add", "otpauth://totp/Payroll:sato?secret=JBSWY3DPEHPK3PXP&issuer=Payroll"]));
    ok(env.cmd().args(["passphrase", "set", "--new-passphrase-env", "NEWPASS"]).env("NEWPASS", "春の合言葉").output().unwrap());
    os_keyring::delete(&slot_users(&env.vault())[0]);

    let out = env.cmd().args(["--json", "--passphrase-env", "P", "list"]).env("P", "春の合言葉").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(stderr.trim_end(), ENROLLED);
    assert_eq!(json(out)[0]["issuer"], "Payroll");
    let again = env.cmd().args(["--json", "--passphrase-env", "P", "list"]).env("P", "春の合言葉").output().unwrap();
    assert!(again.stderr.is_empty(), "nothing new to say: {}", String::from_utf8_lossy(&again.stderr));
}

#[test]
fn a_new_passphrase_rotates_the_key_and_this_pcs_old_keyring_entry_goes() {
    require_keyring();
    let env = Env::new();
    ok(env.run(&["add", "otpauth://totp/Payroll:sato?secret=JBSWY3DPEHPK3PXP&issuer=Payroll"]));
    ok(env.cmd().args(["passphrase", "set", "--new-passphrase-env", "NEWPASS"]).env("NEWPASS", "一つ目").output().unwrap());
    let before = slot_users(&env.vault());
    let old_copy = std::fs::read(env.vault()).unwrap();
    let out = ok(env.cmd().args(["passphrase", "set", "--new-passphrase-env", "NEWPASS"]).env("NEWPASS", "二つ目").output().unwrap());
    assert!(out.contains("new key"), "{out}");
    let after = slot_users(&env.vault());
    assert_eq!(after.len(), 1, "one keyring slot, this PC's");
    assert_ne!(after, before, "a new keyring entry for the new key");
    assert!(!os_keyring::holds(&before[0]), "the old key's keyring entry is deleted");
    assert!(os_keyring::holds(&after[0]));
    assert!(ok(env.run(&["list"])).contains("Payroll"), "the keyring still opens it without a prompt");

    // An old copy of the file with the old passphrase gives nothing saved since.
    os_keyring::delete(&after[0]);
    let wrong = err(env.cmd().args(["--passphrase-env", "P", "list"]).env("P", "一つ目").output().unwrap());
    assert!(wrong.contains("passphrase is wrong"), "{wrong}");
    let backup = std::path::PathBuf::from(format!("{}.bak", env.vault().display()));
    assert_ne!(std::fs::read(&backup).unwrap(), old_copy, "the .bak is not the old file");
    assert!(ok(env.cmd().args(["--passphrase-env", "P", "list"]).env("P", "二つ目").output().unwrap()).contains("Payroll"));
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
