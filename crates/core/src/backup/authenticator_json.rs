//! The "Authenticator" extension's JSON backups (shared/formats/authenticator-extension.md
//! §3, §4.5): plain, password-protected v3 (Argon2id + CryptoJS AES), and the legacy v1/v2
//! encryption, read; plain and v3 written as the extension writes them.

use data_encoding::{BASE64_NOPAD, HEXLOWER};
use serde::Serialize;
use serde_json::{Map, Value};
use uuid::Uuid;
use zeroize::Zeroizing;

use super::{BackupError, Entry, EntryError, Field, Format, Parsed, Place, Problem, Problems, Written, cryptojs};
use crate::otp::{Algorithm, Method, Otp};
use crate::secret::Secret;

/// Argon2id parameters of the extension's v3 key (argon2-browser, `src/argon.ts`).
const ARGON_M: u32 = 19456;
const ARGON_T: u32 = 2;
const ARGON_P: u32 = 1;
/// The extension writes one key; sync conflicts can leave a few more (§3.2 point 8). Eight
/// at its fixed cost (19 MiB, 2 passes: some 40 ms each) keep a file well under a second.
const MAX_KEYS: usize = 8;

fn is_object_with(v: &Value, keys: &[&str]) -> bool {
    v.as_object().is_some_and(|o| keys.iter().any(|k| o.contains_key(*k)))
}

fn looks_like_extension_json(bytes: &[u8]) -> Option<Map<String, Value>> {
    let Value::Object(top) = super::json(bytes)? else {
        return None;
    };
    let entry_like = top.values().any(|v| is_object_with(v, &["secret", "dataType"]) && v.get("db").is_none() && v.get("services").is_none());
    (entry_like || top.contains_key("key") || (top.contains_key("enc") && top.contains_key("hash"))).then_some(top)
}

fn is_encrypted(top: &Map<String, Value>) -> bool {
    top.values().any(|v| v.get("dataType").and_then(Value::as_str) == Some("EncOTPStorage") || v.get("encrypted") == Some(&Value::Bool(true)))
}

/// The v3 "derived passphrase": Argon2id of the password over the salt string's bytes,
/// as unpadded base64 (what the extension keeps in session storage while unlocked).
fn derived_passphrase(password: &str, salt: &str) -> Result<Zeroizing<String>, BackupError> {
    let params = argon2::Params::new(ARGON_M, ARGON_T, ARGON_P, Some(32)).map_err(|e| BackupError::malformed("key", e))?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut hash = Zeroizing::new([0u8; 32]);
    argon.hash_password_into(password.as_bytes(), salt.as_bytes(), hash.as_mut()).map_err(|e| BackupError::malformed("key salt", e))?;
    Ok(Zeroizing::new(BASE64_NOPAD.encode(hash.as_ref())))
}

/// The extension's salt: eight random 16-bit numbers as unpadded lowercase hex.
fn new_salt() -> Result<String, BackupError> {
    let mut raw = [0u8; 16];
    getrandom::fill(&mut raw).map_err(|e| BackupError::malformed("salt", e))?;
    Ok(raw.chunks(2).map(|c| format!("{:x}", u16::from_le_bytes([c[0], c[1]]))).collect())
}

