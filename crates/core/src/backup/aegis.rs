//! Aegis vault exports, plain and encrypted (shared/formats/other-formats.md §2.1):
//! scrypt-derived password slots wrapping a master key, AES-256-GCM over the database.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use data_encoding::{BASE64, HEXLOWER, HEXLOWER_PERMISSIVE};
use serde_json::{Value, json};
use uuid::Uuid;
use zeroize::Zeroizing;

use super::{BackupError, Entry, EntryError, Format, Parsed, Written};
use crate::otp::{Algorithm, Method, Otp};
use crate::secret::Secret;

/// Aegis's scrypt cost: N = 2^15, r = 8, p = 1.
const LOG_N: u8 = 15;
const R: u32 = 8;
const P: u32 = 1;
/// N×r×p, four times the 2^15 × 8 × 1 that every Aegis version writes: about half a second
/// each, and 128 MiB at most (scrypt's memory is 128·N·r bytes).
const MAX_SCRYPT_WORK: u64 = 4 * (1 << LOG_N) * R as u64 * P as u64;
/// Aegis keeps one password slot, plus one for its backup password; twice that bounds a
/// file to about two seconds of scrypt.
const MAX_PASSWORD_SLOTS: usize = 4;

fn aegis_json(bytes: &[u8]) -> Option<Value> {
    let v = super::json(bytes)?;
    (v.get("header").is_some() && v.get("db").is_some()).then_some(v)
}

fn is_encrypted(v: &Value) -> bool {
    v["header"]["slots"].is_array() && v["db"].is_string()
}

fn hex(v: &Value, at: &str) -> Result<Vec<u8>, BackupError> {
    let text = v.as_str().ok_or_else(|| BackupError::malformed(at, "missing"))?;
    HEXLOWER_PERMISSIVE.decode(text.as_bytes()).map_err(|_| BackupError::malformed(at, "not hexadecimal"))
}

fn open_gcm(key: &[u8], nonce: &[u8], ciphertext: &[u8], tag: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let cipher = Aes256Gcm::new_from_slice(key).ok()?;
    let nonce: [u8; 12] = nonce.try_into().ok()?;
    let joined = [ciphertext, tag].concat();
    cipher.decrypt(&Nonce::from(nonce), Payload { msg: &joined, aad: &[] }).ok().map(Zeroizing::new)
}

/// AES-GCM output as Aegis stores it: nonce, ciphertext and tag apart.
struct Sealed {
    nonce: [u8; 12],
    ciphertext: Vec<u8>,
    tag: Vec<u8>,
}

fn seal_gcm(key: &[u8], plaintext: &[u8]) -> Result<Sealed, BackupError> {
    let mut nonce = [0u8; 12];
    getrandom::fill(&mut nonce).map_err(|e| BackupError::malformed("nonce", e))?;
    let cipher = Aes256Gcm::new_from_slice(key).map_err(|e| BackupError::malformed("key", e))?;
    let mut sealed =
        cipher.encrypt(&Nonce::from(nonce), Payload { msg: plaintext, aad: &[] }).map_err(|_| BackupError::malformed("db", "encryption failed"))?;
    let tag = sealed.split_off(sealed.len() - 16);
    Ok(Sealed { nonce, ciphertext: sealed, tag })
}

fn scrypt_key(password: &str, salt: &[u8], log_n: u8, r: u32, p: u32) -> Result<Zeroizing<[u8; 32]>, BackupError> {
    let params = scrypt::Params::new(log_n, r, p).map_err(|e| BackupError::malformed("password slot", e))?;
    let mut key = Zeroizing::new([0u8; 32]);
    scrypt::scrypt(password.as_bytes(), salt, &params, key.as_mut()).map_err(|e| BackupError::malformed("password slot", e))?;
    Ok(key)
}

/// A password slot whose scrypt cost was checked.
struct PasswordSlot<'a> {
    at: String,
    slot: &'a Value,
    log_n: u8,
    r: u32,
    p: u32,
}

