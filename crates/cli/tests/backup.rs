//! Backup files through the `ninsho` binary: the samples in tests/samples, conversions to
//! every format and back, import previews, exports, and moving a vault to another PC.

mod common;

use std::path::{Path, PathBuf};

use common::{Env, err, ok, require_keyring};
use serde_json::Value;

const TIME: &str = "1700000000";
const PASSWORD: &str = "春の合言葉 2026";

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/samples").join(name)
}

fn inspect(env: &Env, file: &Path) -> (Vec<Value>, String) {
    let out = env.cmd().args(["inspect", "--time", TIME, "--password-env", "P"]).arg(file).env("P", PASSWORD).output().unwrap();
    let items = String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    (items, String::from_utf8(out.stderr).unwrap())
}

/// The same code from oathtool, an independent implementation (Linux; on Windows the core's
/// RFC vectors check the codes).
#[cfg(not(windows))]
fn oathtool(item: &Value) -> String {
    let secret = item["secret"].as_str().unwrap();
    let digits = item["digits"].to_string();
    let mut cmd = std::process::Command::new("oathtool");
    cmd.args(["--base32", "--digits", &digits]);
    if item["type"] == "hotp" {
        cmd.args(["--hotp", "--counter", &item["counter"].to_string()]);
    } else {
        let alg = item["algorithm"].as_str().unwrap().to_lowercase();
        cmd.args([&format!("--totp={alg}"), "--time-step-size", &format!("{}s", item["period"]), "--now", &format!("@{TIME}")]);
    }
    String::from_utf8(cmd.arg(secret).output().unwrap().stdout).unwrap().trim().to_owned()
}

#[test]
fn samples_read_with_the_right_accounts_and_codes() {
    let env = Env::new();
    let (txt, stderr) = inspect(&env, &sample("authenticator.txt"));
    assert!(stderr.is_empty(), "{stderr}");
    let names: Vec<String> = txt.iter().map(|i| format!("{}|{}", i["issuer"].as_str().unwrap(), i["account"].as_str().unwrap())).collect();
    assert_eq!(
        names,
        [
            "Gitea|bob@example.net",
            "給与システム|佐藤 花子",
            "Corp Mail|adminsato",
            "|nas-02",
            "Payroll|ops@example.com",
            "Old VPN|sato",
            "Token HW|ops",
            "No Name Inc|",
            "C++ & #ops|dev 🔐"
        ]
    );
    assert_eq!(txt[6]["secret"], "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "the hex key 3132…30 is ASCII 1234567890…");

    let (json, _) = inspect(&env, &sample("authenticator.json"));
    assert_eq!(json.len(), 4);
    assert_eq!(json[0]["issuer"], "給与システム", "the ::host hint is dropped");
    assert_eq!((json[1]["type"].as_str(), json[1]["algorithm"].as_str(), json[1]["digits"].as_u64()), (Some("hotp"), Some("SHA512"), Some(8)));
    assert_eq!(json[2]["type"], "steam");

    let (twofas, stderr) = inspect(&env, &sample("services.2fas"));
    assert_eq!(twofas.len(), 2);
    assert!(stderr.contains("entry 3 (Broken): the key contains a digit other than 2–7"), "{stderr}");

    // oathtool does TOTP with any algorithm but HOTP with SHA1 only.
    #[cfg(not(windows))]
    let checkable = |i: &&Value| i["type"] == "totp" || (i["type"] == "hotp" && i["algorithm"] == "SHA1");
    #[cfg(not(windows))]
    for item in txt.iter().chain(&json).chain(&twofas).filter(checkable) {
        assert_eq!(item["code"].as_str().unwrap(), oathtool(item), "{item}");
    }
}

/// Committed samples made by Ninsho's writers (from the hand-made ones, with the password
/// above) hold the accounts of their source; ninsho-core checks each is detected as its format.
#[test]
fn every_format_has_a_sample_that_reads_back() {
    let env = Env::new();
    let cases = [
        ("authenticator-encrypted.json", "authenticator.json"),
        ("aegis.json", "authenticator.json"),
        ("aegis-encrypted.json", "authenticator.json"),
        ("accounts.ninsho", "authenticator.json"),
        ("google-migration.txt", "authenticator.txt"),
    ];
    for (file, source) in cases {
        let (items, stderr) = inspect(&env, &sample(file));
        assert!(stderr.is_empty(), "{file}: {stderr}");
        let (originals, _) = inspect(&env, &sample(source));
        assert!(!items.is_empty(), "{file}");
        for item in &items {
            let twin = originals.iter().find(|o| o["secret"] == item["secret"] && o["account"] == item["account"]);
            assert_eq!(twin.map(|t| &t["code"]), Some(&item["code"]), "{file}: {item}");
        }
    }
}

#[test]
fn converts_to_every_format_and_back() {
    let env = Env::new();
    let (original, _) = inspect(&env, &sample("authenticator.txt"));
    let formats =
        ["authenticator-txt", "authenticator-json", "authenticator-encrypted", "aegis", "aegis-encrypted", "otpauth", "google-migration", "ninsho"];
    for format in formats {
        let out = env.dir.path().join(format!("out.{format}"));
        let run = env
            .cmd()
            .args(["convert", "--to", format, "--export-password-env", "P", "-o"])
            .arg(&out)
            .arg(sample("authenticator.txt"))
            .env("P", PASSWORD)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr).to_string();
        assert!(run.status.success(), "{format}: {stderr}");
        let (back, _) = inspect(&env, &out);
        let skipped = stderr.matches("skipped").count();
        assert_eq!(back.len() + skipped, original.len(), "{format}: {stderr}");
        for item in &back {
            let twin = original
                .iter()
                .find(|o| o["secret"] == item["secret"] && o["account"] == item["account"])
                .unwrap_or_else(|| panic!("{format}: {item}"));
            assert_eq!(item["code"], twin["code"], "{format}: {item}");
        }
    }
}

