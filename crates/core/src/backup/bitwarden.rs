//! Bitwarden's JSON exports: the plain `.json` (`{"encrypted": false, "items": [...]}`) and
//! the password-protected `.json (Encrypted)` export, whose `data` is the plain export
//! encrypted as an EncString of type 2: "2.iv|ciphertext|mac" in base64, AES-256-CBC with
//! PKCS#7 padding, HMAC-SHA256 over iv‖ciphertext (encrypt-then-MAC). The key is
//! PBKDF2-HMAC-SHA256 (`kdfType` 0) or Argon2id (`kdfType` 1, memory in MiB, salt hashed
//! with SHA-256 first) of the password over the salt *string* as written (not its decoded
//! bytes), stretched with HKDF-Expand-SHA256 into a 32-byte encryption key ("enc") and a
//! 32-byte MAC key ("mac"). `encKeyValidation_DO_NOT_EDIT` is a random UUID under the same
//! keys: its MAC tells a wrong password from a damaged file, as Bitwarden's importer does.
//!
//! An account-restricted export (`"encrypted": true` without `passwordProtected`) is
//! encrypted with the Bitwarden account's own key, which never leaves Bitwarden: it is
//! refused with what to export instead.
//!
//! Only `login.totp` matters here; it holds an `otpauth://` URI, `steam://KEY` or a bare
//! base32 key, as Bitwarden's authenticator reads it. Items without one are skipped.

use aes::cipher::{BlockModeDecrypt, KeyIvInit, block_padding::Pkcs7};
use data_encoding::BASE64;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::Value;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::{BackupError, Entry, EntryError, Format, Parsed, Place, Problem, otpauth_lines};
use crate::otp::{Algorithm, Method, Otp};
use crate::secret::Secret;

type HmacSha256 = Hmac<Sha256>;

// Bitwarden's own maxima (clients' `PBKDF2KdfConfig.ITERATIONS` and `Argon2KdfConfig`
// ranges): its settings offer nothing above them and its importer refuses files beyond them,
// so no file Bitwarden reads is refused here. Its defaults are 600,000 PBKDF2 iterations and
// Argon2id 64 MiB × 3 passes × 4 lanes. At the maxima a key takes under a second (PBKDF2)
// or seconds and 1 GiB of memory (Argon2id, 16 times the default memory), while an
// unchecked file could ask for hours or terabytes.
const MAX_PBKDF2_ITERATIONS: u64 = 2_000_000;
const MAX_ARGON2_MEMORY_MIB: u64 = 1024;
const MAX_ARGON2_ITERATIONS: u64 = 10;
const MAX_ARGON2_PARALLELISM: u64 = 16;

const ACCOUNT_RESTRICTED: &str = "this is an account-restricted Bitwarden export, which only the Bitwarden account that made it can \
     decrypt; in Bitwarden, export the vault again choosing the file format \".json (Encrypted)\" and the export type \"Password \
     protected\" (or the plain \".json\"), and import that file";

fn bitwarden_json(bytes: &[u8]) -> Option<Value> {
    super::json(bytes).filter(Value::is_object)
}

/// Exports older than Bitwarden's `encrypted` flag still have their folders or collections.
fn is_plain(v: &Value) -> bool {
    v["items"].is_array()
        && match v.get("encrypted") {
            Some(Value::Bool(false)) => true,
            None => v["folders"].is_array() || v["collections"].is_array(),
            Some(_) => false,
        }
}

/// Both encrypted kinds, so that an account-restricted file is told apart from an unknown one.
fn is_encrypted(v: &Value) -> bool {
    v["encrypted"] == true && (v.get("passwordProtected").is_some() || v.get("encKeyValidation_DO_NOT_EDIT").is_some())
}

enum Kdf {
    Pbkdf2 { iterations: u32 },
    Argon2id { iterations: u32, memory_mib: u32, parallelism: u32 },
}

/// A whole number above zero under `max`, checked before anything is derived.
fn cost(v: &Value, field: &'static str, what: &'static str, max: u64) -> Result<u32, BackupError> {
    let value = v[field].as_u64().filter(|&n| n > 0).ok_or_else(|| BackupError::malformed(field, "not a whole number above 0"))?;
    if value > max {
        return Err(BackupError::TooCostly { what, value, max });
    }
    // Every cap fits in a u32.
    u32::try_from(value).map_err(|_| BackupError::malformed(field, "too large"))
}

