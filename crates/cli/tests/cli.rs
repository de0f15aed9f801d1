//! The `ninsho` command as scripts and people use it: output, errors and exit codes.

mod common;

use common::{Env, err, json, ok, require_keyring};

#[test]
fn stateless_code_prints_the_code_alone() {
    let env = Env::new();
    assert_eq!(ok(env.run(&["code", "--secret", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "--digits", "8", "--time", "59"])), "94287082\n");
    assert_eq!(
        ok(env.run(&["code", "--uri", "otpauth://totp/x?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=8", "--time", "1111111109"])),
        "07081804\n"
    );
    let j = json(env.run(&["--json", "code", "--secret", "gezd gnbv gy3t qojq gezd gnbv gy3t qojq", "--time", "59"]));
    assert_eq!(j["code"], "287082");
    assert_eq!(j["expires_at"], 60);
    assert_eq!(j["seconds_left"], 1);
    assert!(!env.vault().exists(), "a stateless code touches no vault");
}

#[test]
fn each_command_s_help_starts_with_what_it_does() {
    // Subcommands are built only when named; a flattened struct's doc comment once took
    // over the first line of `code --help` that way.
    let env = Env::new();
    let top = ok(env.run(&["--help"]));
    for (command, about) in [
        ("code", "Print a code: for a key or URI given here, or for a stored account"),
        ("add", "Add an account from an otpauth:// URI or a typed key; creates the vault if needed"),
        ("export", "Export the vault's accounts (encrypted formats unless --plaintext)"),
        ("list", "List stored accounts (never their keys)"),
        ("deleted", "Accounts deleted in the last 30 days"),
    ] {
        assert!(top.contains(about), "`ninsho --help` lacks {command}'s line");
        let help = ok(env.run(&[command, "--help"]));
        assert_eq!(help.lines().next(), Some(about), "`ninsho {command} --help`");
    }
    let backup = ok(env.run(&["backup", "folder", "--help"]));
    assert!(backup.starts_with("Turn automatic backups on"), "{backup}");
}

