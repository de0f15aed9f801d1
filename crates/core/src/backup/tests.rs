use super::authenticator_json::{AuthenticatorEncrypted, AuthenticatorJson};
use super::authenticator_txt::AuthenticatorTxt;
use super::google_migration::GoogleMigration;
use super::*;
use crate::account::Names;
use crate::otp::{Algorithm, Method, Otp};
use crate::secret::Secret;

fn otp(method: Method, algorithm: Algorithm, digits: u32, key: &str) -> Otp {
    Otp::new(method, algorithm, digits, Secret::from_base32(key).unwrap()).unwrap()
}

fn entry(issuer: &str, account: &str, otp: Otp) -> Entry {
    Entry { issuer: issuer.into(), account: account.into(), label: String::new(), otp, pinned: false }
}

/// Accounts that exercise every rule: Japanese names, colons, `@ # & % +`, emoji, HOTP
/// counters over 127, SHA256/512, 8 digits, 60 s periods, Steam and Battle.net.
fn fixture() -> Vec<Entry> {
    let totp = |p| Method::Totp { period: p };
    vec![
        entry("給与システム", "佐藤 花子", otp(totp(30), Algorithm::Sha1, 6, "KRUGKIDROVUWG2ZAMJZG653O")),
        entry("Gitea", "bob@example.net", otp(totp(30), Algorithm::Sha1, 6, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")),
        entry("Payroll", "ops#1&2%+3@example.com", otp(totp(60), Algorithm::Sha512, 8, "ONSWG4TFOQ")),
        entry("Old VPN", "sato", otp(Method::Hotp { counter: 300 }, Algorithm::Sha1, 6, "MZXW6YTBOI")),
        entry("", "nas-02 🔐", otp(totp(30), Algorithm::Sha256, 7, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")),
        entry("Steam", "gamer", otp(Method::Steam, Algorithm::Sha1, 5, "GEZDGNBVGY3TQOJQ")),
        entry("Battle.net", "EU-1234", otp(Method::Battle, Algorithm::Sha1, 8, "MFRGGZDFMZTWQ2LK")),
    ]
}

const PASSWORD: &str = "春の合言葉 2026";

#[test]
fn authenticator_txt_is_written_exactly_as_the_extension_writes_it() {
    let totp = Method::Totp { period: 30 };
    let entries = vec![
        entry("Gitea", "bob@example.net", otp(totp, Algorithm::Sha1, 6, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")),
        entry("給与システム", "佐藤 花子", otp(totp, Algorithm::Sha1, 6, "KRUGKIDROVUWG2ZAMJZG653O")),
        entry("Corp Mail", "admin:sato", otp(totp, Algorithm::Sha1, 6, "MFRGGZDFMZTWQ2LK")),
        entry("Payroll", "ops@example.com", otp(Method::Totp { period: 60 }, Algorithm::Sha512, 8, "ONSWG4TFOQ")),
        entry("Old VPN", "sato", otp(Method::Hotp { counter: 12 }, Algorithm::Sha1, 6, "MZXW6YTBOI")),
        entry("Wiki::wiki.example.com", "s.sato", otp(totp, Algorithm::Sha1, 6, "NB2W45DFOIZA")),
        entry("No Name Inc", "", otp(totp, Algorithm::Sha1, 6, "GEZDGNBVGY3TQOJQ")),
    ];
    let want = [
        "otpauth://totp/Gitea:bob%40example.net?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Gitea",
        "otpauth://totp/%E7%B5%A6%E4%B8%8E%E3%82%B7%E3%82%B9%E3%83%86%E3%83%A0:%E4%BD%90%E8%97%A4%20%E8%8A%B1%E5%AD%90?secret=KRUGKIDROVUWG2ZAMJZG653O&issuer=%E7%B5%A6%E4%B8%8E%E3%82%B7%E3%82%B9%E3%83%86%E3%83%A0",
        "otpauth://totp/Corp%20Mail:adminsato?secret=MFRGGZDFMZTWQ2LK&issuer=Corp%20Mail",
        "otpauth://totp/Payroll:ops%40example.com?secret=ONSWG4TFOQ&issuer=Payroll&period=60&digits=8&algorithm=SHA512",
        "otpauth://hotp/Old%20VPN:sato?secret=MZXW6YTBOI&issuer=Old%20VPN&counter=12",
        "otpauth://totp/Wiki:s.sato?secret=NB2W45DFOIZA&issuer=Wiki",
        "otpauth://totp/No%20Name%20Inc:?secret=GEZDGNBVGY3TQOJQ&issuer=No%20Name%20Inc",
    ]
    .join("\r\n");
    assert_eq!(String::from_utf8(authenticator_txt::write_lines(&entries)).unwrap(), want);
    assert_eq!(authenticator_txt::write_lines(&[]), b"");
}

#[test]
fn authenticator_txt_reading_is_tolerant_and_names_bad_lines() {
    let text = "\u{feff}otpauth://totp/Gitea:bob%40example.net?secret=JBSWY3DPEHPK3PXP&issuer=Gitea\r\n\
                \r\n\
                otpauth://hotp/Old%20VPN:sato?secret=MZXW6YTBOI&issuer=Old%20VPN&counter=300\r\n\
                otpauth://totp/Token%20HW:ops?secret=3132333435363738393031323334353637383930&issuer=Token%20HW\r\n\
                otpauth://totp/x?secret=NOT-BASE32!\r\n\
                hello world\r\n\
                otpauth://totp/C:dev?secret=JBSWY3DPEHPK3PXP&issuer=C%2B%2B+Team&period=45";
    let parsed = AuthenticatorTxt.read(text.as_bytes(), None).unwrap();
    let names: Vec<(&str, &str)> = parsed.entries.iter().map(|e| (e.issuer.as_str(), e.account.as_str())).collect();
    assert_eq!(names, [("Gitea", "bob@example.net"), ("Old VPN", "sato"), ("Token HW", "ops"), ("C++ Team", "dev")]);
    assert_eq!(parsed.entries[1].otp.method, Method::Hotp { counter: 300 });
    assert_eq!(parsed.entries[2].otp.secret.as_bytes(), b"12345678901234567890", "hex keys are decoded as hex");
    assert_eq!(parsed.entries[3].otp.method, Method::Totp { period: 45 }, "periods the extension drops are kept");
    let places: Vec<&Place> = parsed.problems.iter().map(|p| &p.place).collect();
    assert_eq!(places, [&Place::Line(5), &Place::Line(6)]);
    assert!(parsed.problems[0].to_string().contains("secret"), "{:?}", parsed.problems);
}

#[test]
fn extension_json_plain_reads_numbers_names_prefixes_and_keyid_quirk() {
    let json = r#"{
      "b1": {"encrypted": false, "hash": "b1", "index": 1, "type": 2, "secret": "MZXW6YTBOI", "counter": 200, "issuer": "VPN::vpn.example.com", "account": "sato", "algorithm": 1, "dataType": "OTPStorage"},
      "a0": {"encrypted": false, "hash": "a0", "index": 0, "type": "totp", "secret": "JBSWY3DPEHPK3PXP", "pinned": true, "period": 60, "digits": "8", "algorithm": "SHA256", "keyId": "k", "dataType": "OTPStorage"},
      "c2": {"encrypted": false, "index": 2, "type": "totp", "secret": "stm-GEZDGNBVGY3TQOJQ", "issuer": "Steam"},
      "d3": {"encrypted": false, "index": 3, "type": "hex", "secret": "3132333435363738393031323334353637383930"},
      "e4": {"encrypted": false, "index": 4, "type": "totp", "secret": "JBSWY3DPEHPK3PXP", "algorithm": "GOST3411_2012_256", "issuer": "Gov"}
    }"#;
    assert!(AuthenticatorJson.detect(json.as_bytes()));
    let parsed = AuthenticatorJson.read(json.as_bytes(), None).unwrap();
    let e = &parsed.entries;
    assert_eq!((e[0].otp.method, e[0].otp.algorithm, e[0].otp.digits, e[0].pinned), (Method::Totp { period: 60 }, Algorithm::Sha256, 8, true));
    assert_eq!((e[1].issuer.as_str(), e[1].otp.method), ("VPN", Method::Hotp { counter: 200 }));
    assert_eq!(e[2].otp.method, Method::Steam);
    assert_eq!(e[3].otp.secret.as_bytes(), b"12345678901234567890");
    assert_eq!(parsed.problems.len(), 1);
    assert!(matches!(&parsed.problems[0].place, Place::Entry { name, .. } if name.contains("Gov")), "{:?}", parsed.problems);
    assert_eq!(parsed.problems[0].error, EntryError::Unsupported("GOST".into()));
}

#[test]
fn extension_json_is_written_as_the_extension_writes_it() {
    let e = vec![
        Entry { pinned: true, ..entry("GitHub", "sato", otp(Method::Totp { period: 30 }, Algorithm::Sha1, 6, "JBSWY3DPEHPK3PXP")) },
        entry("", "vpn", otp(Method::Hotp { counter: 3 }, Algorithm::Sha512, 8, "MZXW6YTBOI")),
    ];
    let text = String::from_utf8(authenticator_json::write_plain(&e).unwrap().files.remove(0)).unwrap();
    assert!(!text.ends_with('\n') && text.contains("\r\n") && !text.replace("\r\n", "").contains('\n'));
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let first = value.as_object().unwrap().values().find(|v| v["issuer"] == "GitHub").unwrap();
    let keys: Vec<&str> = first.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["account", "dataType", "encrypted", "hash", "index", "issuer", "pinned", "secret", "type"], "all present");
    // Key order as written (serde_json's Value sorts, so check the text).
    let order = ["\"encrypted\"", "\"hash\"", "\"index\"", "\"type\"", "\"secret\"", "\"pinned\"", "\"issuer\"", "\"account\"", "\"dataType\""];
    let positions: Vec<usize> = order.iter().map(|k| text.find(k).unwrap()).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{text}");
    assert!(text.contains("\"counter\": 3,\r\n") && text.contains("\"algorithm\": \"SHA512\""), "{text}");
    assert!(!text.contains("\"period\""), "period only when not 30");
}

#[test]
fn extension_encrypted_v3_round_trip_and_wrong_password() {
    let entries = fixture();
    let file = AuthenticatorEncrypted.write(&entries, Some(PASSWORD)).unwrap().unwrap().files.remove(0);
    let text = String::from_utf8(file.clone()).unwrap();
    assert!(text.contains("\"dataType\": \"EncOTPStorage\"") && text.contains("\"data\": \"U2FsdGVkX1"));
    assert!(text.contains("\"hash\": \"$argon2id$v=19$m=19456,t=2,p=1$"));
    assert!(!text.contains("JBSWY3DP") && !text.contains("Gitea"), "nothing readable");
    assert!(detect(&file).is_some_and(|f| f.id() == "authenticator-encrypted"));
    assert_eq!(AuthenticatorEncrypted.read(&file, None), Err(BackupError::NeedsPassword));
    assert_eq!(AuthenticatorEncrypted.read(&file, Some("wrong")), Err(BackupError::WrongPassword));
    assert_eq!(AuthenticatorEncrypted.read(&file, Some(PASSWORD)).unwrap().entries, entries);
}

#[test]
fn extension_legacy_v1_and_v2_read() {
    let enc = |text: &str, key: &str| cryptojs::encrypt(text.as_bytes(), key, [9; 8]);
    let v1 = format!(
        r#"{{"x": {{"encrypted": true, "index": 0, "type": "totp", "issuer": "Old", "account": "a", "secret": "{}"}}}}"#,
        enc("JBSWY3DPEHPK3PXP", "pw")
    );
    assert_eq!(AuthenticatorEncrypted.read(v1.as_bytes(), Some("pw")).unwrap().entries[0].otp.secret.to_base32().as_str(), "JBSWY3DPEHPK3PXP");
    assert_eq!(AuthenticatorEncrypted.read(v1.as_bytes(), Some("nope")), Err(BackupError::WrongPassword));

    let random_key = [7u8; 120];
    let hex_key = data_encoding::HEXLOWER.encode(&random_key);
    let key_enc = cryptojs::encrypt(&random_key, "pw2", [1; 8]);
    let v2 = format!(
        r#"{{"key": {{"enc": "{key_enc}", "hash": "x"}}, "y": {{"encrypted": true, "index": 0, "type": "hotp", "counter": 5, "secret": "{}"}}}}"#,
        enc("MZXW6YTBOI", &hex_key)
    );
    let parsed = AuthenticatorEncrypted.read(v2.as_bytes(), Some("pw2")).unwrap();
    assert_eq!(parsed.entries[0].otp.method, Method::Hotp { counter: 5 });
}

#[test]
fn google_migration_round_trip_in_batches_of_five() {
    let mut entries: Vec<Entry> = (0..12)
        .map(|i| entry("給与システム", &format!("user{i}@例え.jp"), otp(Method::Hotp { counter: 300 + i }, Algorithm::Sha1, 6, "JBSWY3DPEHPK3PXP")))
        .collect();
    entries.push(entry("X", "sixty", otp(Method::Totp { period: 60 }, Algorithm::Sha1, 6, "JBSWY3DPEHPK3PXP")));
    let (uris, skipped) = migration_payload::encode(&entries, 42);
    assert_eq!(uris.len(), 3);
    assert_eq!(skipped, [("X (sixty)".to_owned(), Remark::PeriodNot30)]);
    assert_eq!(Remark::PeriodNot30.to_string(), "Google Authenticator supports only 30-second codes");

    let mut collector = migration_payload::BatchCollector::default();
    let progress = collector.add(&uris[2]).unwrap();
    assert_eq!((progress.scanned, progress.size), (1, 3));
    collector.add(&uris[0]).unwrap();
    let partial = collector.finish();
    assert_eq!(partial.problems.len(), 1);
    assert_eq!(partial.problems[0].place, Place::QrCode { n: 2, of: 3 });
    assert_eq!(partial.problems[0].error, EntryError::NotScanned { scanned: 2, size: 3 });
    assert_eq!(partial.problems[0].to_string(), "QR code 2 of 3: not scanned (2 of 3 scanned)");

    let all = GoogleMigration.read(uris.join("\n").as_bytes(), None).unwrap();
    assert!(all.problems.is_empty(), "{:?}", all.problems);
    assert_eq!(all.entries, entries[..12]);
}

/// Current Google Authenticator computes SHA-256 and SHA-512 (Keycloak lists it for them
/// since 2024); the migration format carries the algorithm, so those accounts go along.
#[test]
fn google_migration_keeps_sha256_and_sha512_accounts_with_a_note() {
    let entries = vec![
        entry("Keycloak", "sato", otp(Method::Totp { period: 30 }, Algorithm::Sha256, 6, "JBSWY3DPEHPK3PXP")),
        entry("Vault", "sato", otp(Method::Totp { period: 30 }, Algorithm::Sha512, 8, "GEZDGNBVGY3TQOJQ")),
        entry("Mail", "sato", otp(Method::Totp { period: 30 }, Algorithm::Sha1, 6, "KRUGKIDROVUWG2ZA")),
        entry("Game", "sato", otp(Method::Steam, Algorithm::Sha1, 5, "JBSWY3DPEHPK3PXP")),
    ];
    let written = GoogleMigration.write(&entries, None).unwrap().unwrap();
    assert_eq!(written.skipped.len(), 1, "only Steam, which the format cannot hold: {:?}", written.skipped);
    assert_eq!(written.note, Some(Remark::Sha1OnlyBefore2023));
    let read = GoogleMigration.read(&written.files.concat(), None).unwrap();
    assert_eq!(read.entries, entries[..3]);
    assert_eq!(read.entries.iter().map(|e| e.otp.algorithm).collect::<Vec<_>>(), [Algorithm::Sha256, Algorithm::Sha512, Algorithm::Sha1]);

    let sha1_only = GoogleMigration.write(&entries[2..3], None).unwrap().unwrap();
    assert_eq!(sha1_only.note, None, "no note when every account is SHA-1");
}

#[test]
fn google_migration_rejects_garbage_with_a_reason() {
    use migration_payload::{MigrationError, decode};
    assert_eq!(decode("otpauth://totp/x?secret=A").unwrap_err(), MigrationError::NotMigration);
    assert_eq!(decode("otpauth-migration://offline?foo=1").unwrap_err(), MigrationError::NoData);
    assert_eq!(decode("otpauth-migration://offline?data=!!!").unwrap_err(), MigrationError::Base64);
    assert!(matches!(decode("otpauth-migration://offline?data=CgYKAQ"), Err(MigrationError::Protobuf(_))));
    // batch_size = 2^31 - 1 (field 3), batch_index 0: found by fuzzing.
    assert_eq!(decode("otpauth-migration://offline?data=GP%2F%2F%2F%2F8H").unwrap_err(), MigrationError::BatchNumbers { index: 0, size: i32::MAX });
}

#[test]
fn every_writer_round_trips_through_its_reader_and_is_detected() {
    let entries = fixture();
    for format in FORMATS {
        let password = format.encrypted().then_some(PASSWORD);
        let Some(written) = format.write(&entries, password) else {
            continue;
        };
        let written = written.unwrap_or_else(|e| panic!("{}: {e}", format.id()));
        let joined: Vec<u8> = written.files.join(&b'\n');
        let detected = detect(&joined).map(|f| f.id());
        let reader = detected.and_then(by_id).unwrap_or_else(|| panic!("{}: not detected", format.id()));
        let parsed = reader.read(&joined, password).unwrap_or_else(|e| panic!("{}: {e}", format.id()));
        assert!(parsed.problems.is_empty(), "{}: {:?}", format.id(), parsed.problems);
        let skipped: Vec<&str> = written.skipped.iter().map(|(n, _)| n.as_str()).collect();
        let expected: Vec<&Entry> = entries.iter().filter(|e| !skipped.contains(&e.display_name().as_str())).collect();
        assert_eq!(parsed.entries.len(), expected.len(), "{}", format.id());
        for (got, want) in parsed.entries.iter().zip(expected) {
            assert_eq!((&got.issuer, &got.account), (&want.issuer, &want.account), "{}", format.id());
            // Battle.net is 8-digit SHA1 TOTP, which is how formats without the type hold it.
            assert_eq!(got.otp.code_at(1_700_000_000), want.otp.code_at(1_700_000_000), "{}: {}", format.id(), want.display_name());
            assert_eq!(got.otp.secret, want.otp.secret);
        }
    }
}

#[test]
fn readers_never_panic_on_damaged_files() {
    let entries = fixture();
    for format in FORMATS {
        let password = format.encrypted().then_some(PASSWORD);
        let Some(Ok(written)) = format.write(&entries, password) else {
            continue;
        };
        let file = written.files.join(&b'\n');
        for cut in (0..file.len()).step_by(file.len() / 40 + 1) {
            for reader in FORMATS {
                let _ = reader.read(&file[..cut], Some("x"));
            }
        }
    }
}

#[test]
fn preview_marks_new_duplicate_keys_and_same_names() {
    let f = fixture();
    let stored: Vec<Account> = f[..2].iter().enumerate().map(|(i, e)| Account::from_draft(e.clone().into_draft(), i as u32, 0)).collect();
    let same_name_other_key = entry("Gitea", "BOB@example.net", otp(Method::Totp { period: 30 }, Algorithm::Sha1, 6, "MFRGGZDFMZTWQ2LK"));
    let parsed = Parsed {
        entries: vec![f[0].clone(), same_name_other_key, f[2].clone(), f[2].clone()],
        problems: vec![Problem { place: Place::Line(9), error: EntryError::NoSecret }].into(),
    };
    let preview = Preview::new(&stored, parsed);
    let statuses: Vec<&Status> = preview.items.iter().map(|(_, s)| s).collect();
    assert_eq!(
        statuses,
        [
            &Status::SameKey(Names { issuer: "給与システム".into(), account: "佐藤 花子".into(), label: String::new() }),
            &Status::SameName(Names { issuer: "Gitea".into(), account: "bob@example.net".into(), label: String::new() }),
            &Status::New,
            &Status::RepeatedInFile
        ]
    );
    assert_eq!(preview.to_import(false), [f[2].clone()]);
    assert_eq!(preview.to_import(true).len(), 2);
    assert_eq!(preview.problems.len(), 1);
}

#[test]
fn committed_samples_are_detected_as_their_format() {
    let one_line: (&[u8], &str) = (b"otpauth://totp/x?secret=JBSWY3DPEHPK3PXP\n", "authenticator-txt");
    for (bytes, id) in super::CLI_SAMPLES.into_iter().chain([one_line]) {
        assert_eq!(detect(bytes).map(|f| f.id()), Some(id));
    }
    assert!(detect(b"{\"hello\": 1}").is_none());
    assert!(detect(b"").is_none());
}

#[test]
fn twofas_encrypted_reads_with_its_password() {
    use aes_gcm::aead::{Aead, KeyInit};
    let services = br#"[{"name":"GitHub","secret":"JBSWY3DPEHPK3PXP","otp":{"account":"sato","issuer":"GitHub","digits":6,"period":30,"algorithm":"SHA1","tokenType":"TOTP"},"order":{"position":0}}]"#;
    let (salt, iv) = ([5u8; 256], [6u8; 12]);
    let mut key = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<sha2::Sha256>(PASSWORD.as_bytes(), &salt, 10_000, &mut key);
    let ciphertext = aes_gcm::Aes256Gcm::new_from_slice(&key).unwrap().encrypt(&aes_gcm::Nonce::from(iv), services.as_slice()).unwrap();
    let b64 = |b: &[u8]| data_encoding::BASE64.encode(b);
    let file = format!(r#"{{"services":[],"groups":[],"schemaVersion":4,"servicesEncrypted":"{}:{}:{}"}}"#, b64(&ciphertext), b64(&salt), b64(&iv));
    assert_eq!(twofas::TwoFas.read(file.as_bytes(), None), Err(BackupError::NeedsPassword));
    assert_eq!(twofas::TwoFas.read(file.as_bytes(), Some("wrong")), Err(BackupError::WrongPassword));
    let parsed = twofas::TwoFas.read(file.as_bytes(), Some(PASSWORD)).unwrap();
    assert_eq!((parsed.entries[0].issuer.as_str(), parsed.entries[0].account.as_str()), ("GitHub", "sato"));
}

/// A 5 MB key in an otpauth line was once accepted and stored; limits now refuse such input
/// with the limit named, and nothing of the file is imported.
#[test]
fn oversized_keys_lines_and_files_are_refused_with_the_limit_named() {
    let long_key = "A".repeat(1700); // 1,062 bytes once decoded
    let uri = format!("otpauth://totp/x?secret={long_key}");
    let err = uri.parse::<crate::otp::uri::KeyUri>().unwrap_err().to_string();
    assert!(err.contains("keys over 1,024 bytes are refused"), "{err}");
    let just_fits = format!("otpauth://totp/x?secret={}", "A".repeat(1637)); // 1,023 bytes
    assert!(just_fits.parse::<crate::otp::uri::KeyUri>().is_ok());

    let txt = format!("otpauth://totp/a?secret=JBSWY3DPEHPK3PXP\n{uri}\n");
    let parsed = super::authenticator_txt::AuthenticatorTxt.read(txt.as_bytes(), None).unwrap();
    assert_eq!(parsed.entries.len(), 1, "the good line still reads");
    assert!(parsed.problems[0].to_string().contains("1,024 bytes"), "{:?}", parsed.problems);

    let huge_line = format!("otpauth://totp/a?secret=JBSWY3DPEHPK3PXP\notpauth://totp/b?issuer={}\n", "x".repeat(super::MAX_LINE_BYTES));
    let err = super::check_limits(huge_line.as_bytes()).unwrap_err().to_string();
    assert!(err.starts_with("line 2:") && err.contains("lines over 1 MiB are refused"), "{err}");
    // A one-line JSON backup with its icons inside is read whole.
    let one_line_json = format!("\u{feff} {{\"Authenticators\":[],\"Icons\":\"{}\"}}", "A".repeat(3 * super::MAX_LINE_BYTES));
    assert_eq!(super::check_limits(one_line_json.as_bytes()), Ok(()));
    assert!(super::authenticator_txt::AuthenticatorTxt.read(huge_line.as_bytes(), None).is_err(), "nothing is half-imported");

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("authenticator.txt");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(super::MAX_FILE_BYTES + 1).unwrap();
    match super::read_file(&path) {
        Err(super::ReadFileError::Backup(BackupError::TooLarge(size))) => {
            assert_eq!(size, super::MAX_FILE_BYTES + 1)
        }
        other => panic!("{other:?}"),
    }
    assert!(BackupError::TooLarge(super::MAX_FILE_BYTES + 1).to_string().contains("backups over 64 MiB are refused"));

    // Names: 1,000 characters pass (Japanese counts by character), 1,001 do not.
    let name = |n: usize| "認".repeat(n);
    assert!(format!("otpauth://totp/{}?secret=JBSWY3DPEHPK3PXP", name(1000)).parse::<crate::otp::uri::KeyUri>().is_ok());
    let err = format!("otpauth://totp/{}?secret=JBSWY3DPEHPK3PXP", name(1001)).parse::<crate::otp::uri::KeyUri>().unwrap_err();
    assert_eq!(err.to_string(), "a name is 1001 characters long; names over 1,000 characters are refused");
    let mut long = entry("Issuer", "ok", otp(Method::Totp { period: 30 }, Algorithm::Sha1, 6, "JBSWY3DPEHPK3PXP"));
    long.label = name(1001);
    let fine = entry("Mail", "sato", otp(Method::Totp { period: 30 }, Algorithm::Sha1, 6, "GEZDGNBVGY3TQOJQ"));
    let preview = Preview::new(&[], Parsed { entries: vec![long, fine.clone()], problems: Problems::default() });
    assert_eq!(preview.items.len(), 1, "the long-named account is left out of the import");
    assert_eq!(preview.items[0].0, fine);
    assert!(matches!(preview.problems[0].error, EntryError::Name(_)), "{:?}", preview.problems);
}

/// An encrypted Aegis export whose slots are replaced by `slots`.
fn aegis_with_slots(slots: impl FnOnce(serde_json::Value) -> Vec<serde_json::Value>) -> Vec<u8> {
    let file = aegis::write(&fixture()[..1], Some(PASSWORD)).unwrap().files.remove(0);
    let mut v: serde_json::Value = serde_json::from_slice(&file).unwrap();
    let genuine = v["header"]["slots"][0].clone();
    v["header"]["slots"] = serde_json::Value::Array(slots(genuine));
    serde_json::to_vec(&v).unwrap()
}

fn with_scrypt_cost(mut slot: serde_json::Value, n: u64, r: u64, p: u64) -> serde_json::Value {
    slot["n"] = n.into();
    slot["r"] = r.into();
    slot["p"] = p.into();
    slot
}

/// Before the caps, the first file derived four keys of 2 GiB each, 256 times Aegis's cost
/// (over a minute and a half), and the last 300 keys of half a second each (minutes): they
/// are now refused before any scrypt runs, even without a password.
#[test]
fn aegis_files_asking_for_costly_or_countless_scrypt_are_refused_before_deriving() {
    let absurd = aegis_with_slots(|g| vec![with_scrypt_cost(g, 1 << 20, 16, 4); 4]);
    let too = |what, value, max| Err(BackupError::TooCostly { what, value, max });
    for password in [None, Some("wrong"), Some(PASSWORD)] {
        assert_eq!(aegis::AegisEncrypted.read(&absurd, password), too("scrypt N×r×p", 1 << 26, 1 << 20));
    }
    let costly_behind_genuine = aegis_with_slots(|g| vec![g.clone(), with_scrypt_cost(g, 1 << 20, 16, 4)]);
    assert_eq!(aegis::AegisEncrypted.read(&costly_behind_genuine, Some("wrong")), too("scrypt N×r×p", 1 << 26, 1 << 20));
    let truncating = aegis_with_slots(|g| vec![with_scrypt_cost(g, 1 << 15, (1 << 32) + 8, 1)]);
    assert!(matches!(aegis::AegisEncrypted.read(&truncating, Some("wrong")), Err(BackupError::TooCostly { .. })), "r is not cut to 32 bits");

    let countless = aegis_with_slots(|g| vec![with_scrypt_cost(g, 1 << 17, 8, 1); 300]);
    assert_eq!(aegis::AegisEncrypted.read(&countless, Some("wrong")), too("password slots", 300, 4));
    let biometric = aegis_with_slots(|g| {
        let mut slot = g.clone();
        slot["type"] = 2.into();
        let mut slots = vec![slot; 300];
        slots.push(g);
        slots
    });
    assert_eq!(aegis::AegisEncrypted.read(&biometric, Some(PASSWORD)).unwrap().entries, fixture()[..1], "other slots cost nothing");

    let at_caps = aegis_with_slots(|g| {
        let (wide, parallel) = (with_scrypt_cost(g.clone(), 1 << 17, 8, 1), with_scrypt_cost(g, 1 << 15, 8, 4));
        vec![wide.clone(), parallel.clone(), wide, parallel]
    });
    assert_eq!(aegis::AegisEncrypted.read(&at_caps, None), Err(BackupError::NeedsPassword), "at the caps the password is asked for");
    let message = BackupError::TooCostly { what: "password slots", value: 300, max: 4 }.to_string();
    assert_eq!(
        message,
        "the file asks for far more key derivation than the app that made it ever does (password slots: 300, at most 4), so it was refused \
         without trying the password"
    );
}

/// Before the cap, every key object was derived (some 20 ms each): ten thousand of them
/// took minutes.
#[test]
fn extension_files_with_countless_keys_are_refused_before_deriving() {
    let file = AuthenticatorEncrypted.write(&fixture(), Some(PASSWORD)).unwrap().unwrap().files.remove(0);
    let with_keys = |count: usize| {
        let mut top: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(&file).unwrap();
        for i in 1..count {
            let id = format!("00000000-0000-4000-8000-{i:012}");
            top.insert(id.clone(), serde_json::json!({ "dataType": "Key", "id": id, "salt": format!("{i:016x}"), "hash": "x", "version": 3 }));
        }
        serde_json::to_vec_pretty(&top).unwrap()
    };
    let countless = with_keys(10_000);
    for password in [None, Some("wrong"), Some(PASSWORD)] {
        assert_eq!(AuthenticatorEncrypted.read(&countless, password), Err(BackupError::TooCostly { what: "password keys", value: 10_000, max: 8 }));
    }
    assert_eq!(AuthenticatorEncrypted.read(&with_keys(8), None), Err(BackupError::NeedsPassword), "eight keys are asked a password for");
}

/// A transfer file as an attacker would write it: any header, nothing that decrypts.
fn crafted_transfer(slots: Vec<serde_json::Value>) -> Vec<u8> {
    let header = serde_json::to_vec(&serde_json::json!({ "version": 1, "vault_id": uuid::Uuid::new_v4(), "slots": slots })).unwrap();
    [b"NINSHO-VAULT\n".as_slice(), &(header.len() as u32).to_le_bytes(), &header, &[0; 12], &[0; 32]].concat()
}

fn argon_slot(m_cost: u32, t_cost: u32, p_cost: u32) -> serde_json::Value {
    let b64 = |n: usize| data_encoding::BASE64.encode(&vec![7; n]);
    serde_json::json!({
        "type": "passphrase", "id": uuid::Uuid::new_v4(), "kdf": { "m_cost": m_cost, "t_cost": t_cost, "p_cost": p_cost },
        "salt": b64(16), "nonce": b64(12), "wrapped_key": b64(48)
    })
}

/// Before the caps, the first file derived two keys of 1 GiB × 20 passes (half a minute),
/// and the last two hundred keys of about a second each (minutes).
#[test]
fn ninsho_transfer_files_asking_for_costly_or_countless_argon2_are_refused_before_deriving() {
    let too = |what, value, max| Err(BackupError::TooCostly { what, value, max });
    let absurd = crafted_transfer(vec![argon_slot(1024 * 1024, 20, 16); 2]);
    assert!(detect(&absurd).is_some_and(|f| f.id() == "ninsho"));
    assert_eq!(ninsho_transfer::NinshoTransfer.read(&absurd, Some("wrong")), too("Argon2 memory in KiB", 1024 * 1024, 256 * 1024));
    let long = crafted_transfer(vec![argon_slot(64 * 1024, 20, 1)]);
    assert_eq!(ninsho_transfer::NinshoTransfer.read(&long, Some("wrong")), too("Argon2 memory × passes in KiB", 64 * 1024 * 20, 4 * 64 * 1024 * 3));
    let countless = crafted_transfer(vec![argon_slot(256 * 1024, 3, 1); 200]);
    assert_eq!(ninsho_transfer::NinshoTransfer.read(&countless, Some("wrong")), too("passphrase slots", 200, 2));
}

/// A file of nothing but bad lines keeps the first hundred problems and counts the rest,
/// whatever its size.
#[test]
fn problems_are_kept_to_a_hundred_and_counted_beyond() {
    let text = "not a uri\n".repeat(100_000);
    let parsed = AuthenticatorTxt.read(text.as_bytes(), None).unwrap();
    assert_eq!(parsed.problems.len(), Problems::LISTED);
    assert_eq!(parsed.problems.left_out, 100_000 - Problems::LISTED);
    assert_eq!(parsed.problems.total(), 100_000);
    assert_eq!(parsed.problems[99].place, Place::Line(100));
}

#[test]
fn a_long_name_is_cut_with_an_ellipsis_and_a_short_one_is_not() {
    assert_eq!(Place::account("GitHub"), Place::Account("GitHub".into()));
    let long = "あ".repeat(50);
    assert_eq!(Place::account(&long), Place::Account(format!("{}…", "あ".repeat(40))));
}