fn number(v: Option<&Value>) -> Option<f64> {
    match v? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// One entry object (plain, or decrypted) → an account, applying the extension's defaults
/// and accepting names or numbers for type and algorithm (v8.0.x writes numbers).
fn entry_from(o: &Map<String, Value>) -> Result<(Entry, i64), EntryError> {
    let raw_secret = o.get("secret").and_then(Value::as_str).ok_or(EntryError::NoSecret)?;
    let type_name = match o.get("type") {
        Some(Value::String(s)) => s.to_ascii_lowercase(),
        Some(Value::Number(n)) => match n.as_u64() {
            Some(1) => "totp".into(),
            Some(2) => "hotp".into(),
            Some(3) => "battle".into(),
            Some(4) => "steam".into(),
            Some(5) => "hex".into(),
            Some(6) => "hhex".into(),
            _ => return Err(EntryError::unknown(Field::Type, n)),
        },
        None => "totp".into(),
        Some(other) => return Err(EntryError::unknown(Field::Type, other)),
    };
    let lower = raw_secret.to_ascii_lowercase();
    let (prefixed, secret_text) = if let Some(rest) = lower.strip_prefix("stm-") {
        (Some(Method::Steam), &raw_secret[raw_secret.len() - rest.len()..])
    } else if let Some(rest) = lower.strip_prefix("blz-").or_else(|| lower.strip_prefix("bliz-")) {
        (Some(Method::Battle), &raw_secret[raw_secret.len() - rest.len()..])
    } else {
        (None, raw_secret)
    };
    let hex = matches!(type_name.as_str(), "hex" | "hhex");
    let secret = if hex {
        Secret::from_hex(secret_text).ok_or(EntryError::NotHex)?
    } else {
        Secret::from_base32(secret_text).or_else(|e| Secret::from_hex(secret_text).ok_or(e))?
    };
    let algorithm = match o.get("algorithm") {
        None | Some(Value::Null) => Algorithm::Sha1,
        Some(Value::Number(n)) => match n.as_u64() {
            Some(1) => Algorithm::Sha1,
            Some(2) => Algorithm::Sha256,
            Some(3) => Algorithm::Sha512,
            Some(4 | 5) => return Err(EntryError::unsupported("GOST")),
            _ => return Err(EntryError::unknown(Field::Algorithm, n)),
        },
        Some(Value::String(s)) if s.to_ascii_uppercase().starts_with("GOST") => {
            return Err(EntryError::unsupported("GOST"));
        }
        Some(Value::String(s)) => s.parse()?,
        Some(other) => return Err(EntryError::unknown(Field::Algorithm, other)),
    };
    let digits = number(o.get("digits")).map(|d| d as u32).filter(|d| (1..=10).contains(d)).unwrap_or(6);
    let period = number(o.get("period")).map(|p| p as u32).filter(|p| *p > 0).unwrap_or(30);
    let counter = number(o.get("counter")).map(|c| c as u64).unwrap_or(0);
    let method = match (prefixed, type_name.as_str()) {
        (Some(m), _) => m,
        (None, "hotp" | "hhex") => Method::Hotp { counter },
        (None, "steam") => Method::Steam,
        (None, "battle") => Method::Battle,
        (None, "totp" | "hex") => Method::Totp { period },
        (None, other) => return Err(EntryError::unknown(Field::Type, other)),
    };
    let otp = Otp::new(method, algorithm, digits, secret)?;
    let text = |k: &str| o.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();
    // "Name::host" carries a smart-filter hint the extension does not display.
    let issuer = text("issuer").split("::").next().unwrap_or_default().trim().to_owned();
    let index = number(o.get("index")).map(|i| i as i64).unwrap_or(0);
    Ok((
        Entry { issuer, account: text("account").trim().to_owned(), label: String::new(), otp, pinned: o.get("pinned") == Some(&Value::Bool(true)) },
        index,
    ))
}

fn name_of(o: &Map<String, Value>) -> String {
    let issuer = o.get("issuer").and_then(Value::as_str).unwrap_or_default();
    let account = o.get("account").and_then(Value::as_str).unwrap_or_default();
    match (issuer.is_empty(), account.is_empty()) {
        (false, false) => format!("{issuer} {account}"),
        (false, true) => issuer.to_owned(),
        (true, false) => account.to_owned(),
        _ => String::new(),
    }
}

/// How a file's encrypted entries are opened.
enum Keys {
    Plain,
    /// v3: derived passphrase per key id.
    V3(Vec<(String, Zeroizing<String>)>),
    /// v2: the hex of the decrypted random key.
    V2(Zeroizing<String>),
    /// v1: the password itself.
    V1(Zeroizing<String>),
}

fn keys_for(top: &Map<String, Value>, password: Option<&str>) -> Result<Keys, BackupError> {
    if !is_encrypted(top) {
        return Ok(Keys::Plain);
    }
    let key_objects: Vec<&Map<String, Value>> =
        top.values().filter_map(Value::as_object).filter(|o| o.get("dataType").and_then(Value::as_str) == Some("Key")).collect();
    // Before the password is asked for: it would never be tried.
    if key_objects.len() > MAX_KEYS {
        return Err(BackupError::TooCostly { what: "password keys", value: key_objects.len() as u64, max: MAX_KEYS as u64 });
    }
    let password = password.ok_or(BackupError::NeedsPassword)?;
    if !key_objects.is_empty() {
        let mut keys = Vec::new();
        for k in key_objects {
            let id = k.get("id").and_then(Value::as_str).unwrap_or_default().to_owned();
            let salt = k.get("salt").and_then(Value::as_str).ok_or_else(|| BackupError::malformed(format!("key {id}"), "no salt"))?;
            keys.push((id, derived_passphrase(password, salt)?));
        }
        return Ok(Keys::V3(keys));
    }
    let legacy = top.get("key").and_then(Value::as_object).or(Some(top)).and_then(|o| o.get("enc")).and_then(Value::as_str);
    if let Some(enc) = legacy {
        let key = cryptojs::decrypt(enc, password).ok_or(BackupError::WrongPassword)?;
        return Ok(Keys::V2(Zeroizing::new(HEXLOWER.encode(&key))));
    }
    Ok(Keys::V1(Zeroizing::new(password.to_owned())))
}

/// The extension accepts a decrypted secret only if it looks like one; so do we, which is
/// how a wrong password is told from a right one without a MAC.
fn plausible_secret(s: &str) -> bool {
    let s = s.to_ascii_lowercase();
    let s = s.strip_prefix("stm-").or_else(|| s.strip_prefix("blz-")).or_else(|| s.strip_prefix("bliz-")).unwrap_or(&s);
    s.len() >= 8 && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '=')
}