fn kdf(v: &Value) -> Result<Kdf, BackupError> {
    match v["kdfType"].as_u64() {
        Some(0) => Ok(Kdf::Pbkdf2 { iterations: cost(v, "kdfIterations", "PBKDF2 iterations", MAX_PBKDF2_ITERATIONS)? }),
        Some(1) => Ok(Kdf::Argon2id {
            iterations: cost(v, "kdfIterations", "Argon2id iterations", MAX_ARGON2_ITERATIONS)?,
            memory_mib: cost(v, "kdfMemory", "Argon2id memory in MiB", MAX_ARGON2_MEMORY_MIB)?,
            parallelism: cost(v, "kdfParallelism", "Argon2id parallelism", MAX_ARGON2_PARALLELISM)?,
        }),
        _ => Err(BackupError::malformed("kdfType", "unknown key derivation (Bitwarden writes 0 for PBKDF2-SHA256 or 1 for Argon2id)")),
    }
}

/// An EncString of type 2, the only kind a password-protected export holds.
struct EncString {
    iv: [u8; 16],
    ciphertext: Vec<u8>,
    mac: [u8; 32],
}

fn enc_string(v: &Value, at: &'static str) -> Result<EncString, BackupError> {
    let text = v[at].as_str().ok_or_else(|| BackupError::malformed(at, "missing"))?;
    let (kind, rest) = text.split_once('.').ok_or_else(|| BackupError::malformed(at, "not an encrypted string (2.iv|data|mac)"))?;
    if kind != "2" {
        let kind: String = kind.chars().take(8).collect();
        return Err(BackupError::malformed(at, format_args!("encryption type {kind:?} is not AES-256-CBC with HMAC-SHA256 (type 2)")));
    }
    let parts: Vec<&str> = rest.split('|').collect();
    let [iv, ciphertext, mac] = parts.as_slice() else {
        return Err(BackupError::malformed(at, "expected three parts separated by '|'"));
    };
    let decode = |s: &str, what: &str| BASE64.decode(s.as_bytes()).map_err(|_| BackupError::malformed(at, format!("the {what} is not base64")));
    let iv = decode(iv, "IV")?.try_into().map_err(|_| BackupError::malformed(at, "the IV is not 16 bytes"))?;
    let mac = decode(mac, "MAC")?.try_into().map_err(|_| BackupError::malformed(at, "the MAC is not 32 bytes"))?;
    let ciphertext = decode(ciphertext, "ciphertext")?;
    if ciphertext.is_empty() || ciphertext.len() % 16 != 0 {
        return Err(BackupError::malformed(at, "the ciphertext is not whole AES blocks"));
    }
    Ok(EncString { iv, ciphertext, mac })
}

struct Keys {
    enc: Zeroizing<[u8; 32]>,
    mac: Zeroizing<[u8; 32]>,
}

/// HKDF-Expand-SHA256 to 32 bytes, which is its first block: HMAC(PRK, info ‖ 0x01).
fn expand(prk: &[u8], info: &[u8]) -> Zeroizing<[u8; 32]> {
    let mut mac = <HmacSha256 as KeyInit>::new_from_slice(prk).expect("HMAC takes keys of any length");
    mac.update(info);
    mac.update(&[1]);
    Zeroizing::new(mac.finalize().into_bytes().into())
}

fn derive(kdf: &Kdf, password: &str, salt: &str) -> Result<Keys, BackupError> {
    let mut key = Zeroizing::new([0u8; 32]);
    match *kdf {
        Kdf::Pbkdf2 { iterations } => pbkdf2::pbkdf2_hmac::<Sha256>(password.as_bytes(), salt.as_bytes(), iterations, key.as_mut()),
        Kdf::Argon2id { iterations, memory_mib, parallelism } => {
            let params =
                argon2::Params::new(memory_mib * 1024, iterations, parallelism, Some(32)).map_err(|e| BackupError::malformed("kdfMemory", e))?;
            let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
            argon
                .hash_password_into(password.as_bytes(), &Sha256::digest(salt.as_bytes()), key.as_mut())
                .map_err(|e| BackupError::malformed("salt", e))?;
        }
    }
    Ok(Keys { enc: expand(key.as_ref(), b"enc"), mac: expand(key.as_ref(), b"mac") })
}