/// An export holds keys: only the user may read it, a crash never leaves half of it, and a
/// symbolic link planted where it goes does not send the keys elsewhere.
#[cfg(unix)]
#[test]
fn written_files_are_private_whole_and_never_written_through_a_link() {
    use std::os::unix::fs::PermissionsExt;

    let env = Env::new();
    let convert = |out: &Path| env.cmd().args(["convert", "--to", "otpauth", "-o"]).arg(out).arg(sample("authenticator.txt")).output().unwrap();
    let (original, _) = inspect(&env, &sample("authenticator.txt"));

    let out = env.dir.path().join("keys.txt");
    std::fs::write(&out, "x".repeat(100_000)).unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o644)).unwrap();
    ok(convert(&out));
    assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o600);
    let (back, _) = inspect(&env, &out);
    assert_eq!(back.len(), original.len(), "the longer old file is replaced whole");

    let elsewhere = env.dir.path().join("elsewhere.txt");
    std::fs::write(&elsewhere, "not yours").unwrap();
    let link = env.dir.path().join("link.txt");
    std::os::unix::fs::symlink(&elsewhere, &link).unwrap();
    ok(convert(&link));
    assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), "not yours", "the link's target is untouched");
    assert!(std::fs::symlink_metadata(&link).unwrap().is_file(), "the link itself was replaced");
    assert_eq!(std::fs::metadata(&link).unwrap().permissions().mode() & 0o777, 0o600);
    let leftovers: Vec<_> =
        std::fs::read_dir(env.dir.path()).unwrap().flatten().filter(|e| e.file_name().to_string_lossy().ends_with(".tmp")).collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn wrong_or_missing_passwords_name_the_file() {
    let env = Env::new();
    let file = env.dir.path().join("enc.json");
    ok(env
        .cmd()
        .args(["convert", "--to", "authenticator-encrypted", "--export-password-env", "P", "-o"])
        .arg(&file)
        .arg(sample("authenticator.txt"))
        .env("P", PASSWORD)
        .output()
        .unwrap());
    let message = err(env.cmd().arg("inspect").arg(&file).output().unwrap());
    assert!(message.contains("enc.json: the file is encrypted"), "{message}");
    let message = err(env.cmd().args(["inspect", "--password-env", "P"]).arg(&file).env("P", "春の合言葉 2025").output().unwrap());
    assert!(message.contains("enc.json") && message.contains("password is wrong"), "{message}");
    let message = err(env.cmd().arg("inspect").arg(sample("../common/mod.rs")).output().unwrap());
    assert!(message.contains("no format Ninsho knows"), "{message}");
}

