use super::*;

const JSON_EXAMPLE: &[u8] = include_bytes!("../../../../docs/policy/policy.json");
const PLIST_EXAMPLE: &[u8] = include_bytes!("../../../../docs/policy/jp.ninsho.app.plist");

fn one(name: &str, values: Result<Vec<(String, Raw)>, PolicyError>) -> Report {
    Report::from_sources(vec![Entries { source: Source(name.into()), values }], vec![Source(name.into())])
}

fn from_json(text: &str) -> Report {
    one("policy.json", json::parse(text.as_bytes()))
}

fn messages(report: &Report) -> Vec<String> {
    report.problems.iter().map(ToString::to_string).collect()
}

#[test]
fn the_documented_json_example_sets_every_setting() {
    let report = one("/etc/ninsho/policy.json", json::parse(JSON_EXAMPLE));
    assert_eq!(report.problems, []);
    let p = &report.policy;
    assert_eq!(p.clock_servers.as_ref().unwrap().value, ["ntp.example.co.jp", "ntp2.example.co.jp:123"]);
    assert_eq!(p.clock_servers.as_ref().unwrap().source.0, "/etc/ninsho/policy.json");
    assert_eq!(p.clock_https_url.as_ref().unwrap().value, "https://intranet.example.co.jp/");
    assert!(p.correction_allowed() && p.lock_required() && p.backups_required());
    assert_eq!(p.lock_max_minutes.as_ref().unwrap().value, 10);
    assert_eq!(p.clock_correction_max_seconds.as_ref().unwrap().value, 120);
    assert_eq!(p.export_formats.as_ref().unwrap().value, ["ninsho", "authenticator-encrypted"]);
    assert_eq!(p.auto_backup_folder.as_ref().unwrap().value, "~/OneDrive - Example/Ninsho");
    assert!(!p.update_check.as_ref().unwrap().value);
    assert_eq!(p.update_url.as_ref().unwrap().value, "https://intranet.example.co.jp/ninsho/latest.json");
}

#[test]
fn the_plist_example_in_xml_and_binary_means_what_the_json_one_does() {
    let json = one("a", json::parse(JSON_EXAMPLE)).policy;
    let xml = one("a", plist::parse(PLIST_EXAMPLE));
    assert_eq!(xml.problems, []);
    let mut binary = Vec::new();
    ::plist::Value::from_reader_xml(PLIST_EXAMPLE).unwrap().to_writer_binary(&mut binary).unwrap();
    assert!(binary.starts_with(b"bplist00"));
    let binary = one("a", plist::parse(&binary));
    assert_eq!(binary, xml);
    let mut expected = json;
    expected.auto_backup_folder.as_mut().unwrap().value = "~/Library/CloudStorage/OneDrive-Example/Ninsho".into();
    assert_eq!(xml.policy, expected);
}