enum OpenError {
    /// The MAC does not match: another key, or changed bytes.
    Mac,
    /// The MAC matched but the padding is wrong: the writer was broken.
    Padding,
}

/// The MAC is checked before anything is decrypted.
fn open(s: &EncString, keys: &Keys) -> Result<Zeroizing<Vec<u8>>, OpenError> {
    let mut mac = <HmacSha256 as KeyInit>::new_from_slice(keys.mac.as_ref()).expect("HMAC takes keys of any length");
    mac.update(&s.iv);
    mac.update(&s.ciphertext);
    mac.verify_slice(&s.mac).map_err(|_| OpenError::Mac)?;
    let decryptor = cbc::Decryptor::<aes::Aes256>::new((&*keys.enc).into(), (&s.iv).into());
    decryptor.decrypt_padded_vec::<Pkcs7>(&s.ciphertext).map(Zeroizing::new).map_err(|_| OpenError::Padding)
}

fn decrypt(v: &Value, password: Option<&str>) -> Result<Value, BackupError> {
    if v["passwordProtected"] != true {
        return Err(BackupError::malformed("file", ACCOUNT_RESTRICTED));
    }
    let kdf = kdf(v)?;
    let salt = v["salt"].as_str().filter(|s| !s.is_empty()).ok_or_else(|| BackupError::malformed("salt", "missing"))?;
    let validation = enc_string(v, "encKeyValidation_DO_NOT_EDIT")?;
    let data = enc_string(v, "data")?;
    let keys = derive(&kdf, password.ok_or(BackupError::NeedsPassword)?, salt)?;
    match open(&validation, &keys) {
        Ok(_) => {}
        Err(OpenError::Mac) => return Err(BackupError::WrongPassword),
        Err(OpenError::Padding) => return Err(BackupError::malformed("encKeyValidation_DO_NOT_EDIT", "bad padding (damaged file)")),
    }
    let plain = open(&data, &keys).map_err(|e| match e {
        OpenError::Mac => BackupError::malformed("data", "the password is right but the data's MAC does not match (damaged file)"),
        OpenError::Padding => BackupError::malformed("data", "bad padding (damaged file)"),
    })?;
    let inner: Value = serde_json::from_slice(&plain).map_err(|e| BackupError::malformed("data", e))?;
    if !inner.is_object() {
        return Err(BackupError::malformed("data", "not a Bitwarden export"));
    }
    Ok(inner)
}

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().trim().to_owned()
}

/// Issuer and account come from the URI, else from the item's name and username; the
/// item's name, what the user called it in Bitwarden, is kept as the label when it says more.
fn entry_from(item: &Value, totp: &str) -> Result<Entry, EntryError> {
    let name = text(&item["name"]);
    let lower = totp.get(..10).unwrap_or(totp).to_ascii_lowercase();
    let mut entry = if lower.starts_with("otpauth://") {
        otpauth_lines::parse_line(totp)?
    } else {
        let (method, key) = match lower.strip_prefix("steam://") {
            Some(_) => (Method::Steam, totp.get(8..).unwrap_or_default()),
            None => (Method::Totp { period: Method::DEFAULT_PERIOD }, totp),
        };
        let otp = Otp::new(method, Algorithm::Sha1, 6, Secret::from_base32(key)?)?;
        Entry { issuer: String::new(), account: String::new(), label: String::new(), otp, pinned: false }
    };
    if entry.issuer.is_empty() {
        entry.issuer = name.clone();
    }
    if entry.account.is_empty() {
        entry.account = text(&item["login"]["username"]);
    }
    if !name.eq_ignore_ascii_case(&entry.issuer) && name != entry.account {
        entry.label = name;
    }
    entry.pinned = item["favorite"].as_bool().unwrap_or(false);
    Ok(entry)
}