fn decrypt_entry(o: &Map<String, Value>, keys: &Keys) -> Result<Option<Map<String, Value>>, BackupError> {
    match keys {
        Keys::V3(keys) if o.get("dataType").and_then(Value::as_str) == Some("EncOTPStorage") => {
            let data = o.get("data").and_then(Value::as_str).unwrap_or_default();
            let key_id = o.get("keyId").and_then(Value::as_str).unwrap_or_default();
            let candidates = keys.iter().filter(|(id, _)| id == key_id || keys.len() == 1);
            for (_, derived) in candidates {
                if let Some(plain) = cryptojs::decrypt(data, derived)
                    && let Ok(Value::Object(inner)) = serde_json::from_slice::<Value>(&plain)
                {
                    return Ok(Some(inner));
                }
            }
            Err(BackupError::WrongPassword)
        }
        Keys::V2(key) | Keys::V1(key) if o.get("encrypted") == Some(&Value::Bool(true)) => {
            let secret = o.get("secret").and_then(Value::as_str).unwrap_or_default();
            let plain = cryptojs::decrypt(secret, key).ok_or(BackupError::WrongPassword)?;
            let plain = String::from_utf8(plain.to_vec()).map_err(|_| BackupError::WrongPassword)?;
            if !plausible_secret(&plain) {
                return Err(BackupError::WrongPassword);
            }
            let mut out = o.clone();
            out.insert("secret".into(), Value::String(plain));
            Ok(Some(out))
        }
        _ => Ok(Some(o.clone())),
    }
}

pub fn read(bytes: &[u8], password: Option<&str>) -> Result<Parsed, BackupError> {
    let top = looks_like_extension_json(bytes).ok_or_else(|| BackupError::malformed("file", "not an Authenticator extension JSON backup"))?;
    let keys = keys_for(&top, password)?;
    let mut indexed = Vec::new();
    let mut problems = Problems::default();
    for (n, (id, value)) in top.iter().enumerate() {
        let Some(o) = value.as_object() else { continue };
        let data_type = o.get("dataType").and_then(Value::as_str);
        if data_type == Some("Key") || id == "key" || (id == "enc" || id == "hash") {
            continue;
        }
        if data_type.is_none() && !o.contains_key("secret") {
            continue;
        }
        let Some(plain) = decrypt_entry(o, &keys)? else {
            continue;
        };
        match entry_from(&plain) {
            Ok((entry, index)) => indexed.push((index, n, entry)),
            Err(error) => problems.push(Problem { place: Place::entry(n + 1, name_of(&plain)), error }),
        }
    }
    indexed.sort_by_key(|(index, n, _)| (*index, *n));
    Ok(Parsed { entries: indexed.into_iter().map(|(_, _, e)| e).collect(), problems })
}

/// One entry in the extension's key order (§3.1).
#[derive(Serialize)]
struct StoredEntry<'a> {
    encrypted: bool,
    hash: String,
    index: usize,
    #[serde(rename = "type")]
    kind: &'static str,
    secret: String,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pinned: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    counter: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    period: Option<u32>,
    #[serde(skip_serializing_if = "str::is_empty")]
    issuer: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    account: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    digits: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    algorithm: Option<String>,
    #[serde(rename = "keyId", skip_serializing_if = "Option::is_none")]
    key_id: Option<String>,
    #[serde(rename = "dataType")]
    data_type: &'static str,
}

fn stored(e: &Entry, index: usize, hash: String, key_id: Option<String>) -> StoredEntry<'_> {
    let base32 = e.otp.secret.to_base32().to_string();
    // Steam and Battle.net keys carry the prefix too: every extension version, including
    // 8.0.x with its type-parsing bug, then imports them as what they are.
    let (kind, secret) = match e.otp.method {
        Method::Totp { .. } => ("totp", base32),
        Method::Hotp { .. } => ("hotp", base32),
        Method::Steam => ("steam", format!("stm-{base32}")),
        Method::Battle => ("battle", format!("blz-{base32}")),
    };
    StoredEntry {
        encrypted: key_id.is_some(),
        hash,
        index,
        kind,
        secret,
        pinned: e.pinned,
        counter: e.otp.method.counter(),
        period: match e.otp.method {
            Method::Totp { period } if period != 30 => Some(period),
            _ => None,
        },
        issuer: &e.issuer,
        account: &e.account,
        digits: (!matches!(e.otp.method, Method::Steam | Method::Battle) && e.otp.digits != 6).then_some(e.otp.digits),
        algorithm: (e.otp.algorithm != Algorithm::Sha1).then(|| e.otp.algorithm.to_string()),
        key_id,
        data_type: "OTPStorage",
    }
}