#[test]
fn import_previews_then_saves_new_accounts_once() {
    require_keyring();
    let env = Env::new();
    ok(env.run(&["add", "--secret", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "--issuer", "Gitea", "--account", "bob@example.net"]));
    let file = sample("authenticator.txt");
    let preview = ok(env.cmd().args(["import", "--dry-run"]).arg(&file).output().unwrap());
    assert!(preview.contains("already stored as Gitea (bob@example.net)"), "{preview}");
    // Token HW's hex key is the same key as nas-02's base32 one.
    assert!(preview.contains("listed twice in the file"), "{preview}");
    assert_eq!(common::json(env.run(&["--json", "list"])).as_array().unwrap().len(), 1, "a dry run writes nothing");
    let refused = err(env.cmd().arg("import").arg(&file).output().unwrap());
    assert!(refused.contains("add --yes"), "{refused}");
    let done = ok(env.cmd().args(["import", "--yes"]).arg(&file).output().unwrap());
    assert!(done.contains("Imported 7 account(s)."), "{done}");
    let again = ok(env.cmd().args(["import", "--yes"]).arg(&file).output().unwrap());
    assert!(again.contains("Nothing new to import."), "{again}");
    assert_eq!(common::json(env.run(&["--json", "list"])).as_array().unwrap().len(), 8);
}

#[test]
fn moving_to_another_pc_keeps_the_same_codes() {
    require_keyring();
    let (first, second) = (Env::new(), Env::new());
    ok(first.cmd().args(["import", "--yes"]).arg(sample("authenticator.json")).output().unwrap());
    ok(first.run(&["rename", "Old VPN", "--label", "B-ID 経理"]));
    let refused = err(first.run(&["export", "--to", "authenticator-txt"]));
    assert!(refused.contains("unencrypted") && refused.contains("--plaintext"), "{refused}");

    let transfer = first.dir.path().join("move.ninsho");
    ok(first.cmd().args(["export", "--to", "ninsho", "--export-password-env", "P", "-o"]).arg(&transfer).env("P", PASSWORD).output().unwrap());
    let bytes = std::fs::read(&transfer).unwrap();
    assert!(!bytes.windows(5).any(|w| w == b"Steam") && !bytes.windows(8).any(|w| w == b"MZXW6YTB"), "nothing readable");

    ok(second.cmd().args(["import", "--yes", "--password-env", "P"]).arg(&transfer).env("P", PASSWORD).output().unwrap());
    let a = common::json(first.run(&["--json", "list"]));
    let b = common::json(second.run(&["--json", "list"]));
    let strip = |v: &Value| {
        v.as_array().unwrap().iter().map(|x| (x["issuer"].clone(), x["account"].clone(), x["label"].clone(), x["pinned"].clone())).collect::<Vec<_>>()
    };
    assert_eq!(strip(&a), strip(&b), "labels, pins and order travel too");
    for query in ["給与システム", "gamer", "Token HW"] {
        assert_eq!(ok(first.run(&["code", query, "--time", TIME])), ok(second.run(&["code", query, "--time", TIME])), "{query}");
    }
}