fn items(export: &Value) -> Result<Parsed, BackupError> {
    let items = export["items"].as_array().ok_or_else(|| BackupError::malformed("items", "missing"))?;
    let mut parsed = Parsed::default();
    for (i, item) in items.iter().enumerate() {
        let Some(totp) = item["login"]["totp"].as_str().map(str::trim).filter(|t| !t.is_empty()) else {
            continue;
        };
        match entry_from(item, totp) {
            Ok(entry) => parsed.entries.push(entry),
            Err(error) => parsed.problems.push(Problem { place: Place::entry(i + 1, text(&item["name"])), error }),
        }
    }
    Ok(parsed)
}

pub fn read(bytes: &[u8], password: Option<&str>) -> Result<Parsed, BackupError> {
    let v = bitwarden_json(bytes).ok_or_else(|| BackupError::malformed("file", "not a Bitwarden JSON export"))?;
    if is_encrypted(&v) {
        items(&decrypt(&v, password)?)
    } else if is_plain(&v) {
        items(&v)
    } else {
        Err(BackupError::malformed("file", "not a Bitwarden JSON export"))
    }
}

pub struct BitwardenJson;
pub struct BitwardenEncrypted;

impl Format for BitwardenJson {
    fn id(&self) -> &'static str {
        "bitwarden-json"
    }
    fn name(&self) -> &'static str {
        "Bitwarden export (.json)"
    }
    fn detect(&self, bytes: &[u8]) -> bool {
        bitwarden_json(bytes).is_some_and(|v| is_plain(&v))
    }
    fn read(&self, bytes: &[u8], password: Option<&str>) -> Result<Parsed, BackupError> {
        read(bytes, password)
    }
}

