//! Authenticator Pro backups (`.authpro`; the app is now called Stratum and writes
//! `.stratum`), in the three forms its `Stratum.Core/src/Backup/Encryption` reads:
//!
//! - plain: the JSON `{"Authenticators": [...], "Categories": [...], ...}`, one line;
//! - current encryption (1.19, March 2023, and later): `AUTHENTICATORPRO`, a 16-byte salt, a
//!   12-byte IV, then AES-256-GCM (tag at the end) under Argon2id of the password (64 MiB,
//!   3 passes, 4 lanes, version 0x13);
//! - legacy encryption (1.13 to 1.18): `AuthenticatorPro`, a 20-byte salt, a 16-byte IV,
//!   then AES-256-CBC with PKCS#7 under PBKDF2-HMAC-SHA1 of the password (64,000 rounds).
//!
//! Both key derivations are constants of the app, not fields of the file, so a crafted file
//! cannot ask for more work than the app itself does: there is nothing to cap.
//! Versions before 1.13 wrote headerless AES-CBC blobs, which cannot be told from any other
//! binary file; the current app no longer reads them either.

use aes::cipher::{BlockModeDecrypt, KeyIvInit, block_padding::Pkcs7};
use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use serde_json::Value;
use zeroize::Zeroizing;

use super::{BackupError, Entry, EntryError, Field, Format, Parsed, Place, Problem, Problems};
use crate::otp::{Algorithm, Method, Otp, OtpError};
use crate::secret::Secret;

const HEADER: &[u8; 16] = b"AUTHENTICATORPRO";
const SALT_LEN: usize = 16;
const IV_LEN: usize = 12;
const TAG_LEN: usize = 16;
/// Konscious.Security.Cryptography's `MemorySize` is in KiB: 64 MiB.
const ARGON_M_KIB: u32 = 65_536;
const ARGON_T: u32 = 3;
const ARGON_P: u32 = 4;

const LEGACY_HEADER: &[u8; 16] = b"AuthenticatorPro";
const LEGACY_SALT_LEN: usize = 20;
const LEGACY_IV_LEN: usize = 16;
const LEGACY_ROUNDS: u32 = 64_000;

fn plain_json(bytes: &[u8]) -> Option<Value> {
    // What the app itself checks before it calls a file an unencrypted backup.
    super::json(bytes).filter(|v| v["Authenticators"].is_array())
}

fn open_current(body: &[u8], password: Option<&str>) -> Result<Zeroizing<Vec<u8>>, BackupError> {
    if body.len() < SALT_LEN + IV_LEN + TAG_LEN {
        return Err(BackupError::malformed("file", "too short for an encrypted Authenticator Pro backup"));
    }
    let (salt, rest) = body.split_at(SALT_LEN);
    let (iv, ciphertext) = rest.split_at(IV_LEN);
    let password = password.ok_or(BackupError::NeedsPassword)?;
    let params = argon2::Params::new(ARGON_M_KIB, ARGON_T, ARGON_P, Some(32)).map_err(|e| BackupError::malformed("key", e))?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut key = Zeroizing::new([0u8; 32]);
    argon.hash_password_into(password.as_bytes(), salt, key.as_mut()).map_err(|e| BackupError::malformed("key", e))?;
    let iv: [u8; IV_LEN] = iv.try_into().map_err(|_| BackupError::malformed("file", "the IV is not 12 bytes"))?;
    let cipher = Aes256Gcm::new_from_slice(key.as_ref()).map_err(|e| BackupError::malformed("key", e))?;
    cipher.decrypt(&Nonce::from(iv), ciphertext).map(Zeroizing::new).map_err(|_| BackupError::WrongPassword)
}

