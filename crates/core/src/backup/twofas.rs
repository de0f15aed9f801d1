//! 2FAS `.2fas` backups, plain and encrypted (shared/formats/other-formats.md §2.2):
//! `servicesEncrypted` is "ciphertext+tag:salt:iv" in base64, key = PBKDF2-HMAC-SHA256
//! (10,000 rounds), AES-256-GCM. `reference` is a fixed text of 2FAS's encrypted the same
//! way (same key and salt, its own IV).
//!
//! Reading takes every schema 2FAS has written (1 to 4). Writing is schema 4 laid out as
//! 2FAS for Android writes it (key order, compact JSON, a 256-byte salt, the `reference`):
//! the file 2FAS on Android and iOS, Ente Auth, Proton Authenticator and Aegis import.
//! 2FAS for iOS derives the key from the password's ASCII bytes only, so it cannot open a
//! file whose password has other characters (2FAS for Android, and the others, can); and it
//! shows periods other than 10, 30, 60 and 90 seconds, and digit counts outside 5 to 8, as
//! 30 seconds and 6 digits. The file has no place for Ninsho's labels and pins, and 2FAS
//! holds HOTP counters up to 2^31 − 1 only.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use data_encoding::BASE64;
use serde::Serialize;
use serde_json::Value;
use zeroize::Zeroizing;

use super::{BackupError, Entry, EntryError, Format, Parsed, Place, Problem, Problems, Remark, Written};
use crate::otp::{Algorithm, Method, Otp, OtpError};
use crate::secret::Secret;

const PBKDF2_ROUNDS: u32 = 10_000;
/// What 2FAS encrypts into `reference` (the same text in its Android and iOS sources, and in
/// every sample). Both apps decrypt it to tell a wrong password from a damaged file, and
/// refuse an encrypted file without it.
const REFERENCE: &str = "tRViSsLKzd86Hprh4ceC2OP7xazn4rrt4xhfEUbOjxLX8Rc3mkISXE0lWbmnWfggogbBJhtYgpK6fMl1D6mtsy92R3HkdGfwuXbzLebqVFJsR7IZ2w58t938iymwG4824igYy1wi6n2WDpO1Q1P69zwJGs2F5a1qP4MyIiDSD7NCV2OvidXQCBnDlGfmz0f1BQySRkkt4ryiJeCjD2o4QsveJ9uDBUn8ELyOrESv5R5DMDkD4iAF8TXU7KyoJujd";
/// 2FAS for Android's salt length (iOS uses 32 bytes; readers take any).
const SALT_BYTES: usize = 256;
const SCHEMA_VERSION: u32 = 4;
/// 2FAS's icon collection for services it has no logo of: those show the label instead.
const DEFAULT_ICON_COLLECTION: &str = "a5b3fb65-4ec5-43e6-8ec1-49e24ca9e7ad";
/// The label colour 2FAS for Android falls back to.
const LABEL_COLOR: &str = "LightBlue";

fn twofas_json(bytes: &[u8]) -> Option<Value> {
    let v = super::json(bytes)?;
    v.get("schemaVersion").is_some().then_some(v)
}

fn is_encrypted(v: &Value) -> bool {
    v["servicesEncrypted"].is_string()
}

fn key(password: &str, salt: &[u8]) -> Zeroizing<[u8; 32]> {
    let mut key = Zeroizing::new([0u8; 32]);
    pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password.as_bytes(), salt, PBKDF2_ROUNDS, key.as_mut());
    key
}

/// Opens one "ciphertext+tag:salt:iv" field; `None` when the key does not open it.
fn open(field: &'static str, encrypted: &str, password: &str) -> Result<Option<Zeroizing<Vec<u8>>>, BackupError> {
    let parts: Vec<&str> = encrypted.split(':').collect();
    let [ciphertext, salt, iv] = parts.as_slice() else {
        return Err(BackupError::malformed(field, "expected three parts separated by ':'"));
    };
    let decode = |s: &str, what: &str| BASE64.decode(s.as_bytes()).map_err(|_| BackupError::malformed(field, format!("the {what} is not base64")));
    let (ciphertext, salt, iv) = (decode(ciphertext, "ciphertext")?, decode(salt, "salt")?, decode(iv, "IV")?);
    let iv: [u8; 12] = iv.try_into().map_err(|_| BackupError::malformed(field, "the IV is not 12 bytes"))?;
    let key = key(password, &salt);
    let cipher = Aes256Gcm::new_from_slice(key.as_ref()).map_err(|e| BackupError::malformed("key", e))?;
    Ok(cipher.decrypt(&Nonce::from(iv), ciphertext.as_slice()).ok().map(Zeroizing::new))
}