#[test]
fn malformed_input_gets_one_line_naming_the_problem() {
    let env = Env::new();
    let long_name = "x".repeat(1001);
    let cases: &[(&[&str], &str)] = &[
        (&["code", "--secret", "JBSW1"], "'1', which is not a base32 letter"),
        (&["code", "--secret", ""], "the key is empty"),
        (&["code", "--secret", "JBSWY3DPEHPK3PXP", "--digits", "9"], "9 digits is not supported"),
        (&["code", "--secret", "JBSWY3DPEHPK3PXP", "--period", "0"], "period of 0 seconds"),
        (&["code", "--uri", "https://example.com"], "not an otpauth:// URI"),
        (&["code", "--uri", "otpauth://totp/x?issuer=a"], "no secret= parameter"),
        (&["code", "--uri", "otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&algorithm=MD5"], "unknown algorithm \"MD5\""),
        (&["code"], "name an account, or give --secret or --uri"),
        (&["add", "otpauth://xotp/x?secret=JBSWY3DPEHPK3PXP"], "unknown code type \"xotp\""),
        (&["add", "--secret", "JBSWY3DPEHPK3PXP"], "the account has no name"),
        (&["add", "--secret", "JBSWY3DPEHPK3PXP", "--account", &long_name], "names over 1,000 characters are refused"),
        // Another app's setup code, copied from a QR reader: what it is and the way on.
        (&["add", "phonefactor://activate_account?code=694660881&url=https://example.com/"], "I want to use a different authenticator app"),
        (&["add", "duo://X3kP9qLm2ZtR7vBn4WcY-YXBpLWU0YzlmYmU3LmR1b3NlY3VyaXR5LmNvbQ"], "activates Duo Mobile only"),
        (
            &["code", "--uri", "otpauth://totp/example.okta.com:taro?t=Qm9ndXNU&f=opf1a2b3&s=https%3A%2F%2Fexample.okta.com"],
            "add \"Google Authenticator\"",
        ),
    ];
    for (args, want) in cases {
        let message = err(env.run(args));
        assert!(message.starts_with("ninsho: ") && message.contains(want), "{args:?}: {message}");
        assert_eq!(message.trim_end().lines().count(), 1, "{args:?}: {message}");
    }
    assert!(!env.vault().exists(), "failed adds create no vault");
    // Usage errors are clap's, with exit status 2.
    let out = env.run(&["code", "--digits", "8"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn vault_workflow() {
    require_keyring();
    let env = Env::new();
    let missing = err(env.run(&["list"]));
    assert!(missing.contains("no vault") && missing.contains("ninsho add"), "{missing}");

    let out = ok(env.run(&["add", "otpauth://totp/%E7%B5%A6%E4%B8%8E:a-sato?secret=JBSWY3DPEHPK3PXP&issuer=%E7%B5%A6%E4%B8%8E"]));
    assert!(out.contains("Added 給与 (a-sato).") && out.contains("Enter it on the setup page now"), "{out}");
    ok(env.run(&["add", "--secret", "KRUGKIDROVUWG2ZAMJZG653O", "--issuer", "給与", "--account", "a-sato"]));
    let list = json(env.run(&["--json", "list"]));
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert!(list[0]["duplicate"].as_bool().unwrap() && list[1]["duplicate"].as_bool().unwrap());
    assert!(ok(env.run(&["list"])).contains("⚠ same issuer and account"));

    let ambiguous = err(env.run(&["code", "a-sato"]));
    assert!(ambiguous.contains("matches 2 accounts"), "{ambiguous}");
    let id = list[1]["id"].as_str().unwrap().to_owned();
    let renamed = json(env.run(&["--json", "rename", &id[..8], "--label", "B-ID 経理"]));
    assert_eq!(renamed["label"], "B-ID 経理");
    assert_eq!(renamed["duplicate"], false);
    let list = json(env.run(&["--json", "list"]));
    assert!(list.as_array().unwrap().iter().all(|a| a["duplicate"] == false));

    // The stored account's code equals the stateless code for the same key and time.
    let stored = ok(env.run(&["code", "経理", "--time", "1700000000"]));
    let direct = ok(env.run(&["code", "--secret", "KRUGKIDROVUWG2ZAMJZG653O", "--time", "1700000000"]));
    assert_eq!(stored, direct);

    let removed = ok(env.run(&["remove", "B-ID 経理"]));
    assert!(removed.contains("Removed B-ID 経理."), "{removed}");
    assert_eq!(json(env.run(&["--json", "list"])).as_array().unwrap().len(), 1);
    assert!(err(env.run(&["remove", "nobody"])).contains("no account matches \"nobody\""));
}

#[test]
fn hotp_codes_advance_the_counter() {
    require_keyring();
    let env = Env::new();
    ok(env.run(&["add", "otpauth://hotp/VPN:sato?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=0"]));
    let codes: Vec<String> = (0..3).map(|_| ok(env.run(&["code", "VPN"])).trim().to_owned()).collect();
    assert_eq!(codes, ["755224", "287082", "359152"]);
    assert_eq!(json(env.run(&["--json", "list"]))[0]["counter"], 3);
}

/// Separate processes saving at once take turns through the vault's lock file (`flock` on
/// Linux and macOS, `LockFileEx` on Windows): none fails and no account is lost.
#[test]
fn processes_adding_at_once_all_land() {
    require_keyring();
    let env = Env::new();
    ok(env.run(&["add", "--secret", "JBSWY3DPEHPK3PXP", "--account", "first"]));
    let spawned: Vec<_> = (0..8)
        .map(|i| {
            env.cmd()
                .args(["add", "--secret", "KRUGKIDROVUWG2ZAMJZG653O", "--account", &format!("parallel-{i}")])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in spawned {
        ok(child.wait_with_output().unwrap());
    }
    let list = json(env.run(&["--json", "list"]));
    let names: std::collections::BTreeSet<&str> = list.as_array().unwrap().iter().map(|a| a["account"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 9, "{names:?}");
    assert!((0..8).all(|i| names.contains(format!("parallel-{i}").as_str())));
}

/// The options go before a command's name or after it (and after `backup`'s own commands);
/// a `--vault` typed on either side beats NINSHO_VAULT. No keyring: the vault opens with a
/// passphrase.
#[test]
fn options_go_either_side_of_the_command_name() {
    let env = Env::new();
    let other = env.dir.path().join("other.ninsho");
    let other = other.to_str().unwrap();
    let run = |args: &[&str]| env.cmd_without_keyring().env("VP", "pass").args(args).output().unwrap();

    ok(run(&["add", "--secret", "JBSWY3DPEHPK3PXP", "--account", "a-sato", "--vault", other, "--passphrase-env", "VP"]));
    assert!(!env.vault().exists(), "--vault after the name beats NINSHO_VAULT");
    ok(run(&["--vault", other, "--passphrase-env", "VP", "add", "--secret", "KRUGKIDROVUWG2ZA", "--account", "b-sato"]));
    assert!(!env.vault().exists(), "--vault before the name beats NINSHO_VAULT");

    let before = json(run(&["--json", "--vault", other, "--passphrase-env", "VP", "list"]));
    let after = json(run(&["list", "--json", "--vault", other, "--passphrase-env", "VP"]));
    let mixed = json(run(&["--vault", other, "list", "--json", "--passphrase-env", "VP"]));
    assert_eq!(before.as_array().unwrap().len(), 2);
    assert_eq!(before, after);
    assert_eq!(before, mixed);
    let status = json(run(&["--vault", other, "--passphrase-env", "VP", "backup", "status", "--json"]));
    assert_eq!(status["on"], false, "{status}");

    ok(run(&["--passphrase-env", "VP", "add", "--secret", "MFRGGZDFMZTWQ2LK", "--account", "c-sato"]));
    assert!(env.vault().exists(), "without --vault, NINSHO_VAULT is the vault");
    let usage = run(&["list", "--vault"]);
    assert_eq!(usage.status.code(), Some(2), "a missing value is a usage error");
}
