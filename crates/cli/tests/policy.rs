//! `ninsho policy` and the settings an organization manages, through the real binary: the
//! Linux policy file here; the Windows registry in tests/windows.rs (run under Wine).

#![cfg(not(any(windows, target_os = "macos")))]

mod common;

use common::{Env, err, ok, require_keyring};

fn with_policy(env: &Env, json: &str) -> std::path::PathBuf {
    let path = env.dir.path().join("policy.json");
    std::fs::write(&path, json).unwrap();
    path
}

fn run(env: &Env, policy: &std::path::Path, args: &[&str]) -> std::process::Output {
    env.cmd().env("NINSHO_POLICY_FILE", policy).env("P", "correct horse battery").args(args).output().unwrap()
}

#[test]
fn prints_each_managed_value_its_source_and_what_was_not_applied() {
    let env = Env::new();
    let policy = with_policy(&env, r#"{"version": 1, "lock_required": true, "lock_max_minutes": "ten", "lock_requird": true}"#);
    let text = ok(run(&env, &policy, &["policy"]));
    let source = policy.display().to_string();
    assert!(text.contains("lock_required              yes"), "{text}");
    assert!(text.contains(&format!("from {source}")), "{text}");
    assert!(text.contains(&format!("{source}: \"lock_max_minutes\" must be a number, not text")), "{text}");
    assert!(text.contains("Unknown keys: lock_requird."), "{text}");
    let json: serde_json::Value = serde_json::from_str(&ok(run(&env, &policy, &["--json", "policy"]))).unwrap();
    assert_eq!(json["schema_version"], 1);
    assert_eq!(json["policy"]["lock_required"]["value"], true);
    assert_eq!(json["policy"]["lock_required"]["source"], source.as_str());
    assert!(json["policy"]["lock_max_minutes"].is_null());
    assert_eq!(json["unknown_keys"], serde_json::json!(["lock_requird"]));
    assert_eq!(json["sources"], serde_json::json!([source]));
}

#[test]
fn the_documented_example_is_read_whole() {
    let env = Env::new();
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/policy/policy.json");
    let json: serde_json::Value = serde_json::from_str(&ok(run(&env, example.as_ref(), &["--json", "policy"]))).unwrap();
    assert_eq!(json["problems"], serde_json::json!([]));
    let set = json["policy"].as_object().unwrap().values().filter(|v| !v.is_null()).count();
    assert_eq!(set, 12, "every setting of the schema is in the example: {json}");
}

#[test]
fn a_broken_or_missing_file_is_reported_never_a_crash() {
    let env = Env::new();
    let missing = env.dir.path().join("nowhere.json");
    assert!(ok(run(&env, &missing, &["policy"])).starts_with("No setting is managed by an organization on this PC."));
    let broken = with_policy(&env, "{\"lock_required\": tru");
    let text = ok(run(&env, &broken, &["policy"]));
    assert!(text.contains("is not valid JSON (line 1, column 21)"), "{text}");
    let folder = env.dir.path().join("policy-is-a-folder");
    std::fs::create_dir(&folder).unwrap();
    let text = ok(run(&env, &folder, &["policy"]));
    assert!(text.contains("could not be read"), "{text}");
}

/// `inspect` prints keys in plain text: a policy that forbids plaintext exports withholds
/// them there too, and says who set it; the rest of each account is still shown.
#[test]
fn inspect_withholds_the_keys_when_plaintext_exports_are_forbidden() {
    let env = Env::new();
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/samples/authenticator.txt");
    let inspect = |policy: &std::path::Path| run(&env, policy, &["inspect", file]);
    let keys = ["JBSWY3DPEHPK3PXP", "KRUGKIDROVUWG2ZAMJZG653O", "MFRGGZDFMZTWQ2LK"];

    let open = inspect(&env.dir.path().join("no-policy.json"));
    assert!(keys.iter().all(|k| String::from_utf8_lossy(&open.stdout).contains(k)), "without a policy the keys are shown");

    for (json, reason) in [
        (r#"{"plaintext_export_allowed": false}"#, "does not allow exports that hold keys unencrypted"),
        (r#"{"export_formats": ["ninsho", "aegis-encrypted"]}"#, "allows only these export formats: ninsho, aegis-encrypted"),
    ] {
        let policy = with_policy(&env, json);
        let out = inspect(&policy);
        let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success(), "{stderr}");
        assert!(!keys.iter().any(|k| stdout.to_uppercase().contains(k)), "{json}: {stdout}");
        let items: Vec<serde_json::Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(items.len(), 9);
        assert!(items.iter().all(|i| i.get("secret").is_none() && i["code"].is_string()), "{stdout}");
        let why = format!("the keys are not shown: your organization {reason} (set by {})", policy.display());
        assert!(stderr.contains(&why), "{stderr}");
    }
    // A plaintext format the organization allows is a way to the keys already.
    let allowed = with_policy(&env, r#"{"export_formats": ["ninsho", "authenticator-txt"]}"#);
    assert!(String::from_utf8_lossy(&inspect(&allowed).stdout).contains(keys[0]));
}

#[test]
fn managed_exports_and_backups_cannot_be_changed_from_the_cli() {
    require_keyring();
    let env = Env::new();
    ok(env.run(&["add", "--secret", "JBSWY3DPEHPK3PXP", "--issuer", "給与システム", "--account", "a-sato"]));
    let backups = env.dir.path().join("backups");
    std::fs::create_dir(&backups).unwrap();
    let policy = with_policy(
        &env,
        &format!(
            r#"{{"plaintext_export_allowed": false, "export_formats": ["ninsho", "authenticator-txt"],
                "auto_backup_required": true, "auto_backup_folder": "{}"}}"#,
            backups.display()
        ),
    );
    let out = env.dir.path().join("out");
    let refused = err(run(&env, &policy, &["export", "--to", "authenticator-txt", "--plaintext", "-o", out.to_str().unwrap()]));
    assert!(refused.contains("does not allow exports that hold keys unencrypted"), "{refused}");
    let refused = err(run(&env, &policy, &["export", "--to", "aegis-encrypted", "--export-password-env", "P", "-o", out.to_str().unwrap()]));
    assert!(refused.contains("allows only these export formats: ninsho, authenticator-txt"), "{refused}");
    assert!(!out.exists(), "nothing was written");
    ok(run(&env, &policy, &["export", "--to", "ninsho", "--export-password-env", "P", "-o", out.to_str().unwrap()]));
    assert!(out.exists());

    let elsewhere = env.dir.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    let refused = err(run(&env, &policy, &["backup", "folder", elsewhere.to_str().unwrap(), "--password-env", "P"]));
    assert!(refused.contains(&format!("sets the backup folder to {}", backups.display())), "{refused}");
    ok(run(&env, &policy, &["backup", "folder", backups.to_str().unwrap(), "--password-env", "P"]));
    let refused = err(run(&env, &policy, &["backup", "off"]));
    assert!(refused.contains("automatic backup is managed by your organization"), "{refused}");
    let status: serde_json::Value = serde_json::from_str(&ok(run(&env, &policy, &["--json", "backup", "status"]))).unwrap();
    assert!(status["folder"].as_str().is_some_and(|f| f.ends_with("backups")), "backups stay on: {status}");
}

#[test]
fn backups_set_up_before_the_organization_named_a_folder_go_to_its_folder() {
    require_keyring();
    let env = Env::new();
    let own = env.dir.path().join("my-backups");
    let managed = env.dir.path().join("corp-backups");
    std::fs::create_dir(&own).unwrap();
    ok(env.cmd().env("P", "correct horse battery").args(["backup", "folder", own.to_str().unwrap(), "--password-env", "P"]).output().unwrap());
    let policy = with_policy(&env, &format!(r#"{{"auto_backup_folder": "{}"}}"#, managed.display()));
    let before = std::fs::read_dir(&own).unwrap().count();
    ok(run(&env, &policy, &["add", "--secret", "JBSWY3DPEHPK3PXP", "--issuer", "給与システム", "--account", "a-sato"]));
    assert_eq!(std::fs::read_dir(&own).unwrap().count(), before, "nothing more in the folder chosen before");
    let written: Vec<_> = std::fs::read_dir(&managed).unwrap().flatten().map(|e| e.file_name().into_string().unwrap()).collect();
    assert!(written.iter().any(|n| n.starts_with("ninsho-backup-")), "{written:?}");
}