/// 2FAS checks the password on `reference` first, as here: when it opens and the services do
/// not, the file is damaged, not the password wrong.
fn decrypt(file: &Value, encrypted: &str, password: &str) -> Result<Value, BackupError> {
    let checked = match file["reference"].as_str() {
        Some(reference) => {
            open("reference", reference, password)?.ok_or(BackupError::WrongPassword)?;
            true
        }
        None => false,
    };
    let plain = match open("servicesEncrypted", encrypted, password)? {
        Some(plain) => plain,
        None if checked => return Err(BackupError::malformed("servicesEncrypted", "the password is right but the accounts are damaged")),
        None => return Err(BackupError::WrongPassword),
    };
    serde_json::from_slice(&plain).map_err(|e| BackupError::malformed("servicesEncrypted", e))
}

fn number(v: &Value, default: u32, bad: impl FnOnce(u64) -> EntryError) -> Result<u32, EntryError> {
    match v.as_u64() {
        None => Ok(default),
        Some(n) => u32::try_from(n).map_err(|_| bad(n)),
    }
}

fn entry_from(s: &Value) -> Result<Entry, EntryError> {
    let otp = &s["otp"];
    let secret = Secret::from_base32(s["secret"].as_str().ok_or(EntryError::NoSecret)?)?;
    let algorithm: Algorithm = otp["algorithm"].as_str().unwrap_or("SHA1").parse()?;
    let method = match otp["tokenType"].as_str().unwrap_or("TOTP").to_ascii_uppercase().as_str() {
        "TOTP" => Method::Totp { period: number(&otp["period"], 30, |n| OtpError::Period(n).into())? },
        "HOTP" => Method::Hotp { counter: otp["counter"].as_u64().unwrap_or(0) },
        "STEAM" => Method::Steam,
        other => return Err(EntryError::unsupported(other)),
    };
    let digits = number(&otp["digits"], 6, |n| EntryError::unknown(super::Field::Digits, n))?;
    let otp_value = Otp::new(method, algorithm, digits, secret)?;
    let account = otp["account"].as_str().unwrap_or_default().trim();
    let name = s["name"].as_str().unwrap_or_default().trim();
    // 2FAS always has a service name; for an account without an issuer Ninsho writes the
    // account name there, which is not an issuer.
    let issuer = match otp["issuer"].as_str().map(str::trim).filter(|i| !i.is_empty()) {
        Some(issuer) => issuer,
        None if name == account => "",
        None => name,
    };
    Ok(Entry { issuer: issuer.to_owned(), account: account.to_owned(), label: String::new(), otp: otp_value, pinned: false })
}

pub fn read(bytes: &[u8], password: Option<&str>) -> Result<Parsed, BackupError> {
    let v = twofas_json(bytes).ok_or_else(|| BackupError::malformed("file", "not a 2FAS backup"))?;
    let services = match v["servicesEncrypted"].as_str() {
        Some(encrypted) => decrypt(&v, encrypted, password.ok_or(BackupError::NeedsPassword)?)?,
        None => v["services"].clone(),
    };
    let services = services.as_array().ok_or_else(|| BackupError::malformed("services", "missing"))?.clone();
    let mut indexed = Vec::new();
    let mut problems = Problems::default();
    for (i, s) in services.iter().enumerate() {
        match entry_from(s) {
            Ok(e) => indexed.push((s["order"]["position"].as_u64().unwrap_or(i as u64), e)),
            Err(error) => problems.push(Problem { place: Place::entry(i + 1, s["name"].as_str().unwrap_or_default()), error }),
        }
    }
    indexed.sort_by_key(|(p, _)| *p);
    Ok(Parsed { entries: indexed.into_iter().map(|(_, e)| e).collect(), problems })
}

// The structs below hold 2FAS's own key names in 2FAS's order (serde_json's `Value` would
// sort them).

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FileOut<'a> {
    services: &'a [ServiceOut<'a>],
    groups: [(); 0],
    updated_at: u64,
    schema_version: u32,
    app_version_code: u32,
    app_version_name: &'a str,
    app_origin: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    services_encrypted: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reference: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ServiceOut<'a> {
    name: &'a str,
    secret: &'a str,
    updated_at: u64,
    otp: OtpOut<'a>,
    order: OrderOut,
    icon: IconOut,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OtpOut<'a> {
    label: &'a str,
    account: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    issuer: Option<&'a str>,
    digits: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    period: Option<u32>,
    algorithm: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    counter: Option<u64>,
    token_type: &'static str,
    source: &'static str,
}

