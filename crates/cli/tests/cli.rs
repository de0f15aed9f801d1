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
        (&["code", "--secret", "JBSW1"], "the key contains a digit other than 2–7, which no base32 key holds (check for the letter O"),
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

/// A key on the command line is shown by `ps` to every user and kept in the shell's
/// history; standard input and an environment variable are not.
#[test]
fn keys_and_uris_come_from_standard_input_or_a_variable() {
    use std::io::Write;
    use std::process::Stdio;

    let env = Env::new();
    let with_stdin = |args: &[&str], input: &[u8]| {
        let mut child = env.cmd().args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        // Too much input: ninsho stops reading at its limit, and the rest finds no reader.
        let _ = child.stdin.take().unwrap().write_all(input);
        child.wait_with_output().unwrap()
    };
    let key = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    let uri = format!("otpauth://totp/x?secret={key}&digits=8");
    let want = ok(env.run(&["code", "--secret", key, "--digits", "8", "--time", "59"]));
    assert_eq!(want, "94287082\n");
    assert_eq!(ok(with_stdin(&["code", "--secret", "-", "--digits", "8", "--time", "59"], format!("{key}\n").as_bytes())), want);
    assert_eq!(ok(with_stdin(&["code", "--uri", "-", "--time", "59"], uri.as_bytes())), want);
    assert_eq!(ok(env.cmd().args(["code", "--secret-env", "K", "--digits", "8", "--time", "59"]).env("K", key).output().unwrap()), want);
    assert_eq!(ok(env.cmd().args(["code", "--uri-env", "U", "--time", "59"]).env("U", &uri).output().unwrap()), want);

    // `add` takes its positional URI from standard input too (a vault with a passphrase:
    // this test needs no keyring).
    let add = |args: &[&str], input: &[u8]| {
        let mut child = env
            .cmd_without_keyring()
            .args(["--passphrase-env", "VP", "add"])
            .args(args)
            .env("VP", "pass")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(input).unwrap();
        child.wait_with_output().unwrap()
    };
    ok(add(&["-"], b"otpauth://totp/Payroll:sato?secret=JBSWY3DPEHPK3PXP&issuer=Payroll\n"));
    ok(add(&["--secret", "-", "--account", "b-sato", "--digits", "8"], b"KRUGKIDROVUWG2ZAMJZG653O"));
    let list = json(env.cmd_without_keyring().args(["--passphrase-env", "VP", "--json", "list"]).env("VP", "pass").output().unwrap());
    assert_eq!((list[0]["issuer"].as_str(), list[1]["account"].as_str(), list[1]["digits"].as_u64()), (Some("Payroll"), Some("b-sato"), Some(8)));

    let unset = err(env.run(&["code", "--secret-env", "NINSHO_TEST_NOT_SET"]));
    assert!(unset.contains("NINSHO_TEST_NOT_SET (named by --secret-env) is not set"), "{unset}");
    let flood = err(with_stdin(&["code", "--secret", "-"], &vec![b'A'; 70 * 1024]));
    assert!(flood.contains("the key on standard input is longer than 64 KB"), "{flood}");
    let both = env.run(&["code", "--secret", key, "--secret-env", "K"]);
    assert_eq!(both.status.code(), Some(2), "one key at a time");
    let help = ok(env.run(&["add", "--help"]));
    assert!(help.contains("--secret-env <VAR>") && help.contains("`ps`"), "{help}");
}

/// Errors reach terminals, logs and support mails: whatever was pasted where, none of them
/// repeats a piece of the key.
#[test]
fn no_error_repeats_any_part_of_a_key() {
    let env = Env::new();
    let key = "KRSXG5BAOZSXE6JANZWKY3SMV2A6ZLT"; // valid base32 of 19 bytes
    let bad_char = "KRSXG5BAOZSXE6J1NZWKY3SMV2A6ZLT";
    let bad_length = "KRSXG5BAOZSXE6JANZWKY3SMV2A6ZL";
    let run = |args: &[&str]| env.cmd_without_keyring().env("VP", "pass").env("K", bad_char).args(args).output().unwrap();
    ok(run(&["--passphrase-env", "VP", "add", "--secret", key, "--account", "sato"]));
    let cases: Vec<Vec<String>> = [
        vec!["add", key],
        vec!["add", &format!("otpauth:{key}")],
        vec!["add", &format!("otpauth://{key}")],
        vec!["add", &format!("otpauth://{key}/sato?secret={key}")],
        vec!["add", "--uri", key, "--account", "x"],
        vec!["code", "--uri", key],
        vec!["code", "--uri", &format!("otpauth://totp/x?secret={bad_char}")],
        vec!["code", "--secret", bad_char],
        vec!["code", "--secret", &bad_char.to_lowercase()],
        vec!["code", "--secret", bad_length],
        vec!["code", "--secret-env", "K"],
        vec!["--passphrase-env", "VP", "code", key],
        vec!["--passphrase-env", "VP", "remove", key],
    ]
    .into_iter()
    .map(|args| args.into_iter().map(str::to_owned).collect())
    .collect();
    let pieces: Vec<String> =
        [key, bad_char, bad_length].iter().flat_map(|k| k.as_bytes().windows(4).map(|w| String::from_utf8(w.to_vec()).unwrap())).collect();
    for args in &cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let message = err(run(&args)).to_uppercase();
        let shown: Vec<&String> = pieces.iter().filter(|p| message.contains(p.as_str())).collect();
        assert!(shown.is_empty(), "{args:?} repeats {shown:?}: {message}");
    }
    let named = err(run(&["add", key]));
    assert!(named.contains("this is a key, not an otpauth:// URI; give it with --secret"), "{named}");
    let named = err(run(&["code", "--secret", bad_char]));
    assert!(named.contains("a digit other than 2–7"), "{named}");
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