/// Every password slot's cost is checked before any is derived, so that a costly slot
/// behind a cheap one is refused too, and before the password is asked for.
fn password_slots(v: &Value) -> Result<Vec<PasswordSlot<'_>>, BackupError> {
    let slots = v["header"]["slots"].as_array().ok_or_else(|| BackupError::malformed("header.slots", "missing"))?;
    let password_slots: Vec<(usize, &Value)> = slots.iter().enumerate().filter(|(_, s)| s["type"].as_u64() == Some(1)).collect();
    if password_slots.is_empty() {
        return Err(BackupError::malformed("header.slots", "no password slot (only biometric or raw slots)"));
    }
    if password_slots.len() > MAX_PASSWORD_SLOTS {
        return Err(BackupError::TooCostly { what: "password slots", value: password_slots.len() as u64, max: MAX_PASSWORD_SLOTS as u64 });
    }
    password_slots
        .into_iter()
        .map(|(i, slot)| {
            let at = format!("header.slots[{i}]");
            let field = |name: &str| slot[name].as_u64().filter(|&x| x > 0).ok_or_else(|| BackupError::malformed(&at, format!("no scrypt {name}")));
            let (n, r, p) = (field("n")?, field("r")?, field("p")?);
            if !n.is_power_of_two() || n < 2 {
                return Err(BackupError::malformed(&at, format!("scrypt N={n} is not a power of two")));
            }
            let work = n.saturating_mul(r).saturating_mul(p);
            if work > MAX_SCRYPT_WORK {
                return Err(BackupError::TooCostly { what: "scrypt N×r×p", value: work, max: MAX_SCRYPT_WORK });
            }
            // Each is at most MAX_SCRYPT_WORK, so they fit.
            Ok(PasswordSlot { at, slot, log_n: n.trailing_zeros() as u8, r: r as u32, p: p as u32 })
        })
        .collect()
}