#[test]
fn registry_values_as_group_policy_writes_them() {
    use registry::RegValue::*;
    let values = vec![
        ("clock_servers".into(), MultiText(vec!["ntp.example.co.jp".into()])),
        ("Lock_Required".into(), Dword(1)),
        ("lock_max_minutes".into(), Dword(15)),
        ("plaintext_export_allowed".into(), Dword(0)),
        ("export_formats".into(), Text("ninsho, authenticator-encrypted".into())),
        ("update_check".into(), Other("binary data")),
    ];
    let report = one(r"HKLM\SOFTWARE\Policies\Ninsho", Ok(registry::entries(values)));
    let p = &report.policy;
    assert_eq!(p.clock_servers.as_ref().unwrap().value, ["ntp.example.co.jp"]);
    assert!(p.lock_required());
    assert_eq!(p.lock_minutes(30), 15);
    assert_eq!(p.lock_minutes(5), 5);
    assert_eq!(p.export_formats.as_ref().unwrap().value, ["ninsho", "authenticator-encrypted"]);
    assert_eq!(messages(&report), [r#"HKLM\SOFTWARE\Policies\Ninsho: "update_check" must be true/false, not binary data"#]);
}

#[test]
fn the_machine_wins_and_a_bad_machine_value_leaves_the_users_in_force() {
    let machine = Entries { source: Source("machine".into()), values: json::parse(br#"{"lock_required": true, "lock_max_minutes": 0}"#) };
    let user = Entries { source: Source("user".into()), values: json::parse(br#"{"lock_required": false, "lock_max_minutes": 20}"#) };
    let report = Report::from_sources(vec![machine, user], vec![]);
    assert_eq!(report.policy.lock_required.as_ref().map(|m| (m.value, m.source.0.as_str())), Some((true, "machine")));
    assert_eq!(report.policy.lock_max_minutes.as_ref().map(|m| (m.value, m.source.0.as_str())), Some((20, "user")));
    assert_eq!(messages(&report), [r#"machine: "lock_max_minutes" must be from 1 to 1440 minutes, not 0"#]);
}

#[test]
fn every_kind_of_broken_file_is_named_and_nothing_of_it_applies() {
    let cases: &[(&[u8], &str)] = &[
        (b"", "policy.json is not valid JSON (line 1, column 0): EOF while parsing a value"),
        (b"{\"lock_required\": true,}", "policy.json is not valid JSON (line 1, column 24): trailing comma"),
        (b"[\"lock_required\"]", "policy.json must hold an object of settings at the top level, not a list"),
        (b"true", "policy.json must hold an object of settings at the top level, not true/false"),
        (b"\xff\xfe{\x00}\x00", "policy.json is not valid JSON (line 1, column 1): expected value"),
    ];
    for (bytes, expected) in cases {
        let report = one("policy.json", json::parse(bytes));
        assert!(report.policy.is_empty());
        assert_eq!(messages(&report), [*expected], "{}", String::from_utf8_lossy(bytes));
    }
    let huge = vec![b' '; MAX_BYTES + 1];
    assert_eq!(messages(&one("p", json::parse(&huge))), ["p is larger than 256 KB; a policy is a few hundred bytes"]);
    assert_eq!(messages(&one("p", plist::parse(&huge))), ["p is larger than 256 KB; a policy is a few hundred bytes"]);
    let not_plist = one("p.plist", plist::parse(b"<plist><dict><key>x</key></plist>"));
    assert!(not_plist.policy.is_empty());
    assert!(messages(&not_plist)[0].starts_with("p.plist is not a property list: "), "{:?}", messages(&not_plist));
    let array = one("p.plist", plist::parse(b"<plist version=\"1.0\"><array/></plist>"));
    assert_eq!(messages(&array), ["p.plist must hold an object of settings at the top level, not a list"]);
}

#[test]
fn every_kind_of_bad_value_is_named_and_the_good_ones_still_apply() {
    let report = from_json(
        r#"{
            "version": 2,
            "lock_required": "yes",
            "lock_max_minutes": 2000,
            "clock_servers": ["ntp bad.example"],
            "clock_https_url": "http://plain.example/",
            "clock_correction_allowed": 3,
            "plaintext_export_allowed": null,
            "export_formats": ["ninsho", "pdf"],
            "auto_backup_required": true,
            "auto_backup_folder": "",
            "update_check": 1.5,
            "update_url": "http://updates.corp.example/latest.json",
            "lock_requird": true
        }"#,
    );
    // serde_json's map is ordered by key, so problems come in that order.
    assert_eq!(
        messages(&report),
        [
            "policy.json: \"auto_backup_folder\" is empty",
            "policy.json: \"clock_correction_allowed\" must be 0 or 1 (false or true), not 3",
            "policy.json: \"clock_https_url\" \"http://plain.example/\" is not an https:// address",
            "policy.json: \"clock_servers\" \"ntp bad.example\" is not a host name or host:port",
            "policy.json: \"export_formats\" \"pdf\" is not a format Ninsho writes (ninsho, aegis, aegis-encrypted, 2fas, 2fas-plain, ente-encrypted, authenticator-encrypted, authenticator-json, google-migration, authenticator-txt, otpauth)",
            "policy.json: \"lock_max_minutes\" must be from 1 to 1440 minutes, not 2000",
            "policy.json: \"lock_requird\" is not a setting this Ninsho knows (a typo, or a newer Ninsho's setting)",
            "policy.json: \"lock_required\" must be true/false, not text",
            "policy.json: \"plaintext_export_allowed\" must be true/false, not null",
            "policy.json: \"update_check\" must be true/false, not a fraction",
            "policy.json: \"update_url\" \"http://updates.corp.example/latest.json\" is not an https:// address",
            "policy.json: \"version\" names schema version 2; this Ninsho reads version 1, so settings it does not know are ignored",
        ]
    );
    assert_eq!(report.unknown_keys(), ["lock_requird"]);
    assert!(report.policy.backups_required(), "the one good value applies");
    assert_eq!(report.policy, Policy { auto_backup_required: report.policy.auto_backup_required.clone(), ..Policy::default() });
}

#[test]
fn exports_are_refused_by_format_and_by_plaintext() {
    let p = from_json(r#"{"plaintext_export_allowed": false}"#).policy;
    assert_eq!(p.export_refusal("ninsho", true), None);
    assert_eq!(
        p.export_refusal("authenticator-txt", false).unwrap().to_string(),
        "your organization does not allow exports that hold keys unencrypted (set by policy.json)"
    );
    let p = from_json(r#"{"export_formats": "ninsho"}"#).policy;
    assert_eq!(
        p.export_refusal("aegis-encrypted", true).unwrap().to_string(),
        "your organization allows only these export formats: ninsho (set by policy.json)"
    );
    assert_eq!(p.export_refusal("ninsho", true), None);
    assert_eq!(Policy::default().export_refusal("authenticator-txt", false), None);
}

#[test]
fn server_lists_take_lists_or_text_and_refuse_bad_ports() {
    let p = from_json(r#"{"clock_servers": "a.example, b.example:1123\n"}"#).policy;
    assert_eq!(p.clock_servers.unwrap().value, ["a.example", "b.example:1123"]);
    assert_eq!(
        messages(&from_json(r#"{"clock_servers": ["a.example:99999"]}"#)),
        [r#"policy.json: "clock_servers" "a.example:99999" has a port that is not a number from 1 to 65535"#]
    );
    assert_eq!(messages(&from_json(r#"{"clock_servers": []}"#)), [r#"policy.json: "clock_servers" names no server"#]);
    assert_eq!(
        messages(&from_json(r#"{"clock_servers": [1, 2]}"#)),
        [r#"policy.json: "clock_servers" must be a list, not a list of things other than text"#]
    );
    assert_eq!(from_json(r#"{"clock_https_url": ""}"#).policy.clock_https_url.unwrap().value, "", "empty turns the fallback off");
}

#[test]
fn the_correction_limit_is_range_checked_and_defaults_to_five_minutes() {
    use crate::clock::Limit;
    assert_eq!(Policy::default().correction_limit(), Limit { seconds: 300, managed: false });
    assert_eq!(from_json(r#"{"clock_correction_max_seconds": 60}"#).policy.correction_limit(), Limit { seconds: 60, managed: true });
    assert_eq!(from_json(r#"{"clock_correction_max_seconds": 86400}"#).policy.correction_limit().seconds, 86_400);
    for (json, expected) in [
        (r#"{"clock_correction_max_seconds": 0}"#, r#"policy.json: "clock_correction_max_seconds" must be from 1 to 86400 seconds, not 0"#),
        (r#"{"clock_correction_max_seconds": 86401}"#, r#"policy.json: "clock_correction_max_seconds" must be from 1 to 86400 seconds, not 86401"#),
        (r#"{"clock_correction_max_seconds": -5}"#, r#"policy.json: "clock_correction_max_seconds" must be from 1 to 86400 seconds, not -5"#),
        (r#"{"clock_correction_max_seconds": "60"}"#, r#"policy.json: "clock_correction_max_seconds" must be a number, not text"#),
        (r#"{"clock_correction_max_seconds": 1.5}"#, r#"policy.json: "clock_correction_max_seconds" must be a number, not a fraction"#),
    ] {
        let report = from_json(json);
        assert_eq!(messages(&report), [expected]);
        assert_eq!(report.policy.correction_limit(), Limit::default(), "a bad value leaves the default in force");
    }
    let reg =
        one(r"HKLM\SOFTWARE\Policies\Ninsho", Ok(registry::entries(vec![("Clock_Correction_Max_Seconds".into(), registry::RegValue::Dword(120))])));
    assert_eq!(reg.policy.correction_limit(), Limit { seconds: 120, managed: true });
    let plist =
        one("p.plist", plist::parse(br#"<plist version="1.0"><dict><key>clock_correction_max_seconds</key><integer>30</integer></dict></plist>"#));
    assert_eq!(plist.policy.correction_limit().seconds, 30);
}

#[test]
fn folder_patterns_expand_home_and_variables() {
    let var = |name: &str| match name {
        "OneDrive" => Some(r"C:\Users\sato\OneDrive - Example".to_owned()),
        "USER" => Some("sato".to_owned()),
        _ => None,
    };
    assert_eq!(expand_folder(r"%OneDrive%\Ninsho", None, var).unwrap(), r"C:\Users\sato\OneDrive - Example\Ninsho");
    assert_eq!(expand_folder("~/Backups/${USER}", Some("/home/sato"), var).unwrap(), "/home/sato/Backups/sato");
    assert_eq!(expand_folder("/srv/100%/x", None, var).unwrap(), "/srv/100%/x", "a lone % is a character");
    assert_eq!(expand_folder("~sato/x", Some("/home/me"), var).unwrap(), "~sato/x", "only ~ alone is home");
    assert_eq!(expand_folder("%NOPE%/x", None, var).unwrap_err(), "NOPE");
    assert_eq!(expand_folder("~/x", None, var).unwrap_err(), "~ (the home folder)");
    assert_eq!(expand_folder("${UNCLOSED", None, var).unwrap(), "${UNCLOSED");
}

#[test]
fn the_json_report_names_each_value_and_its_source() {
    let report = from_json(r#"{"lock_required": true, "typo": 1}"#);
    let v = serde_json::to_value(&report).unwrap();
    assert_eq!(v["policy"]["lock_required"], serde_json::json!({"value": true, "source": "policy.json"}));
    assert_eq!(v["policy"]["lock_max_minutes"], serde_json::Value::Null);
    assert_eq!(v["problems"][0]["key"], "typo");
    assert_eq!(v["problems"][0]["unknown_key"], true);
    assert_eq!(v["sources"], serde_json::json!(["policy.json"]));
}

proptest::proptest! {
    #[test]
    fn no_input_makes_a_parser_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
        let _ = one("j", json::parse(&bytes));
        let _ = one("p", plist::parse(&bytes));
    }

    #[test]
    fn no_pattern_makes_expansion_panic(pattern in "[~%${}a-z/\\\\é]{0,24}") {
        let _ = expand_folder(&pattern, Some("/h"), |n| (n.len() % 2 == 0).then(|| n.to_owned()));
    }
}