impl Format for BitwardenEncrypted {
    fn id(&self) -> &'static str {
        "bitwarden-encrypted"
    }
    fn name(&self) -> &'static str {
        "Bitwarden export (.json, password protected)"
    }
    fn detect(&self, bytes: &[u8]) -> bool {
        bitwarden_json(bytes).is_some_and(|v| is_encrypted(&v))
    }
    fn read(&self, bytes: &[u8], password: Option<&str>) -> Result<Parsed, BackupError> {
        read(bytes, password)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backup::{FORMATS, detect};
    use crate::secret::SecretError;

    const AEGIS: &[u8] = include_bytes!("samples/bitwarden/aegis-bitwarden.json");
    const PROTON: &[u8] = include_bytes!("samples/bitwarden/proton-bitwarden.json");
    const PROTON_APP: &[u8] = include_bytes!("samples/bitwarden/proton-bitwarden-app.json");
    const SDK: &[u8] = include_bytes!("samples/bitwarden/sdk-json-export.json");
    /// The shape of an account-restricted export (Bitwarden's own test vector of one is not
    /// committed here): its EncStrings are sealed with the account's key, which no file holds.
    const ACCOUNT_RESTRICTED_V1: &[u8] = br#"{"encrypted":true,"encKeyValidation_DO_NOT_EDIT":"2.wWmFz2nHG8eV4PNH6pyD/A==|mD1wmzRnnr6tK6yl4y9yQA==|Hm0Ke9pJlLXrn+hTPXCfVaqGYPMtzmtfXl8/Gk6EF2A=","folders":[{"id":"942e2984-1b9a-453b-b039-b107012713b9","name":"2.Jvjq7SqE3JzxXnA3Cwt5wA==|1IFUoQ4EktAYQebDl9I6Sw==|UBsqX3NStrj/6y3b2RwGo+dGm/bKkr+MwT5H1X4vP3s="}],"items":[{"id":"1f1b7f38-2d8c-4a3e-9a38-b10701271ac6","type":1,"name":"2.fm1QjSRL7EPLZC4Mj+GVfg==|xQYl8ayVHmQg3fRmr/B8hA==|Yn7KTuRnZn3cDrZa7OEb5VkhXlWTOSa0UJ3g3P+s3aE=","login":{"totp":"2.iRmpGk4aA0w8t5KSYHqDjg==|9aQQ/4b5VkQ+7tR8w5tEcA==|G2nY6i0aJyw3UbyEjAO1YxsRPjHzxWqmZ1bFVC0u4Dk="}}]}"#;
    const PYTHON_PBKDF2: &[u8] = include_bytes!("samples/bitwarden/python-pbkdf2.json");
    const PYTHON_ARGON2ID: &[u8] = include_bytes!("samples/bitwarden/python-argon2id.json");
    const DECRYPTOR_PBKDF2: &[u8] = include_bytes!("samples/bitwarden/decryptor-pbkdf2.json");
    const DECRYPTOR_ARGON2ID: &[u8] = include_bytes!("samples/bitwarden/decryptor-argon2id.json");
    const DECRYPTOR_MAX_PBKDF2: &[u8] = include_bytes!("samples/bitwarden/decryptor-maximum-pbkdf2.json");
    const DECRYPTOR_MAX_ARGON2ID: &[u8] = include_bytes!("samples/bitwarden/decryptor-maximum-argon2id.json");
    /// The password of the python-* samples (see SOURCES.md).
    const PYTHON_PASSWORD: &str = "合言葉 correct horse";
    const DECRYPTOR_PASSWORD: &str = "passphrase";
    /// Codes are checked at this time; they were computed with oathtool and, for Steam,
    /// with a separate Python implementation (see SOURCES.md).
    const T: u64 = 1_700_000_000;

    /// What one account must read as: names, type, algorithm, digits, key and the code at `T`.
    struct Want {
        issuer: &'static str,
        account: &'static str,
        label: &'static str,
        method: Method,
        algorithm: Algorithm,
        digits: u8,
        key: &'static str,
        pinned: bool,
        code: &'static str,
    }

    fn totp(
        issuer: &'static str,
        account: &'static str,
        period: u32,
        algorithm: Algorithm,
        digits: u8,
        key: &'static str,
        code: &'static str,
    ) -> Want {
        Want { issuer, account, label: "", method: Method::Totp { period }, algorithm, digits, key, pinned: false, code }
    }

    fn steam(issuer: &'static str, account: &'static str, key: &'static str, code: &'static str) -> Want {
        Want { issuer, account, label: "", method: Method::Steam, algorithm: Algorithm::Sha1, digits: 5, key, pinned: false, code }
    }

    fn labelled(label: &'static str, want: Want) -> Want {
        Want { label, ..want }
    }

    fn check(entries: &[Entry], wants: &[Want]) {
        assert_eq!(entries.len(), wants.len(), "{entries:?}");
        for (got, want) in entries.iter().zip(wants) {
            let at = &want.issuer;
            assert_eq!((got.issuer.as_str(), got.account.as_str(), got.label.as_str()), (want.issuer, want.account, want.label), "{at}");
            assert_eq!((got.otp.method, got.otp.algorithm, got.otp.digits), (want.method, want.algorithm, want.digits), "{at}");
            assert_eq!(got.otp.secret, Secret::from_base32(want.key).unwrap(), "{at}");
            assert_eq!(got.pinned, want.pinned, "{at}");
            assert_eq!(got.otp.code_at(T).code, want.code, "{at}");
        }
    }

    fn python_accounts() -> Vec<Want> {
        vec![
            Want { pinned: true, ..totp("GitHub", "sato@example.com", 30, Algorithm::Sha1, 6, "JBSWY3DPEHPK3PXP", "324550") },
            totp("給与システム", "佐藤 花子", 30, Algorithm::Sha1, 6, "KRUGKIDROVUWG2ZAMJZG653O", "003952"),
            steam("Steam", "gamer", "GEZDGNBVGY3TQOJQ", "D9HRB"),
            labelled("Payroll (work)", totp("Payroll", "ops@example.com", 60, Algorithm::Sha512, 8, "ONSWG4TFOQ", "25212847")),
        ]
    }

    fn with(bytes: &[u8], change: impl FnOnce(&mut Value)) -> Vec<u8> {
        let mut v: Value = serde_json::from_slice(bytes).unwrap();
        change(&mut v);
        serde_json::to_vec_pretty(&v).unwrap()
    }

    #[test]
    fn aegis_sample_reads_every_account() {
        let parsed = BitwardenJson.read(AEGIS, None).unwrap();
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        check(
            &parsed.entries,
            &[
                labelled("Test 1", totp("Deno", "Mason", 30, Algorithm::Sha1, 6, "4SJHB4GSD43FZBAI7C2HLRJGPQ", "790195")),
                labelled("Test 2", totp("SPDX", "James", 20, Algorithm::Sha256, 7, "5OM4WOOGPLQEF6UGN3CPEOOLWU", "9993814")),
                labelled("Test 3", totp("Airbnb", "Elijah", 50, Algorithm::Sha512, 8, "7ELGJSGXNCCTV3O6LKJWYFV2RA", "65516786")),
                steam("Test Steam", "", "JRZCL47CMXVOQMNPZR2F7J4RGI", "747JR"),
            ],
        );
    }

    #[test]
    fn proton_samples_read_every_account_and_skip_items_without_totp() {
        let parsed = BitwardenJson.read(PROTON, None).unwrap();
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        check(
            &parsed.entries,
            &[
                totp("ISSUER", "LABEL_256_8_15", 15, Algorithm::Sha256, 8, "SECRETDATA", "27993173"),
                totp("ISSUER_DEFAULT", "LABEL_DEFAULT", 30, Algorithm::Sha1, 6, "SOMESECRET", "481618"),
                steam("SteamName", "", "STEAMKEY", "8V29R"),
                totp("SevenDigits", "Seven digit username", 30, Algorithm::Sha1, 7, "SEVENDIGITSECRET", "6995002"),
            ],
        );
        // The code Proton's own test expects for this Steam key.
        assert_eq!(parsed.entries[2].otp.code_at(1_742_298_622).code, "NTK5M");

        let app = BitwardenJson.read(PROTON_APP, None).unwrap();
        assert!(app.problems.is_empty(), "an item without totp is no problem: {:?}", app.problems);
        check(&app.entries, &[totp("ItemWithTOTP", "myusername", 30, Algorithm::Sha1, 6, "KNKVARKSKNCUGUSFKRFUKWJR", "777006")]);
    }

    #[test]
    fn bitwardens_own_export_reports_its_placeholder_key_and_skips_cards_notes_and_identities() {
        let parsed = BitwardenJson.read(SDK, None).unwrap();
        assert!(parsed.entries.is_empty());
        assert_eq!(parsed.problems.len(), 1, "{:?}", parsed.problems);
        assert_eq!(parsed.problems[0].place, Place::entry(1, "Bitwarden"));
        assert_eq!(parsed.problems[0].error, EntryError::Secret(SecretError::InvalidLength(3)), "its key is \"ABC\"");
    }

    #[test]
    fn one_bad_entry_is_reported_with_its_place_and_the_rest_still_imports() {
        let file = with(PROTON, |v| {
            let items = v["items"].as_array_mut().unwrap();
            items.insert(1, serde_json::json!({ "type": 1, "name": "Broken", "login": { "totp": "otpauth://totp/Broken?secret=NOT-BASE32!" } }));
            items.insert(3, serde_json::json!({ "type": 1, "name": "Odd", "login": { "totp": "otpauth://totp/Odd?secret=JBSWY3DP&digits=12" } }));
        });
        let parsed = BitwardenJson.read(&file, None).unwrap();
        assert_eq!(parsed.entries.len(), 4);
        let places: Vec<&Place> = parsed.problems.iter().map(|p| &p.place).collect();
        assert_eq!(places, [&Place::entry(2, "Broken"), &Place::entry(4, "Odd")]);
        assert!(matches!(parsed.problems[0].error, EntryError::Uri(_)), "{:?}", parsed.problems);
        assert!(parsed.problems[1].to_string().contains("12 digits"), "{}", parsed.problems[1]);
    }

    #[test]
    fn password_protected_pbkdf2_and_argon2id_read_with_their_password() {
        for (file, what) in [(PYTHON_PBKDF2, "PBKDF2"), (PYTHON_ARGON2ID, "Argon2id")] {
            let parsed = BitwardenEncrypted.read(file, Some(PYTHON_PASSWORD)).unwrap_or_else(|e| panic!("{what}: {e}"));
            assert!(parsed.problems.is_empty(), "{what}: {:?}", parsed.problems);
            check(&parsed.entries, &python_accounts());
            assert_eq!(BitwardenEncrypted.read(file, None), Err(BackupError::NeedsPassword), "{what}");
            assert_eq!(BitwardenEncrypted.read(file, Some("correct horse")), Err(BackupError::WrongPassword), "{what}");
        }
    }

    /// Files written by another project's implementation (Dart): their one login has
    /// `otpauth://totp/my-secret-key`, Bitwarden's help-page example, which has no secret.
    #[test]
    fn independent_samples_decrypt_and_name_their_key_less_login() {
        for file in [DECRYPTOR_PBKDF2, DECRYPTOR_ARGON2ID] {
            let parsed = BitwardenEncrypted.read(file, Some(DECRYPTOR_PASSWORD)).unwrap();
            assert!(parsed.entries.is_empty());
            assert_eq!(parsed.problems.len(), 1, "{:?}", parsed.problems);
            assert_eq!(parsed.problems[0].place, Place::entry(4, "Login Name"));
            assert_eq!(parsed.problems[0].error, EntryError::Uri(crate::otp::uri::UriError::MissingSecret));
            assert_eq!(BitwardenEncrypted.read(file, Some("Passphrase")), Err(BackupError::WrongPassword));
        }
    }

    /// Bitwarden's maxima are accepted: a file at them is asked a password for, and the
    /// PBKDF2 one (2,000,000 iterations) opens.
    #[test]
    fn files_at_bitwardens_maxima_are_read() {
        assert_eq!(BitwardenEncrypted.read(DECRYPTOR_MAX_ARGON2ID, None), Err(BackupError::NeedsPassword));
        assert_eq!(BitwardenEncrypted.read(DECRYPTOR_MAX_PBKDF2, None), Err(BackupError::NeedsPassword));
        let parsed = BitwardenEncrypted.read(DECRYPTOR_MAX_PBKDF2, Some(DECRYPTOR_PASSWORD)).unwrap();
        assert_eq!(parsed.problems[0].place, Place::entry(4, "Login Name"));
    }

    #[test]
    fn kdf_costs_over_bitwardens_maxima_are_refused_before_deriving() {
        let too = |what, value, max| Err(BackupError::TooCostly { what, value, max });
        let cases = [
            (PYTHON_PBKDF2, "kdfIterations", 4_000_000_000, too("PBKDF2 iterations", 4_000_000_000, 2_000_000)),
            (PYTHON_PBKDF2, "kdfIterations", 2_000_001, too("PBKDF2 iterations", 2_000_001, 2_000_000)),
            (PYTHON_ARGON2ID, "kdfMemory", 1u64 << 40, too("Argon2id memory in MiB", 1 << 40, 1024)),
            (PYTHON_ARGON2ID, "kdfIterations", 11, too("Argon2id iterations", 11, 10)),
            (PYTHON_ARGON2ID, "kdfParallelism", 17, too("Argon2id parallelism", 17, 16)),
        ];
        for (sample, field, value, want) in cases {
            let file = with(sample, |v| v[field] = value.into());
            for password in [None, Some("wrong"), Some(PYTHON_PASSWORD)] {
                let started = std::time::Instant::now();
                assert_eq!(BitwardenEncrypted.read(&file, password), want, "{field}={value}");
                assert!(started.elapsed() < std::time::Duration::from_secs(1), "refused without deriving");
            }
        }
    }

    #[test]
    fn account_restricted_exports_say_to_export_with_a_password() {
        assert!(BitwardenEncrypted.detect(ACCOUNT_RESTRICTED_V1));
        for password in [None, Some("asdfasdfasdf")] {
            let err = BitwardenEncrypted.read(ACCOUNT_RESTRICTED_V1, password).unwrap_err();
            let BackupError::Malformed { message, .. } = &err else { panic!("{err:?}") };
            assert!(message.contains("account-restricted") && message.contains("\"Password protected\""), "{message}");
        }
    }

    #[test]
    fn damaged_files_are_named_as_such() {
        let malformed = |file: &[u8], password| match BitwardenEncrypted.read(file, password) {
            Err(BackupError::Malformed { at, .. }) => at,
            other => panic!("{other:?}"),
        };
        let edit_data = |change: fn(&str) -> String| with(PYTHON_PBKDF2, |v| v["data"] = change(v["data"].as_str().unwrap()).into());
        // A changed ciphertext byte fails the MAC, which the right password tells from a wrong one.
        let flipped = edit_data(|d| {
            let (head, rest) = d.split_once('|').unwrap();
            let c = if rest.starts_with('A') { 'B' } else { 'A' };
            format!("{head}|{c}{}", &rest[1..])
        });
        assert_eq!(malformed(&flipped, Some(PYTHON_PASSWORD)), "data");
        assert_eq!(BitwardenEncrypted.read(&flipped, Some("wrong")), Err(BackupError::WrongPassword));
        assert_eq!(malformed(&edit_data(|d| d.replacen("2.", "0.", 1)), None), "data");
        assert_eq!(malformed(&edit_data(|d| d.replacen('|', "", 1)), None), "data");
        assert_eq!(malformed(&edit_data(|d| format!("{d}!")), None), "data");
        assert_eq!(malformed(&with(PYTHON_PBKDF2, |v| v["kdfType"] = 7.into()), None), "kdfType");
        assert_eq!(malformed(&with(PYTHON_PBKDF2, |v| v["kdfIterations"] = 0.into()), None), "kdfIterations");
        assert_eq!(malformed(&with(PYTHON_ARGON2ID, |v| v["kdfMemory"] = Value::Null), None), "kdfMemory");
        assert_eq!(malformed(&with(PYTHON_PBKDF2, |v| v["salt"] = Value::Null), None), "salt");
        assert_eq!(malformed(&with(PYTHON_PBKDF2, |v| v["encKeyValidation_DO_NOT_EDIT"] = "2.a|b|c".into()), None), "encKeyValidation_DO_NOT_EDIT");
        assert!(BitwardenJson.read(br#"{"encrypted": false, "items": 3}"#, None).is_err());
        assert!(BitwardenJson.read(b"{\"encrypted\": false, \"items\": [", None).is_err());
    }

    #[test]
    fn readers_never_panic_on_cut_samples() {
        for file in [AEGIS, PROTON, SDK, ACCOUNT_RESTRICTED_V1, PYTHON_ARGON2ID, DECRYPTOR_PBKDF2] {
            for cut in (0..file.len()).step_by(file.len() / 60 + 1) {
                let _ = read(&file[..cut], Some("x"));
            }
        }
        let odd = br#"{"encrypted": false, "items": [1, null, {"login": 5}, {"login": {"totp": 7}}, {"name": 3, "login": {"totp": "steam://"}},
            {"login": {"totp": "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9"}}]}"#;
        assert_eq!(read(odd, None).unwrap().problems.len(), 2);
    }

    #[test]
    fn every_sample_is_detected_as_its_format_and_by_no_other() {
        let samples: [(&[u8], &str); 11] = [
            (AEGIS, "bitwarden-json"),
            (PROTON, "bitwarden-json"),
            (PROTON_APP, "bitwarden-json"),
            (SDK, "bitwarden-json"),
            (ACCOUNT_RESTRICTED_V1, "bitwarden-encrypted"),
            (PYTHON_PBKDF2, "bitwarden-encrypted"),
            (PYTHON_ARGON2ID, "bitwarden-encrypted"),
            (DECRYPTOR_PBKDF2, "bitwarden-encrypted"),
            (DECRYPTOR_ARGON2ID, "bitwarden-encrypted"),
            (DECRYPTOR_MAX_PBKDF2, "bitwarden-encrypted"),
            (DECRYPTOR_MAX_ARGON2ID, "bitwarden-encrypted"),
        ];
        for (bytes, id) in samples {
            assert_eq!(detect(bytes).map(|f| f.id()), Some(id));
            let claimed: Vec<&str> = FORMATS.iter().filter(|f| f.detect(bytes)).map(|f| f.id()).collect();
            assert_eq!(claimed, [id]);
        }
        for (bytes, _) in super::super::CLI_SAMPLES {
            assert!(!BitwardenJson.detect(bytes) && !BitwardenEncrypted.detect(bytes));
        }
        // Old exports have no "encrypted" flag; a bare "items" list is not enough.
        assert!(BitwardenJson.detect(br#"{"folders": [], "items": []}"#));
        assert!(!BitwardenJson.detect(br#"{"items": []}"#));
        assert!(!BitwardenEncrypted.detect(br#"{"encrypted": true}"#));
    }
}
