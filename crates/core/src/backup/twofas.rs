//! 2FAS `.2fas` backups, plain and encrypted (shared/formats/other-formats.md §2.2):
//! `servicesEncrypted` is "ciphertext+tag:salt:iv" in base64, key = PBKDF2-HMAC-SHA256
//! (10,000 rounds), AES-256-GCM.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use data_encoding::BASE64;
use serde_json::Value;
use zeroize::Zeroizing;

use super::{BackupError, Entry, EntryError, Format, Parsed, Place, Problem, Problems, Written};
use crate::otp::{Algorithm, Method, Otp};
use crate::secret::Secret;

const PBKDF2_ROUNDS: u32 = 10_000;

fn twofas_json(bytes: &[u8]) -> Option<Value> {
    let v = super::json(bytes)?;
    v.get("schemaVersion").is_some().then_some(v)
}

fn decrypt(encrypted: &str, password: &str) -> Result<Value, BackupError> {
    let parts: Vec<&str> = encrypted.split(':').collect();
    let [ciphertext, salt, iv] = parts.as_slice() else {
        return Err(BackupError::malformed("servicesEncrypted", "expected three parts separated by ':'"));
    };
    let decode = |s: &str, what: &str| {
        BASE64.decode(s.as_bytes()).map_err(|_| BackupError::malformed("servicesEncrypted", format!("the {what} is not base64")))
    };
    let (ciphertext, salt, iv) = (decode(ciphertext, "ciphertext")?, decode(salt, "salt")?, decode(iv, "IV")?);
    let iv: [u8; 12] = iv.try_into().map_err(|_| BackupError::malformed("servicesEncrypted", "the IV is not 12 bytes"))?;
    let mut key = Zeroizing::new([0u8; 32]);
    pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password.as_bytes(), &salt, PBKDF2_ROUNDS, key.as_mut());
    let cipher = Aes256Gcm::new_from_slice(key.as_ref()).map_err(|e| BackupError::malformed("key", e))?;
    let plain = Zeroizing::new(cipher.decrypt(&Nonce::from(iv), ciphertext.as_slice()).map_err(|_| BackupError::WrongPassword)?);
    serde_json::from_slice(&plain).map_err(|e| BackupError::malformed("servicesEncrypted", e))
}

fn entry_from(s: &Value) -> Result<Entry, EntryError> {
    let otp = &s["otp"];
    let secret = Secret::from_base32(s["secret"].as_str().ok_or(EntryError::NoSecret)?)?;
    let algorithm: Algorithm = otp["algorithm"].as_str().unwrap_or("SHA1").parse()?;
    let method = match otp["tokenType"].as_str().unwrap_or("TOTP").to_ascii_uppercase().as_str() {
        "TOTP" => Method::Totp { period: otp["period"].as_u64().unwrap_or(30) as u32 },
        "HOTP" => Method::Hotp { counter: otp["counter"].as_u64().unwrap_or(0) },
        "STEAM" => Method::Steam,
        other => return Err(EntryError::unsupported(other)),
    };
    let otp_value = Otp::new(method, algorithm, otp["digits"].as_u64().unwrap_or(6) as u32, secret)?;
    let issuer = otp["issuer"].as_str().filter(|i| !i.is_empty()).or(s["name"].as_str()).unwrap_or_default();
    Ok(Entry {
        issuer: issuer.trim().to_owned(),
        account: otp["account"].as_str().unwrap_or_default().trim().to_owned(),
        label: String::new(),
        otp: otp_value,
        pinned: false,
    })
}

pub struct TwoFas;

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
        let v = twofas_json(bytes).ok_or_else(|| BackupError::malformed("file", "not a 2FAS backup"))?;
        let services = match v["servicesEncrypted"].as_str() {
            Some(encrypted) => decrypt(encrypted, password.ok_or(BackupError::NeedsPassword)?)?,
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
    fn write(&self, _entries: &[Entry], _password: Option<&str>) -> Option<Result<Written, BackupError>> {
        None
    }
    fn writable(&self) -> bool {
        false
    }
}