#[derive(Serialize)]
struct OrderOut {
    position: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct IconOut {
    selected: &'static str,
    label: LabelOut,
    icon_collection: IconCollectionOut,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LabelOut {
    text: String,
    background_color: &'static str,
}

#[derive(Serialize)]
struct IconCollectionOut {
    id: &'static str,
}

/// The service name 2FAS shows as the title: the issuer, or for an account without one the
/// account name (as 2FAS names a scanned code without an issuer), never empty.
fn service_name(e: &Entry) -> &str {
    [&e.issuer, &e.account, &e.label].into_iter().map(|s| s.trim()).find(|s| !s.is_empty()).unwrap_or("Unknown")
}

fn service<'a>(e: &'a Entry, secret: &'a str, position: usize, now_ms: u64) -> ServiceOut<'a> {
    let (token_type, period, counter) = match e.otp.method {
        Method::Totp { period } => ("TOTP", Some(period), None),
        // Battle.net codes are 8-digit SHA1 TOTP; 2FAS has no type of its own for them.
        Method::Battle => ("TOTP", Some(Method::DEFAULT_PERIOD), None),
        Method::Hotp { counter } => ("HOTP", None, Some(counter)),
        Method::Steam => ("STEAM", Some(Method::DEFAULT_PERIOD), None),
    };
    let name = service_name(e);
    ServiceOut {
        name,
        secret,
        updated_at: now_ms,
        otp: OtpOut {
            label: &e.account,
            account: &e.account,
            issuer: Some(e.issuer.as_str()).filter(|i| !i.is_empty()),
            digits: e.otp.digits,
            period,
            algorithm: e.otp.algorithm.to_string(),
            counter,
            token_type,
            // A service typed in, not scanned: 2FAS keeps no otpauth link for those.
            source: "Manual",
        },
        order: OrderOut { position },
        icon: IconOut {
            selected: "Label",
            label: LabelOut { text: name.to_uppercase().chars().take(2).collect(), background_color: LABEL_COLOR },
            icon_collection: IconCollectionOut { id: DEFAULT_ICON_COLLECTION },
        },
    }
}

fn seal(key: &[u8], salt: &[u8], plaintext: &[u8]) -> Result<String, BackupError> {
    let mut iv = [0u8; 12];
    getrandom::fill(&mut iv).map_err(|e| BackupError::malformed("IV", e))?;
    let cipher = Aes256Gcm::new_from_slice(key).map_err(|e| BackupError::malformed("key", e))?;
    let sealed = cipher.encrypt(&Nonce::from(iv), plaintext).map_err(|_| BackupError::malformed("services", "encryption failed"))?;
    Ok(format!("{}:{}:{}", BASE64.encode(&sealed), BASE64.encode(salt), BASE64.encode(&iv)))
}

/// A `.2fas` file of `entries`, encrypted with `password` when one is given, dated `now_ms`
/// (milliseconds since 1970, as 2FAS dates its files and services).
pub fn write_at(entries: &[Entry], password: Option<&str>, now_ms: u64) -> Result<Written, BackupError> {
    // 2FAS reads counters as 32-bit signed numbers, and a larger one fails its whole import.
    let (entries, too_large): (Vec<&Entry>, Vec<&Entry>) =
        entries.iter().partition(|e| !matches!(e.otp.method, Method::Hotp { counter } if counter > i32::MAX as u64));
    let skipped: Vec<(String, Remark)> = too_large.iter().map(|e| (e.display_name(), Remark::CounterTooLargeFor2Fas)).collect();
    let secrets: Vec<Zeroizing<String>> = entries.iter().map(|e| e.otp.secret.to_base32()).collect();
    let services: Vec<ServiceOut<'_>> = entries.iter().zip(&secrets).enumerate().map(|(i, (e, s))| service(e, s, i, now_ms)).collect();
    let version = concat!("Ninsho ", env!("CARGO_PKG_VERSION"));
    let mut file = FileOut {
        services: &services,
        groups: [],
        updated_at: now_ms,
        schema_version: SCHEMA_VERSION,
        // 2FAS for Android's own value for a file of no known 2FAS version; nothing reads it.
        app_version_code: 0,
        app_version_name: version,
        // 2FAS for iOS accepts only "android" or "ios" here; the layout is Android's.
        app_origin: "android",
        services_encrypted: None,
        reference: None,
    };
    if let Some(password) = password {
        // Measured, then written into a buffer of that size: a growing one would leave copies
        // of the keys in the memory it frees.
        let mut size = Counted(0);
        serde_json::to_writer(&mut size, &services).map_err(|e| BackupError::malformed("services", e))?;
        let mut plain = Zeroizing::new(Vec::with_capacity(size.0));
        serde_json::to_writer(&mut *plain, &services).map_err(|e| BackupError::malformed("services", e))?;
        let mut salt = [0u8; SALT_BYTES];
        getrandom::fill(&mut salt).map_err(|e| BackupError::malformed("salt", e))?;
        let key = key(password, &salt);
        file.services_encrypted = Some(seal(key.as_ref(), &salt, &plain)?);
        file.reference = Some(seal(key.as_ref(), &salt, REFERENCE.as_bytes())?);
        file.services = &[];
    }
    let bytes = serde_json::to_vec(&file).map_err(|e| BackupError::malformed("file", e))?;
    Ok(Written { files: vec![bytes], skipped, note: None })
}

/// Counts the bytes written to it.
struct Counted(usize);

impl std::io::Write for Counted {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

pub fn write(entries: &[Entry], password: Option<&str>) -> Result<Written, BackupError> {
    let now_ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64);
    write_at(entries, password, now_ms)
}

/// Every `.2fas` file, plain or encrypted, is read under this id (the one users already
/// have); it writes the encrypted file, as 2FAS suggests for backups.
pub struct TwoFas;
/// The plain `.2fas` writer; reading goes through [`TwoFas`], placed before it in
/// [`super::FORMATS`].
pub struct TwoFasPlain;

impl Format for TwoFas {
    fn id(&self) -> &'static str {
        "2fas"
    }
    fn name(&self) -> &'static str {
        "2FAS backup (.2fas)"
    }
    fn detect(&self, bytes: &[u8]) -> bool {
        twofas_json(bytes).is_some()
    }
    fn read(&self, bytes: &[u8], password: Option<&str>) -> Result<Parsed, BackupError> {
        read(bytes, password)
    }
    fn write(&self, entries: &[Entry], password: Option<&str>) -> Option<Result<Written, BackupError>> {
        Some(password.ok_or(BackupError::PasswordRequired).and_then(|p| write(entries, Some(p))))
    }
    fn encrypted(&self) -> bool {
        true
    }
}