fn master_key(slots: &[PasswordSlot<'_>], password: &str) -> Result<Zeroizing<Vec<u8>>, BackupError> {
    for s in slots {
        let key = scrypt_key(password, &hex(&s.slot["salt"], &s.at)?, s.log_n, s.r, s.p)?;
        let wrapped = hex(&s.slot["key"], &s.at)?;
        let params = &s.slot["key_params"];
        if let Some(master) = open_gcm(key.as_ref(), &hex(&params["nonce"], &s.at)?, &wrapped, &hex(&params["tag"], &s.at)?) {
            return Ok(master);
        }
    }
    Err(BackupError::WrongPassword)
}

fn entry_from(e: &Value) -> Result<Entry, EntryError> {
    let info = &e["info"];
    let kind = e["type"].as_str().unwrap_or("totp");
    let secret = Secret::from_base32(info["secret"].as_str().ok_or(EntryError::NoSecret)?)?;
    let algorithm: Algorithm = info["algo"].as_str().unwrap_or("SHA1").parse()?;
    let digits = info["digits"].as_u64().unwrap_or(6) as u32;
    let method = match kind {
        "totp" => Method::Totp { period: info["period"].as_u64().unwrap_or(30) as u32 },
        "hotp" => Method::Hotp { counter: info["counter"].as_u64().unwrap_or(0) },
        "steam" => Method::Steam,
        other => return Err(EntryError::unsupported(other)),
    };
    let otp = Otp::new(method, algorithm, digits, secret)?;
    Ok(Entry {
        issuer: e["issuer"].as_str().unwrap_or_default().trim().to_owned(),
        account: e["name"].as_str().unwrap_or_default().trim().to_owned(),
        label: String::new(),
        otp,
        pinned: e["favorite"].as_bool().unwrap_or(false),
    })
}

pub fn read(bytes: &[u8], password: Option<&str>) -> Result<Parsed, BackupError> {
    let v = aegis_json(bytes).ok_or_else(|| BackupError::malformed("file", "not an Aegis export"))?;
    let db: Value = if is_encrypted(&v) {
        let slots = password_slots(&v)?;
        let password = password.ok_or(BackupError::NeedsPassword)?;
        let master = master_key(&slots, password)?;
        let params = &v["header"]["params"];
        let ciphertext = BASE64.decode(v["db"].as_str().unwrap_or_default().as_bytes()).map_err(|_| BackupError::malformed("db", "not base64"))?;
        let plain = open_gcm(&master, &hex(&params["nonce"], "header.params")?, &ciphertext, &hex(&params["tag"], "header.params")?)
            .ok_or_else(|| BackupError::malformed("db", "does not decrypt with the master key (damaged file)"))?;
        serde_json::from_slice(&plain).map_err(|e| BackupError::malformed("db", e))?
    } else {
        v["db"].clone()
    };
    let entries = db["entries"].as_array().ok_or_else(|| BackupError::malformed("db.entries", "missing"))?;
    Ok(Parsed::each(entries, entry_from, |e| e["name"].as_str().unwrap_or_default().to_owned()))
}

fn db(entries: &[Entry]) -> Value {
    let items: Vec<Value> = entries
        .iter()
        .map(|e| {
            let (kind, mut info) = match e.otp.method {
                Method::Totp { period } => ("totp", json!({ "period": period })),
                // Battle.net codes are 8-digit SHA1 TOTP; Aegis holds them as such.
                Method::Battle => ("totp", json!({ "period": 30 })),
                Method::Hotp { counter } => ("hotp", json!({ "counter": counter })),
                Method::Steam => ("steam", json!({ "period": 30 })),
            };
            info["secret"] = json!(e.otp.secret.to_base32().as_str());
            info["algo"] = json!(e.otp.algorithm.to_string());
            info["digits"] = json!(e.otp.digits);
            json!({
                "type": kind, "uuid": Uuid::new_v4(), "name": e.account, "issuer": e.issuer, "note": e.label,
                "favorite": e.pinned, "icon": null, "info": info, "groups": []
            })
        })
        .collect();
    json!({ "version": 3, "entries": items, "groups": [] })
}

pub fn write(entries: &[Entry], password: Option<&str>) -> Result<Written, BackupError> {
    let db = db(entries);
    let file = match password {
        None => json!({ "version": 1, "header": { "slots": null, "params": null }, "db": db }),
        Some(password) => {
            let mut master = Zeroizing::new([0u8; 32]);
            let mut salt = [0u8; 32];
            getrandom::fill(master.as_mut()).and_then(|_| getrandom::fill(&mut salt)).map_err(|e| BackupError::malformed("key", e))?;
            let slot_key = scrypt_key(password, &salt, LOG_N, R, P)?;
            let wrapped = seal_gcm(slot_key.as_ref(), master.as_ref())?;
            let plain = Zeroizing::new(serde_json::to_vec(&db).expect("db serializes"));
            let body = seal_gcm(master.as_ref(), &plain)?;
            json!({
                "version": 1,
                "header": {
                    "slots": [{
                        "type": 1, "uuid": Uuid::new_v4(), "key": HEXLOWER.encode(&wrapped.ciphertext),
                        "key_params": { "nonce": HEXLOWER.encode(&wrapped.nonce), "tag": HEXLOWER.encode(&wrapped.tag) },
                        "n": 1u64 << LOG_N, "r": R, "p": P, "salt": HEXLOWER.encode(&salt), "repaired": true, "is_backup": false
                    }],
                    "params": { "nonce": HEXLOWER.encode(&body.nonce), "tag": HEXLOWER.encode(&body.tag) }
                },
                "db": BASE64.encode(&body.ciphertext)
            })
        }
    };
    let mut bytes = serde_json::to_vec_pretty(&file).expect("aegis serializes");
    bytes.push(b'\n');
    Ok(Written::one(bytes))
}

pub struct AegisPlain;
pub struct AegisEncrypted;

impl Format for AegisPlain {
    fn id(&self) -> &'static str {
        "aegis"
    }
    fn name(&self) -> &'static str {
        "Aegis export (plain)"
    }
    fn detect(&self, bytes: &[u8]) -> bool {
        aegis_json(bytes).is_some_and(|v| !is_encrypted(&v))
    }
    fn read(&self, bytes: &[u8], password: Option<&str>) -> Result<Parsed, BackupError> {
        read(bytes, password)
    }
    fn write(&self, entries: &[Entry], _password: Option<&str>) -> Option<Result<Written, BackupError>> {
        Some(write(entries, None))
    }
}

impl Format for AegisEncrypted {
    fn id(&self) -> &'static str {
        "aegis-encrypted"
    }
    fn name(&self) -> &'static str {
        "Aegis export (encrypted)"
    }
    fn detect(&self, bytes: &[u8]) -> bool {
        aegis_json(bytes).is_some_and(|v| is_encrypted(&v))
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