fn open_legacy(body: &[u8], password: Option<&str>) -> Result<Zeroizing<Vec<u8>>, BackupError> {
    let ciphertext_len = body.len().saturating_sub(LEGACY_SALT_LEN + LEGACY_IV_LEN);
    if ciphertext_len == 0 || !ciphertext_len.is_multiple_of(16) {
        return Err(BackupError::malformed("file", "not a whole number of AES blocks after the legacy header"));
    }
    let (salt, rest) = body.split_at(LEGACY_SALT_LEN);
    let (iv, ciphertext) = rest.split_at(LEGACY_IV_LEN);
    let password = password.ok_or(BackupError::NeedsPassword)?;
    let mut key = Zeroizing::new([0u8; 32]);
    pbkdf2::pbkdf2_hmac::<sha1::Sha1>(password.as_bytes(), salt, LEGACY_ROUNDS, key.as_mut());
    let decryptor = cbc::Decryptor::<aes::Aes256>::new_from_slices(key.as_ref(), iv).map_err(|e| BackupError::malformed("key", e))?;
    decryptor.decrypt_padded_vec::<Pkcs7>(ciphertext).map(Zeroizing::new).map_err(|_| BackupError::WrongPassword)
}

/// Newtonsoft.Json reads `6` and `"6"` alike into an int; a missing or null field keeps
/// the app's default. `None` when the value is no integer.
fn int(v: &Value, default: i64) -> Option<i64> {
    match v {
        Value::Null => Some(default),
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

enum Kind {
    Hotp,
    Totp,
    Steam,
}

/// `AuthenticatorType`: 1 HOTP, 2 TOTP, 3 mOTP, 4 Steam, 5 Yandex (numbers in every file the
/// app writes; Newtonsoft would also read the member names).
fn kind(v: &Value) -> Result<Kind, EntryError> {
    let name = match v {
        Value::Null => return Ok(Kind::Totp),
        Value::Number(n) => match n.as_u64() {
            Some(1) => "hotp",
            Some(2) => "totp",
            Some(3) => "mobileotp",
            Some(4) => "steamotp",
            Some(5) => "yandexotp",
            _ => return Err(EntryError::unknown(Field::Type, n)),
        },
        Value::String(s) => &s.to_ascii_lowercase(),
        other => return Err(EntryError::unknown(Field::Type, other)),
    };
    match name {
        "hotp" => Ok(Kind::Hotp),
        "totp" => Ok(Kind::Totp),
        "steamotp" => Ok(Kind::Steam),
        "mobileotp" => Err(EntryError::unsupported("Mobile-OTP")),
        "yandexotp" => Err(EntryError::unsupported("Yandex")),
        _ => Err(EntryError::unknown(Field::Type, v)),
    }
}

/// `HashAlgorithm`: 0 SHA-1, 1 SHA-256, 2 SHA-512.
fn algorithm(v: &Value) -> Result<Algorithm, EntryError> {
    match v {
        Value::Null => Ok(Algorithm::Sha1),
        Value::Number(n) => match n.as_u64() {
            Some(0) => Ok(Algorithm::Sha1),
            Some(1) => Ok(Algorithm::Sha256),
            Some(2) => Ok(Algorithm::Sha512),
            _ => Err(EntryError::unknown(Field::Algorithm, n)),
        },
        Value::String(s) => Ok(s.parse()?),
        other => Err(EntryError::unknown(Field::Algorithm, other)),
    }
}

fn entry_from(a: &Value) -> Result<Entry, EntryError> {
    let kind = kind(&a["Type"])?;
    let secret = Secret::from_base32(a["Secret"].as_str().ok_or(EntryError::NoSecret)?)?;
    let algorithm = algorithm(&a["Algorithm"])?;
    let digits = int(&a["Digits"], 6).and_then(|d| u32::try_from(d).ok()).ok_or_else(|| EntryError::unknown(Field::Digits, &a["Digits"]))?;
    let method = match kind {
        Kind::Hotp => {
            let counter = int(&a["Counter"], 0).and_then(|c| u64::try_from(c).ok());
            Method::Hotp { counter: counter.ok_or_else(|| EntryError::unknown(Field::Counter, &a["Counter"]))? }
        }
        Kind::Totp => {
            let period =
                int(&a["Period"], i64::from(Method::DEFAULT_PERIOD)).ok_or_else(|| EntryError::unsupported(format!("period {}", a["Period"])))?;
            let period = u32::try_from(period).map_err(|_| match u64::try_from(period) {
                Ok(long) => EntryError::Otp(OtpError::Period(long)),
                Err(_) => EntryError::unsupported(format!("period {period}")),
            })?;
            Method::Totp { period }
        }
        Kind::Steam => Method::Steam,
    };
    let otp = Otp::new(method, algorithm, digits, secret)?;
    let text = |k: &str| a[k].as_str().unwrap_or_default().trim().to_owned();
    Ok(Entry { issuer: text("Issuer"), account: text("Username"), label: String::new(), otp, pinned: false })
}

fn name_of(a: &Value) -> String {
    let issuer = a["Issuer"].as_str().unwrap_or_default();
    match a["Username"].as_str().unwrap_or_default() {
        "" => issuer.to_owned(),
        username if issuer.is_empty() => username.to_owned(),
        username => format!("{issuer} ({username})"),
    }
}

fn entries_of(backup: &Value) -> Result<Parsed, BackupError> {
    let list = backup["Authenticators"].as_array().ok_or_else(|| BackupError::malformed("Authenticators", "missing"))?;
    let mut ranked = Vec::new();
    let mut problems = Problems::default();
    for (i, a) in list.iter().enumerate() {
        match entry_from(a) {
            Ok(entry) => ranked.push((int(&a["Ranking"], 0).unwrap_or(0), entry)),
            Err(error) => problems.push(Problem { place: Place::entry(i + 1, name_of(a)), error }),
        }
    }
    // The file lists accounts in database order; the app shows them by ranking (the order
    // the user dragged them into), and the sort is stable where rankings are equal.
    ranked.sort_by_key(|(rank, _)| *rank);
    Ok(Parsed { entries: ranked.into_iter().map(|(_, e)| e).collect(), problems })
}

pub fn read(bytes: &[u8], password: Option<&str>) -> Result<Parsed, BackupError> {
    let (plain, authenticated) = if let Some(body) = bytes.strip_prefix(HEADER) {
        (open_current(body, password)?, true)
    } else if let Some(body) = bytes.strip_prefix(LEGACY_HEADER) {
        (open_legacy(body, password)?, false)
    } else {
        let backup = plain_json(bytes).ok_or_else(|| BackupError::malformed("file", "not an Authenticator Pro backup"))?;
        return entries_of(&backup);
    };
    let backup: Value = serde_json::from_slice(&plain).map_err(|e| match authenticated {
        true => BackupError::malformed("file", e),
        // CBC has no MAC: one wrong key in 256 still ends in valid padding, and only the
        // JSON that follows tells it from the right one.
        false => BackupError::WrongPassword,
    })?;
    entries_of(&backup)
}

pub struct AuthenticatorPro;

impl Format for AuthenticatorPro {
    fn id(&self) -> &'static str {
        "authenticator-pro"
    }
    fn name(&self) -> &'static str {
        "Authenticator Pro (Stratum) backup"
    }
    fn detect(&self, bytes: &[u8]) -> bool {
        bytes.starts_with(HEADER) || bytes.starts_with(LEGACY_HEADER) || plain_json(bytes).is_some()
    }
    fn read(&self, bytes: &[u8], password: Option<&str>) -> Result<Parsed, BackupError> {
        read(bytes, password)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backup::{FORMATS, detect};

    const AEGIS_PLAIN: &[u8] = include_bytes!("samples/authenticator_pro/stratum_plain.json");
    const AEGIS_CURRENT: &[u8] = include_bytes!("samples/authenticator_pro/stratum_encrypted.bin");
    const AEGIS_LEGACY: &[u8] = include_bytes!("samples/authenticator_pro/stratum_encrypted_legacy.bin");
    const OWN_PLAIN: &[u8] = include_bytes!("samples/authenticator_pro/backup.unencrypted.authpro");
    const OWN_CURRENT: &[u8] = include_bytes!("samples/authenticator_pro/backup.strong.authpro");
    const OWN_LEGACY: &[u8] = include_bytes!("samples/authenticator_pro/backup.legacy.authpro");
    // Both key derivations are the app's constants, so no file can ask for more work and
    // there is no cap to test (see the module comment).

    /// The password of every encrypted sample (SOURCES.md).
    const PASSWORD: &str = "test";
    const ALL: [&[u8]; 6] = [AEGIS_PLAIN, AEGIS_CURRENT, AEGIS_LEGACY, OWN_PLAIN, OWN_CURRENT, OWN_LEGACY];
    /// Codes below were computed at this time by PyOTP 2.9 (pyotp.TOTP / HOTP /
    /// contrib.Steam), not by Ninsho.
    const AT: u64 = 1_700_000_000;

    type Want = (&'static str, &'static str, &'static str, Method, Algorithm, u8, &'static str);

    fn check(parsed: &Parsed, want: &[Want]) {
        assert_eq!(parsed.entries.len(), want.len(), "{:?}", parsed.entries);
        for (e, &(issuer, account, secret, method, algorithm, digits, code)) in parsed.entries.iter().zip(want) {
            assert_eq!((e.issuer.as_str(), e.account.as_str()), (issuer, account));
            // Compared as bytes: made-up keys have bits after the last byte, which re-encoding drops.
            assert_eq!(e.otp.secret, Secret::from_base32(secret).unwrap(), "{issuer}");
            assert_eq!((e.otp.method, e.otp.algorithm, e.otp.digits), (method, algorithm, digits), "{issuer}");
            assert_eq!(e.otp.code_at(AT).code, code, "{issuer}");
            assert!(e.label.is_empty() && !e.pinned);
        }
    }

    /// Aegis's test vectors (app/src/test/java/.../vectors/VaultEntries.java), less the
    /// Battle.net one, which Stratum has no type for; all rankings are 0, so file order.
    fn aegis_vectors() -> Vec<Want> {
        let totp = |period| Method::Totp { period };
        let hotp = |counter| Method::Hotp { counter };
        vec![
            ("Deno", "Mason", "4SJHB4GSD43FZBAI7C2HLRJGPQ", totp(30), Algorithm::Sha1, 6, "790195"),
            ("SPDX", "James", "5OM4WOOGPLQEF6UGN3CPEOOLWU", totp(20), Algorithm::Sha256, 7, "9993814"),
            ("Airbnb", "Elijah", "7ELGJSGXNCCTV3O6LKJWYFV2RA", totp(50), Algorithm::Sha512, 8, "65516786"),
            ("Issuu", "James", "YOOMIXWS5GN6RTBPUFFWKTW5M4", hotp(1), Algorithm::Sha1, 6, "253717"),
            ("Air Canada", "Benjamin", "KUVJJOM753IHTNDSZVCNKL7GII", hotp(50), Algorithm::Sha256, 7, "4444976"),
            ("WWE", "Mason", "5VAML3X35THCEBVRLV24CGBKOY", hotp(10300), Algorithm::Sha512, 8, "24622277"),
            ("Boeing", "Sophia", "JRZCL47CMXVOQMNPZR2F7J4RGI", Method::Steam, Algorithm::Sha1, 5, "747JR"),
        ]
    }

    #[test]
    fn aegis_samples_read_in_all_three_forms() {
        for (bytes, password) in [(AEGIS_PLAIN, None), (AEGIS_CURRENT, Some(PASSWORD)), (AEGIS_LEGACY, Some(PASSWORD))] {
            let parsed = read(bytes, password).unwrap();
            assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
            check(&parsed, &aegis_vectors());
        }
    }

    /// The app's own test backups: the 9-digit account is one Ninsho cannot show (it
    /// computes 6 to 8), and is named while the six others import.
    #[test]
    fn the_apps_own_encrypted_samples_read_and_name_the_nine_digit_account() {
        let totp = |period| Method::Totp { period };
        let want: [Want; 6] = [
            ("Long", "Period", "JGRMXBLPPYQIFMRBFQDHNP3MPPYQYNUN", totp(60), Algorithm::Sha1, 6, "440725"),
            ("Sha", "256", "RJNZJM7PAGJUBG32XHQWHFZVLYOMGIUQ", totp(30), Algorithm::Sha256, 6, "414410"),
            ("Sha", "512", "UW33SR5O4EKTDXNCBBS5FSPUKAYXIWOH", totp(30), Algorithm::Sha512, 6, "228515"),
            ("Standard", "Hotp", "JOR2VZXMNHACFNLRAOACFFRDRYAOFMLB", Method::Hotp { counter: 10 }, Algorithm::Sha1, 6, "651512"),
            ("Standard", "Totp", "54VEGZFJHM3BGDONFERMPUOKNGDJETGM", totp(30), Algorithm::Sha1, 6, "548791"),
            ("NoIssuer", "", "KY2QJPMNQLSGSZE2C5F7AYBLBVEEDHFX", totp(30), Algorithm::Sha1, 6, "961004"),
        ];
        for bytes in [OWN_CURRENT, OWN_LEGACY] {
            let parsed = read(bytes, Some(PASSWORD)).unwrap();
            check(&parsed, &want);
            assert_eq!(parsed.problems.to_vec(), [Problem { place: Place::entry(2, "Many (Digits)"), error: EntryError::Otp(OtpError::Digits(9)) }]);
        }
    }

    /// Made-up keys, some of impossible length, a Mobile-OTP account and a custom icon;
    /// the accounts come out by their ranking, not in file order.
    #[test]
    fn the_apps_own_plain_sample_reads_by_ranking_and_names_what_it_cannot() {
        let parsed = read(OWN_PLAIN, None).unwrap();
        let names: Vec<&str> = parsed.entries.iter().map(|e| e.issuer.as_str()).collect();
        let by_ranking = [
            "Amazon",
            "Dropbox",
            "DigitalOcean",
            "GitHub",
            "Instagram",
            "Facebook",
            "Microsoft",
            "HOTP example",
            "Slack",
            "PayPal",
            "Twitter",
            "Steam",
        ];
        assert_eq!(names, by_ranking);
        let pick = |issuer: &str| parsed.entries.iter().find(|e| e.issuer == issuer).unwrap();
        let totp30 = Method::Totp { period: 30 };
        check(
            &Parsed {
                entries: vec![pick("DigitalOcean").clone(), pick("HOTP example").clone(), pick("Steam").clone()],
                problems: Problems::default(),
            },
            &[
                ("DigitalOcean", "john@example.com", "PAOSKDOASKDOSKDA", totp30, Algorithm::Sha1, 6, "591127"),
                ("HOTP example", "john@example.com", "OISJDIASJDIASJDOAI", Method::Hotp { counter: 4 }, Algorithm::Sha1, 6, "391367"),
                ("Steam", "example", "AOSKDPAOSKDPASODKOAPSDK", Method::Steam, Algorithm::Sha1, 5, "38W4B"),
            ],
        );
        let problems: Vec<(String, String)> = parsed.problems.iter().map(|p| (p.place.to_string(), p.error.to_string())).collect();
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert_eq!(problems[0].0, "entry 8 (Epic Games (john@example.com))");
        assert!(matches!(parsed.problems[0].error, EntryError::Secret(crate::secret::SecretError::InvalidLength(14))));
        assert_eq!(problems[1], ("entry 14 (Company VPN (john@example.com))".into(), "Mobile-OTP accounts are not supported".into()));
        assert_eq!(problems[2].0, "entry 15 (Blizzard (example))");
    }

    #[test]
    fn yandex_unknown_types_and_fields_are_problems_of_their_entry() {
        let file = br#"{"Authenticators":[
            {"Type":5,"Issuer":"Yandex","Username":"ivan","Secret":"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP","Pin":"1234","Algorithm":0,"Digits":8,"Period":30,"Counter":0,"Ranking":0},
            {"Type":9,"Issuer":"Odd","Username":null,"Secret":"JBSWY3DPEHPK3PXP"},
            {"Type":2,"Issuer":"Hash","Username":"x","Secret":"JBSWY3DPEHPK3PXP","Algorithm":7},
            {"Type":1,"Issuer":"Back","Username":"x","Secret":"JBSWY3DPEHPK3PXP","Counter":-1},
            {"Type":2,"Issuer":"Zero","Username":"x","Secret":"JBSWY3DPEHPK3PXP","Period":0},
            {"Type":2,"Issuer":"Keyless","Username":"x"},
            {"Type":"Totp","Issuer":"Named","Username":"x","Secret":"jbsw y3dp ehpk 3pxp","Algorithm":"Sha256","Digits":"8","Period":"60"},
            {"Issuer":"Defaults","Secret":"JBSWY3DPEHPK3PXP"}
        ],"Categories":[]}"#;
        assert!(AuthenticatorPro.detect(file));
        let parsed = read(file, None).unwrap();
        let places: Vec<String> = parsed.problems.iter().map(|p| p.place.to_string()).collect();
        assert_eq!(
            places,
            ["entry 1 (Yandex (ivan))", "entry 2 (Odd)", "entry 3 (Hash (x))", "entry 4 (Back (x))", "entry 5 (Zero (x))", "entry 6 (Keyless (x))"]
        );
        let errors: Vec<&EntryError> = parsed.problems.iter().map(|p| &p.error).collect();
        assert_eq!(
            errors,
            [
                &EntryError::Unsupported("Yandex".into()),
                &EntryError::Unknown(Field::Type, "9".into()),
                &EntryError::Unknown(Field::Algorithm, "7".into()),
                &EntryError::Unknown(Field::Counter, "-1".into()),
                &EntryError::Otp(OtpError::Period(0)),
                &EntryError::NoSecret,
            ]
        );
        let e = &parsed.entries;
        assert_eq!((e[0].otp.method, e[0].otp.algorithm, e[0].otp.digits), (Method::Totp { period: 60 }, Algorithm::Sha256, 8));
        assert_eq!(e[0].otp.secret.to_base32().as_str(), "JBSWY3DPEHPK3PXP");
        assert_eq!(
            (e[1].account.as_str(), e[1].otp.method, e[1].otp.algorithm, e[1].otp.digits),
            ("", Method::Totp { period: 30 }, Algorithm::Sha1, 6)
        );
    }

    #[test]
    fn missing_and_wrong_passwords() {
        for bytes in [AEGIS_CURRENT, AEGIS_LEGACY, OWN_CURRENT, OWN_LEGACY] {
            assert_eq!(read(bytes, None), Err(BackupError::NeedsPassword));
            assert_eq!(read(bytes, Some("testing1")), Err(BackupError::WrongPassword));
        }
    }

    #[test]
    fn damaged_files_are_named_as_such_and_never_panic() {
        let too_short = [HEADER.as_slice(), &[0; 20]].concat();
        assert!(matches!(read(&too_short, Some(PASSWORD)), Err(BackupError::Malformed { .. })));
        assert!(matches!(read(&too_short, None), Err(BackupError::Malformed { .. })), "damage is named before the password is asked for");
        let cut_legacy = &OWN_LEGACY[..OWN_LEGACY.len() - 5];
        assert!(matches!(read(cut_legacy, Some(PASSWORD)), Err(BackupError::Malformed { .. })));
        let mut flipped = OWN_CURRENT.to_vec();
        let middle = flipped.len() / 2;
        flipped[middle] ^= 1;
        assert_eq!(read(&flipped, Some(PASSWORD)), Err(BackupError::WrongPassword), "GCM cannot tell damage from a wrong password");
        let no_list = br#"{"Authenticators":null,"Categories":[]}"#;
        assert!(!AuthenticatorPro.detect(no_list));
        assert!(matches!(read(no_list, None), Err(BackupError::Malformed { .. })));
        for bytes in ALL {
            for cut in (0..bytes.len()).step_by(bytes.len() / 25 + 1) {
                for format in FORMATS {
                    let _ = format.read(&bytes[..cut], Some("x"));
                }
            }
        }
    }

    #[test]
    fn every_sample_is_detected_as_this_format_and_as_no_other() {
        for bytes in ALL {
            assert_eq!(detect(bytes).map(|f| f.id()), Some("authenticator-pro"));
            let others: Vec<&str> = FORMATS.iter().filter(|f| f.id() != "authenticator-pro" && f.detect(bytes)).map(|f| f.id()).collect();
            assert!(others.is_empty(), "{others:?}");
        }
        assert!(!AuthenticatorPro.detect(b"{\"services\": [], \"schemaVersion\": 4}"));
        assert!(!AuthenticatorPro.detect(b"AUTHENTICATOR"));
    }
}