/// `JSON.stringify(x, null, 2)` with every `\n` made `\r\n`, as `getBackupFile` does.
fn extension_json<T: Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_string_pretty(value).expect("backup JSON serializes").replace('\n', "\r\n").into_bytes()
}

/// A map written in the given order (serde_json's own map would sort it).
struct Ordered<T>(Vec<(String, T)>);

impl<T: Serialize> Serialize for Ordered<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

pub fn write_plain(entries: &[Entry]) -> Result<Written, BackupError> {
    let items = entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let hash = Uuid::new_v4().to_string();
            (hash.clone(), stored(e, i, hash, None))
        })
        .collect();
    Ok(Written::one(extension_json(&Ordered(items))))
}

#[derive(Serialize)]
#[serde(untagged)]
enum V3Item {
    Entry {
        #[serde(rename = "dataType")]
        data_type: &'static str,
        data: String,
        #[serde(rename = "keyId")]
        key_id: String,
        index: usize,
    },
    Key {
        #[serde(rename = "dataType")]
        data_type: &'static str,
        hash: String,
        id: String,
        salt: String,
        version: u32,
    },
}

pub fn write_encrypted(entries: &[Entry], password: &str) -> Result<Written, BackupError> {
    let key_id = Uuid::new_v4().to_string();
    let salt = new_salt()?;
    let derived = derived_passphrase(password, &salt)?;
    // The verifier: Argon2id of the derived passphrase under a fresh salt, encoded.
    let verifier_salt = new_salt()?;
    let params = argon2::Params::new(ARGON_M, ARGON_T, ARGON_P, Some(32)).map_err(|e| BackupError::malformed("key", e))?;
    let mut verifier = [0u8; 32];
    argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
        .hash_password_into(derived.as_bytes(), verifier_salt.as_bytes(), &mut verifier)
        .map_err(|e| BackupError::malformed("key", e))?;
    let hash = format!(
        "$argon2id$v=19$m={ARGON_M},t={ARGON_T},p={ARGON_P}${}${}",
        BASE64_NOPAD.encode(verifier_salt.as_bytes()),
        BASE64_NOPAD.encode(&verifier)
    );
    let mut items = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let id = Uuid::new_v4().to_string();
        let plain = Zeroizing::new(serde_json::to_string(&stored(e, i, id.clone(), Some(key_id.clone()))).expect("entry serializes"));
        let mut salt8 = [0u8; 8];
        getrandom::fill(&mut salt8).map_err(|e| BackupError::malformed("salt", e))?;
        let data = cryptojs::encrypt(plain.as_bytes(), &derived, salt8);
        items.push((id, V3Item::Entry { data_type: "EncOTPStorage", data, key_id: key_id.clone(), index: i }));
    }
    items.push((key_id.clone(), V3Item::Key { data_type: "Key", hash, id: key_id, salt, version: 3 }));
    Ok(Written::one(extension_json(&Ordered(items))))
}

pub struct AuthenticatorJson;
pub struct AuthenticatorEncrypted;

impl Format for AuthenticatorJson {
    fn id(&self) -> &'static str {
        "authenticator-json"
    }
    fn name(&self) -> &'static str {
        "Authenticator extension backup (authenticator.json)"
    }
    fn detect(&self, bytes: &[u8]) -> bool {
        looks_like_extension_json(bytes).is_some_and(|top| !is_encrypted(&top))
    }
    fn read(&self, bytes: &[u8], password: Option<&str>) -> Result<Parsed, BackupError> {
        read(bytes, password)
    }
    fn write(&self, entries: &[Entry], _password: Option<&str>) -> Option<Result<Written, BackupError>> {
        Some(write_plain(entries))
    }
}

impl Format for AuthenticatorEncrypted {
    fn id(&self) -> &'static str {
        "authenticator-encrypted"
    }
    fn name(&self) -> &'static str {
        "Authenticator extension password-protected backup"
    }
    fn detect(&self, bytes: &[u8]) -> bool {
        looks_like_extension_json(bytes).is_some_and(|top| is_encrypted(&top))
    }
    fn read(&self, bytes: &[u8], password: Option<&str>) -> Result<Parsed, BackupError> {
        read(bytes, password)
    }
    fn write(&self, entries: &[Entry], password: Option<&str>) -> Option<Result<Written, BackupError>> {
        Some(password.ok_or(BackupError::PasswordRequired).and_then(|p| write_encrypted(entries, p)))
    }
    fn encrypted(&self) -> bool {
        true
    }
}