impl Format for TwoFasPlain {
    fn id(&self) -> &'static str {
        "2fas-plain"
    }
    fn name(&self) -> &'static str {
        "2FAS backup (.2fas, plain)"
    }
    fn detect(&self, bytes: &[u8]) -> bool {
        twofas_json(bytes).is_some_and(|v| !is_encrypted(&v))
    }
    fn read(&self, bytes: &[u8], password: Option<&str>) -> Result<Parsed, BackupError> {
        read(bytes, password)
    }
    fn write(&self, entries: &[Entry], _password: Option<&str>) -> Option<Result<Written, BackupError>> {
        Some(write(entries, None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backup::andotp::tests::{AEGIS_VECTORS, T, Want, check, claimed_by, want};
    use crate::backup::detect;

    const PASSWORD: &str = "test";

    /// A sample's file name and bytes.
    type Sample = (&'static str, &'static [u8]);

    macro_rules! sample {
        ($name:literal) => {
            ($name, include_bytes!(concat!("samples/twofas/", $name)).as_slice())
        };
    }

    fn vectors(names: &[&str]) -> Vec<&'static Want> {
        names.iter().map(|n| AEGIS_VECTORS.iter().find(|w| w.issuer == *n).unwrap()).collect()
    }

    /// Schemas 1 and 2 have no token type: every account reads as TOTP (as 2FAS itself and
    /// Aegis read them), schema 1 not even digits, period or algorithm.
    #[test]
    fn aegis_samples_of_every_schema_read_with_every_account() {
        let totp = |p| Method::Totp { period: p };
        let v1 = [
            want("Deno", "Mason", totp(30), Algorithm::Sha1, 6, "790195"),
            want("SPDX", "James", totp(30), Algorithm::Sha1, 6, "041871"),
            want("Airbnb", "Elijah", totp(30), Algorithm::Sha1, 6, "159370"),
            want("Issuu", "James", totp(30), Algorithm::Sha1, 6, "470567"),
            want("Air Canada", "Benjamin", totp(30), Algorithm::Sha1, 6, "067239"),
            want("WWE", "Mason", totp(30), Algorithm::Sha1, 6, "678042"),
        ];
        let v2 = [
            want("Deno", "Mason", totp(30), Algorithm::Sha1, 6, "790195"),
            want("Airbnb", "Elijah", totp(50), Algorithm::Sha512, 8, "65516786"),
            want("Issuu", "James", totp(30), Algorithm::Sha1, 6, "470567"),
            want("WWE", "Mason", totp(30), Algorithm::Sha512, 8, "03007106"),
        ];
        let v3 = vectors(&["Deno", "SPDX", "Airbnb", "Issuu", "Air Canada", "WWE"]);
        let v4 = vectors(&["Deno", "Issuu", "Air Canada", "WWE", "Boeing"]);
        let cases: [(Sample, Vec<&Want>); 7] = [
            (sample!("aegis_v1_plain.json"), v1.iter().collect()),
            (sample!("aegis_v2_plain.2fas"), v2.iter().collect()),
            (sample!("aegis_v2_encrypted.2fas"), v2.iter().collect()),
            (sample!("aegis_v3_plain.2fas"), v3.clone()),
            (sample!("aegis_v3_encrypted.2fas"), v3),
            (sample!("aegis_v4_plain.2fas"), v4.clone()),
            (sample!("aegis_v4_encrypted.2fas"), v4),
        ];
        for ((name, bytes), want) in cases {
            let parsed = TwoFas.read(bytes, Some(PASSWORD)).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(parsed.problems.is_empty(), "{name}: {:?}", parsed.problems);
            check(name, &parsed.entries, &want);
        }
    }

    #[test]
    fn proton_samples_read_with_every_account() {
        let totp = Method::Totp { period: 30 };
        let android =
            [want("myissuer", "mylabeldefault", totp, Algorithm::Sha1, 6, "109463"), want("Steam", "", Method::Steam, Algorithm::Sha1, 5, "8V29R")];
        for ((name, bytes), want) in [sample!("proton_v4_plain.2fas"), sample!("proton_v4_encrypted.2fas")].into_iter().zip([&android, &android]) {
            let parsed = TwoFas.read(bytes, Some(PASSWORD)).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(parsed.problems.is_empty(), "{name}: {:?}", parsed.problems);
            check(name, &parsed.entries, &want.iter().collect::<Vec<_>>());
        }
    }

    /// 2FAS for iOS took typed keys of 17 and 19 letters, lengths no base32 key has (a letter
    /// is missing or extra); Ninsho names them rather than guess.
    #[test]
    fn ios_sample_reports_keys_of_impossible_length() {
        let (_, bytes) = sample!("proton_v4_plain_ios.2fas");
        let parsed = TwoFas.read(bytes, None).unwrap();
        assert!(parsed.entries.is_empty());
        let problems: Vec<(&Place, &EntryError)> = parsed.problems.iter().map(|p| (&p.place, &p.error)).collect();
        let length = |n| EntryError::Secret(crate::secret::SecretError::InvalidLength(n));
        assert_eq!(problems, [(&Place::entry(1, "Code1 2FAS"), &length(17)), (&Place::entry(2, "Code2 2FAS"), &length(19))]);
    }

    /// 2FAS offers SHA-224 and SHA-384, which Ninsho does not compute.
    #[test]
    fn a_bad_service_is_reported_with_its_place_and_the_rest_imports() {
        let (_, bytes) = sample!("proton_v4_sha384.2fas");
        let parsed = TwoFas.read(bytes, None).unwrap();
        let hotp = want("cncnncncn", "", Method::Hotp { counter: 4 }, Algorithm::Sha1, 6, "155726");
        check("sha384", &parsed.entries, &[&hotp]);
        assert_eq!(parsed.problems.len(), 1);
        assert_eq!(parsed.problems[0].place, Place::entry(2, "Itemname"));
        assert!(matches!(&parsed.problems[0].error, EntryError::Algorithm(a) if a.0 == "SHA384"), "{:?}", parsed.problems);
    }

    #[test]
    fn samples_are_detected_as_2fas_and_as_no_other_format() {
        let samples = [
            sample!("aegis_v1_plain.json"),
            sample!("aegis_v2_plain.2fas"),
            sample!("aegis_v2_encrypted.2fas"),
            sample!("aegis_v3_plain.2fas"),
            sample!("aegis_v3_encrypted.2fas"),
            sample!("aegis_v4_plain.2fas"),
            sample!("aegis_v4_encrypted.2fas"),
            sample!("proton_v4_plain.2fas"),
            sample!("proton_v4_plain_ios.2fas"),
            sample!("proton_v4_encrypted.2fas"),
            sample!("proton_v4_sha384.2fas"),
        ];
        for (name, bytes) in samples {
            assert_eq!(detect(bytes).map(|f| f.id()), Some("2fas"), "{name}");
            let others: Vec<&str> = claimed_by(bytes).into_iter().filter(|id| !id.starts_with("2fas")).collect();
            assert!(others.is_empty(), "{name}: {others:?}");
            assert_eq!(TwoFasPlain.detect(bytes), !name.contains("encrypted"), "{name}");
        }
    }

    #[test]
    fn wrong_missing_password_and_damaged_files() {
        for (name, bytes) in [sample!("aegis_v4_encrypted.2fas"), sample!("aegis_v3_encrypted.2fas"), sample!("proton_v4_encrypted.2fas")] {
            assert_eq!(TwoFas.read(bytes, None), Err(BackupError::NeedsPassword), "{name}");
            assert_eq!(TwoFas.read(bytes, Some("wrong")), Err(BackupError::WrongPassword), "{name}");
        }
        let (_, bytes) = sample!("aegis_v4_encrypted.2fas");
        let mut v: Value = serde_json::from_slice(bytes).unwrap();
        let encrypted = v["servicesEncrypted"].as_str().unwrap().to_owned();
        for (damage, message) in [
            (encrypted.replacen(':', ";", 1), "three parts"),
            (format!("!{encrypted}"), "not base64"),
            (encrypted.rsplit_once(':').map(|(a, _)| format!("{a}:AAAA")).unwrap(), "not 12 bytes"),
        ] {
            v["servicesEncrypted"] = damage.into();
            let err = TwoFas.read(&serde_json::to_vec(&v).unwrap(), Some(PASSWORD)).unwrap_err();
            assert!(matches!(&err, BackupError::Malformed { message: m, .. } if m.contains(message)), "{err:?}");
        }
        assert!(matches!(TwoFas.read(&bytes[..bytes.len() - 2], Some(PASSWORD)), Err(BackupError::Malformed { .. })));
        assert!(matches!(TwoFas.read(br#"{"schemaVersion": 4}"#, None), Err(BackupError::Malformed { .. })));
    }

    fn entry(issuer: &str, account: &str, method: Method, algorithm: Algorithm, digits: u32, key: &str) -> Entry {
        let otp = Otp::new(method, algorithm, digits, Secret::from_base32(key).unwrap()).unwrap();
        Entry { issuer: issuer.into(), account: account.into(), label: String::new(), otp, pinned: false }
    }

    fn accounts() -> Vec<Entry> {
        let totp = |p| Method::Totp { period: p };
        vec![
            entry("給与システム", "佐藤 花子", totp(30), Algorithm::Sha1, 6, "KRUGKIDROVUWG2ZAMJZG653O"),
            entry("Payroll", "ops#1&2%+3@example.com", totp(60), Algorithm::Sha512, 8, "ONSWG4TFOQ"),
            entry("Old VPN", "sato", Method::Hotp { counter: 300 }, Algorithm::Sha256, 7, "MZXW6YTBOI"),
            entry("", "nas-02 🔐", totp(30), Algorithm::Sha256, 6, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"),
            entry("Steam", "gamer", Method::Steam, Algorithm::Sha1, 5, "GEZDGNBVGY3TQOJQ"),
            entry("Battle.net", "EU-1234", Method::Battle, Algorithm::Sha1, 8, "MFRGGZDFMZTWQ2LK"),
        ]
    }

    #[test]
    fn written_files_read_back_through_ninshos_reader() {
        let accounts = accounts();
        for password in [None, Some(PASSWORD), Some("春の合言葉 2026")] {
            let file = write_at(&accounts, password, 1_767_225_600_000).unwrap().files.remove(0);
            assert_eq!(detect(&file).map(|f| f.id()), Some("2fas"));
            let parsed = TwoFas.read(&file, password).unwrap();
            assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
            assert_eq!(parsed.entries[..5], accounts[..5], "{password:?}");
            // 2FAS holds Battle.net as 8-digit SHA1 TOTP: the same codes.
            let battle = &parsed.entries[5];
            assert_eq!((battle.issuer.as_str(), battle.otp.method, battle.otp.digits), ("Battle.net", Method::Totp { period: 30 }, 8));
            assert_eq!(battle.otp.code_at(T), accounts[5].otp.code_at(T));
            // Computed outside Ninsho, from what lib2fas read of the same accounts.
            let codes: Vec<String> = parsed.entries.iter().map(|e| e.otp.code_at(T).code).collect();
            assert_eq!(codes, ["003952", "25212847", "0779947", "869966", "D9HRB", "22882247"]);
            if password.is_some() {
                assert!(!String::from_utf8_lossy(&file).contains("KRUGKIDR") && !String::from_utf8_lossy(&file).contains("Payroll"));
                assert_eq!(TwoFas.read(&file, Some("wrong")), Err(BackupError::WrongPassword));
                // The right password opens `reference`: damaged accounts are named as damage.
                let mut v: Value = serde_json::from_slice(&file).unwrap();
                let sealed = v["servicesEncrypted"].as_str().unwrap().to_owned();
                let flipped = if sealed.starts_with('A') { sealed.replacen('A', "B", 1) } else { format!("A{}", &sealed[1..]) };
                v["servicesEncrypted"] = Value::String(flipped);
                let damaged = serde_json::to_vec(&v).unwrap();
                assert!(matches!(TwoFas.read(&damaged, password), Err(BackupError::Malformed { .. })));
                assert_eq!(TwoFas.read(&damaged, Some("wrong")), Err(BackupError::WrongPassword));
            }
        }
        assert_eq!(TwoFas.write(&accounts, None), Some(Err(BackupError::PasswordRequired)));
        let mut big = accounts[..2].to_vec();
        big[1].otp.method = Method::Hotp { counter: i32::MAX as u64 + 1 };
        let written = TwoFasPlain.write(&big, None).unwrap().unwrap();
        assert_eq!(written.skipped, [(big[1].display_name(), Remark::CounterTooLargeFor2Fas)]);
        assert_eq!(TwoFas.read(&written.files[0], None).unwrap().entries, big[..1]);
        assert!(TwoFas.encrypted() && !TwoFasPlain.encrypted());
    }

    /// A JSON value's layout: keys in the file's order and the kind of every value.
    #[derive(Debug, Clone, PartialEq)]
    enum Shape {
        Object(Vec<(String, Shape)>),
        Array(Vec<Shape>),
        Text,
        Number,
        Bool,
        Null,
    }

    impl<'de> serde::Deserialize<'de> for Shape {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> serde::de::Visitor<'de> for V {
                type Value = Shape;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("JSON")
                }
                fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Shape, A::Error> {
                    let mut entries = Vec::new();
                    while let Some(entry) = map.next_entry::<String, Shape>()? {
                        entries.push(entry);
                    }
                    Ok(Shape::Object(entries))
                }
                fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Shape, A::Error> {
                    let mut items = Vec::new();
                    while let Some(item) = seq.next_element::<Shape>()? {
                        items.push(item);
                    }
                    Ok(Shape::Array(items))
                }
                fn visit_str<E>(self, _: &str) -> Result<Shape, E> {
                    Ok(Shape::Text)
                }
                fn visit_u64<E>(self, _: u64) -> Result<Shape, E> {
                    Ok(Shape::Number)
                }
                fn visit_i64<E>(self, _: i64) -> Result<Shape, E> {
                    Ok(Shape::Number)
                }
                fn visit_f64<E>(self, _: f64) -> Result<Shape, E> {
                    Ok(Shape::Number)
                }
                fn visit_bool<E>(self, _: bool) -> Result<Shape, E> {
                    Ok(Shape::Bool)
                }
                fn visit_unit<E>(self) -> Result<Shape, E> {
                    Ok(Shape::Null)
                }
            }
            d.deserialize_any(V)
        }
    }

    fn shape(bytes: &[u8]) -> Shape {
        serde_json::from_slice(bytes).unwrap()
    }

    fn field<'a>(shape: &'a Shape, key: &str) -> &'a Shape {
        let Shape::Object(entries) = shape else { panic!("{shape:?} is no object") };
        &entries.iter().find(|(k, _)| k == key).unwrap_or_else(|| panic!("no {key} in {shape:?}")).1
    }

    fn without(shape: &Shape, key: &str) -> Shape {
        let Shape::Object(entries) = shape else { panic!("{shape:?} is no object") };
        Shape::Object(entries.iter().filter(|(k, _)| k != key).cloned().collect())
    }

    /// The file against 2FAS for Android's own v4 exports key by key: the same keys in the
    /// same order with values of the same kinds, less the otpauth `link` 2FAS keeps only for
    /// scanned services.
    #[test]
    fn written_files_are_laid_out_as_2fas_writes_them() {
        let (_, real_plain) = sample!("aegis_v4_plain.2fas");
        let (_, real_encrypted) = sample!("aegis_v4_encrypted.2fas");
        let accounts = accounts();
        let plain = write_at(&accounts, None, 1_767_225_600_000).unwrap().files.remove(0);
        let encrypted = write_at(&accounts, Some(PASSWORD), 1_767_225_600_000).unwrap().files.remove(0);
        let without_services = |s: &Shape| without(s, "services");
        assert_eq!(without_services(&shape(&plain)), without_services(&shape(real_plain)));
        assert_eq!(shape(&encrypted), shape(real_encrypted));
        assert!(!plain.contains(&b'\n') && !String::from_utf8_lossy(&plain).contains("\": "), "compact, as 2FAS writes");

        let Shape::Array(real) = field(&shape(real_plain), "services").clone() else { panic!() };
        let Shape::Array(ours) = field(&shape(&plain), "services").clone() else { panic!() };
        let of_type = |services: &[Shape], token: &str, value: &Value| {
            services.iter().zip(value.as_array().unwrap()).find(|(_, v)| v["otp"]["tokenType"] == token).map(|(s, _)| s.clone()).unwrap()
        };
        let (real_value, our_value): (Value, Value) = (serde_json::from_slice(real_plain).unwrap(), serde_json::from_slice(&plain).unwrap());
        for token in ["TOTP", "HOTP", "STEAM"] {
            let real = of_type(&real, token, &real_value["services"]);
            let ours = of_type(&ours, token, &our_value["services"]);
            let real = Shape::Object(
                [("otp".to_owned(), without(field(&real, "otp"), "link"))]
                    .into_iter()
                    .chain(match &real {
                        Shape::Object(e) => e.iter().filter(|(k, _)| k != "otp").cloned().collect::<Vec<_>>(),
                        _ => unreachable!(),
                    })
                    .collect(),
            );
            let sorted = |s: &Shape| match s {
                Shape::Object(e) => e.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>(),
                _ => unreachable!(),
            };
            assert_eq!(sorted(&ours), ["name", "secret", "updatedAt", "otp", "order", "icon"], "{token}");
            assert_eq!(field(&ours, "otp"), field(&real, "otp"), "{token}");
            for key in ["name", "secret", "updatedAt", "order", "icon"] {
                assert_eq!(field(&ours, key), field(&real, key), "{token}: {key}");
            }
        }
        let first = &our_value["services"][0];
        assert_eq!(first["name"], "給与システム");
        assert_eq!(first["icon"]["label"]["text"], "給与");
        assert_eq!(first["otp"]["source"], "Manual");
        assert_eq!(our_value["services"][3]["name"], "nas-02 🔐", "no issuer: the account names the service");
        assert!(our_value["services"][3]["otp"].get("issuer").is_none());
        assert_eq!(our_value["schemaVersion"], 4);
        assert_eq!(our_value["appOrigin"], "android");
        assert_eq!(our_value["updatedAt"], 1_767_225_600_000u64);
    }

    /// 2FAS decrypts `reference` before the services and refuses the file when it does not
    /// hold 2FAS's fixed text.
    #[test]
    fn the_reference_is_2fas_text_under_the_same_key_and_salt() {
        let file = write_at(&accounts(), Some(PASSWORD), 0).unwrap().files.remove(0);
        let v: Value = serde_json::from_slice(&file).unwrap();
        let parts = |key: &str| -> Vec<Vec<u8>> { v[key].as_str().unwrap().split(':').map(|p| BASE64.decode(p.as_bytes()).unwrap()).collect() };
        let (services, reference) = (parts("servicesEncrypted"), parts("reference"));
        assert_eq!(services[1], reference[1], "one salt");
        assert_eq!(services[1].len(), 256);
        assert_eq!((services[2].len(), reference[2].len()), (12, 12));
        assert_ne!(services[2], reference[2], "an IV each");
        let cipher = Aes256Gcm::new_from_slice(key(PASSWORD, &reference[1]).as_ref()).unwrap();
        let iv: [u8; 12] = reference[2].clone().try_into().unwrap();
        assert_eq!(cipher.decrypt(&Nonce::from(iv), reference[0].as_slice()).unwrap(), REFERENCE.as_bytes());
        // The real files' reference is the same text.
        for (name, bytes) in [sample!("aegis_v4_encrypted.2fas"), sample!("aegis_v2_encrypted.2fas"), sample!("proton_v4_encrypted.2fas")] {
            let v: Value = serde_json::from_slice(bytes).unwrap();
            let p: Vec<Vec<u8>> = v["reference"].as_str().unwrap().split(':').map(|p| BASE64.decode(p.as_bytes()).unwrap()).collect();
            let iv: [u8; 12] = p[2].clone().try_into().unwrap();
            let plain = Aes256Gcm::new_from_slice(key(PASSWORD, &p[1]).as_ref()).unwrap().decrypt(&Nonce::from(iv), p[0].as_slice()).unwrap();
            assert_eq!(plain, REFERENCE.as_bytes(), "{name}");
        }
    }

    #[test]
    fn a_service_named_as_its_account_has_no_issuer() {
        let file = br#"{"schemaVersion": 4, "services": [
            {"name": "sato@example.com", "secret": "JBSWY3DPEHPK3PXP", "otp": {"account": "sato@example.com", "tokenType": "TOTP"}, "order": {"position": 1}},
            {"name": "Mail", "secret": "JBSWY3DPEHPK3PXP", "otp": {"account": "", "issuer": "", "tokenType": "TOTP"}, "order": {"position": 0}},
            {"name": "Binance", "secret": "JBSWY3DPEHPK3PXP", "otp": {"account": "me", "issuer": "Binance.com", "tokenType": "TOTP"}, "order": {"position": 2}}
        ]}"#;
        let parsed = TwoFas.read(file, None).unwrap();
        let names: Vec<(&str, &str)> = parsed.entries.iter().map(|e| (e.issuer.as_str(), e.account.as_str())).collect();
        assert_eq!(names, [("Mail", ""), ("", "sato@example.com"), ("Binance.com", "me")]);
    }

    /// Writes files for a reader outside Ninsho: `NINSHO_2FAS_OUT=dir cargo test … -- --ignored`
    /// leaves `plain.2fas` and `encrypted.2fas` (password "test") there.
    #[test]
    #[ignore = "writes files for an outside reader"]
    fn write_files_for_an_outside_reader() {
        let dir = std::path::PathBuf::from(std::env::var("NINSHO_2FAS_OUT").expect("NINSHO_2FAS_OUT"));
        for (name, password) in [("plain.2fas", None), ("encrypted.2fas", Some(PASSWORD))] {
            std::fs::write(dir.join(name), write(&accounts(), password).unwrap().files.remove(0)).unwrap();
        }
    }
}
