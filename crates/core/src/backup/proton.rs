//! Proton Authenticator's export, plain and password-protected. Plain: JSON `{version: 1,
//! entries: [{id, content: {uri, entry_type: "Totp" | "Steam", name}, note}]}`, the URI an
//! `otpauth://totp/…` one or `steam://SECRET` (base32, else unpadded base64). Protected:
//! `{version: 1, salt, content}`, the key Argon2id v1.3 (19 MiB, 2 passes, one lane, fixed by
//! the app, never in the file) over the password's UTF-8 bytes and the 16-byte salt, and
//! `content` = nonce (12 bytes) ‖ AES-256-GCM(plain export) with the associated data
//! `proton.authenticator.export.v1`.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use data_encoding::{BASE64, BASE64_NOPAD};
use serde_json::Value;
use zeroize::Zeroizing;

use super::{BackupError, Entry, EntryError, Format, Parsed, otpauth_lines};
use crate::otp::{Algorithm, Method, Otp};
use crate::secret::Secret;

const AAD: &[u8] = b"proton.authenticator.export.v1";
/// The argon2 crate's defaults, which Proton's exporter names explicitly.
const M_COST_KIB: u32 = 19 * 1024;
const T_COST: u32 = 2;
const SALT_BYTES: usize = 16;
const NONCE_BYTES: usize = 12;
const TAG_BYTES: usize = 16;

fn proton_json(bytes: &[u8]) -> Option<Value> {
    let v = super::json(bytes)?;
    v.get("version")?;
    let plain = v["entries"].as_array().is_some_and(|entries| entries.iter().all(|e| e["content"].is_object()));
    (plain || is_protected(&v)).then_some(v)
}

fn is_protected(v: &Value) -> bool {
    v["salt"].is_string() && v["content"].is_string() && v.get("entries").is_none()
}

fn check_version(v: &Value) -> Result<(), BackupError> {
    match v["version"].as_u64() {
        Some(1) => Ok(()),
        _ => Err(BackupError::malformed("version", format_args!("{} is not version 1, the only one Proton Authenticator writes", v["version"]))),
    }
}

fn decrypt(v: &Value, password: &str) -> Result<Value, BackupError> {
    let decode = |at: &str| BASE64.decode(v[at].as_str().unwrap_or_default().trim().as_bytes()).map_err(|_| BackupError::malformed(at, "not base64"));
    let salt = decode("salt")?;
    if salt.len() != SALT_BYTES {
        return Err(BackupError::malformed("salt", format_args!("{} bytes, not {SALT_BYTES}", salt.len())));
    }
    let content = decode("content")?;
    let Some((nonce, sealed)) = content.split_first_chunk::<NONCE_BYTES>().filter(|(_, rest)| rest.len() >= TAG_BYTES) else {
        return Err(BackupError::malformed("content", "shorter than a nonce and a tag"));
    };
    let params = argon2::Params::new(M_COST_KIB, T_COST, 1, Some(32)).map_err(|e| BackupError::malformed("key", e))?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut key = Zeroizing::new([0u8; 32]);
    argon.hash_password_into(password.as_bytes(), &salt, key.as_mut()).map_err(|e| BackupError::malformed("key", e))?;
    let cipher = Aes256Gcm::new_from_slice(key.as_ref()).map_err(|e| BackupError::malformed("key", e))?;
    let plain = Zeroizing::new(cipher.decrypt(&Nonce::from(*nonce), Payload { msg: sealed, aad: AAD }).map_err(|_| BackupError::WrongPassword)?);
    let inner: Value = serde_json::from_slice(&plain).map_err(|e| BackupError::malformed("content", e))?;
    check_version(&inner)?;
    Ok(inner)
}

/// `steam://SECRET`, read as Proton does: base32 first, unpadded base64 otherwise.
fn steam_secret(uri: &str) -> Result<Secret, EntryError> {
    let rest = match uri.split_once("://") {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("steam") => rest,
        _ => return Err(EntryError::NotOtpauth),
    };
    let text = rest.split(['/', '?', '#']).next().unwrap_or_default();
    match Secret::from_base32(text) {
        Ok(secret) => Ok(secret),
        Err(e) => BASE64_NOPAD.decode(text.trim_end_matches('=').as_bytes()).ok().filter(|b| !b.is_empty()).map(Secret::from_bytes).ok_or(e.into()),
    }
}

fn entry_from(e: &Value) -> Result<Entry, EntryError> {
    let content = &e["content"];
    let uri = content["uri"].as_str().ok_or(EntryError::NoSecret)?;
    let name = content["name"].as_str().unwrap_or_default().trim();
    match content["entry_type"].as_str().unwrap_or_default() {
        "Totp" => {
            let mut entry = otpauth_lines::parse_line(uri)?;
            // Proton's `name` is the URI's account, or its issuer when the label is empty.
            if entry.account.is_empty() && name != entry.issuer {
                entry.account = name.to_owned();
            }
            Ok(entry)
        }
        "Steam" => Ok(Entry {
            issuer: "Steam".into(),
            account: name.to_owned(),
            label: String::new(),
            otp: Otp::new(Method::Steam, Algorithm::Sha1, 5, steam_secret(uri)?)?,
            pinned: false,
        }),
        other => Err(EntryError::unsupported(other)),
    }
}

pub fn read(bytes: &[u8], password: Option<&str>) -> Result<Parsed, BackupError> {
    let v = proton_json(bytes).ok_or_else(|| BackupError::malformed("file", "not a Proton Authenticator export"))?;
    check_version(&v)?;
    let export = if is_protected(&v) { decrypt(&v, password.ok_or(BackupError::NeedsPassword)?)? } else { v };
    let entries = export["entries"].as_array().ok_or_else(|| BackupError::malformed("entries", "missing"))?;
    Ok(Parsed::each(entries, entry_from, |e| e["content"]["name"].as_str().unwrap_or_default().to_owned()))
}

pub struct ProtonAuthenticator;

impl Format for ProtonAuthenticator {
    fn id(&self) -> &'static str {
        "proton-authenticator"
    }
    fn name(&self) -> &'static str {
        "Proton Authenticator export"
    }
    fn detect(&self, bytes: &[u8]) -> bool {
        proton_json(bytes).is_some()
    }
    fn read(&self, bytes: &[u8], password: Option<&str>) -> Result<Parsed, BackupError> {
        read(bytes, password)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backup::Place;
    use crate::secret::SecretError;

    /// Aegis's test data for its Proton Authenticator importer.
    const AEGIS_SAMPLE: &[u8] = include_bytes!("samples/proton/proton_authenticator.json");
    /// Made by Proton Authenticator's own exporter, plain and with `PASSWORD` (SOURCES.md).
    const PLAIN: &[u8] = include_bytes!("samples/proton/proton_plain.json");
    const PROTECTED: &[u8] = include_bytes!("samples/proton/proton_encrypted.json");
    const PASSWORD: &str = "Proton パスワード 2025";
    const AT: u64 = 1_700_000_000;

    fn check(e: &Entry, names: (&str, &str), method: Method, algorithm: Algorithm, digits: u8, key: &str, code: &str) {
        assert_eq!((e.issuer.as_str(), e.account.as_str()), names);
        assert_eq!((e.otp.method, e.otp.algorithm, e.otp.digits), (method, algorithm, digits), "{names:?}");
        assert_eq!(e.otp.secret.to_base32().as_str(), key, "{names:?}");
        assert_eq!(e.otp.code_at(AT).code, code, "{names:?}");
        assert!(!e.pinned && e.label.is_empty());
    }

    /// Expected codes come from RFC 6238 and Steam's alphabet computed with Python's hmac.
    fn check_made_by_the_exporter(parsed: &Parsed) {
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let e = &parsed.entries;
        assert_eq!(e.len(), 4);
        check(&e[0], ("GitHub", "octo@example.com"), Method::Totp { period: 30 }, Algorithm::Sha1, 6, "JBSWY3DPEHPK3PXP", "324550");
        check(&e[1], ("Proton", "alice"), Method::Totp { period: 60 }, Algorithm::Sha256, 8, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "34855935");
        check(&e[2], ("給与", "佐藤"), Method::Totp { period: 15 }, Algorithm::Sha512, 7, "KRUGKIDROVUWG2ZAMJZG653O", "0746851");
        check(&e[3], ("Steam", "gamer"), Method::Steam, Algorithm::Sha1, 5, "GEZDGNBVGY3TQOJQ", "D9HRB");
    }

    #[test]
    fn the_aegis_sample_reads_every_account() {
        let parsed = read(AEGIS_SAMPLE, None).unwrap();
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let e = &parsed.entries;
        assert_eq!(e.len(), 3);
        check(&e[0], ("Deno", "Mason"), Method::Totp { period: 30 }, Algorithm::Sha1, 6, "4SJHB4GSD43FZBAI7C2HLRJGPQ", "790195");
        check(&e[1], ("SPDX", "James"), Method::Totp { period: 20 }, Algorithm::Sha256, 7, "5OM4WOOGPLQEF6UGN3CPEOOLWU", "9993814");
        check(&e[2], ("Airbnb", "Elijah"), Method::Totp { period: 50 }, Algorithm::Sha512, 8, "7ELGJSGXNCCTV3O6LKJWYFV2RA", "65516786");
    }

    #[test]
    fn the_exporters_plain_and_protected_files_read_alike() {
        check_made_by_the_exporter(&read(PLAIN, None).unwrap());
        check_made_by_the_exporter(&read(PLAIN, Some("ignored")).unwrap());
        check_made_by_the_exporter(&read(PROTECTED, Some(PASSWORD)).unwrap());
    }

    #[test]
    fn a_missing_or_wrong_password_is_named() {
        assert_eq!(read(PROTECTED, None), Err(BackupError::NeedsPassword));
        assert_eq!(read(PROTECTED, Some("Proton パスワード 2024")), Err(BackupError::WrongPassword));
        // Proton hashes the bytes as typed: the full-width digits are another password.
        assert_eq!(read(PROTECTED, Some("Proton パスワード ２０２５")), Err(BackupError::WrongPassword));
    }

    fn edited(file: &[u8], edit: impl FnOnce(&mut Value)) -> Vec<u8> {
        let mut v: Value = serde_json::from_slice(file).unwrap();
        edit(&mut v);
        serde_json::to_vec(&v).unwrap()
    }

    #[test]
    fn damaged_files_are_refused_with_the_part_named() {
        let flipped = edited(PROTECTED, |v| {
            let mut content = BASE64.decode(v["content"].as_str().unwrap().as_bytes()).unwrap();
            content[30] ^= 1;
            v["content"] = BASE64.encode(&content).into();
        });
        assert_eq!(read(&flipped, Some(PASSWORD)), Err(BackupError::WrongPassword), "GCM cannot tell damage from a wrong password");
        let at = |file: &[u8]| match read(file, Some(PASSWORD)) {
            Err(BackupError::Malformed { at, .. }) => at,
            other => panic!("{other:?}"),
        };
        assert_eq!(at(&edited(PROTECTED, |v| v["salt"] = "AAAA".into())), "salt");
        assert_eq!(at(&edited(PROTECTED, |v| v["content"] = BASE64.encode(&[0; 27]).into())), "content");
        assert_eq!(at(&edited(PROTECTED, |v| v["content"] = "not base64!".into())), "content");
        assert_eq!(at(&edited(PROTECTED, |v| v["version"] = 2.into())), "version");
        assert_eq!(at(&edited(PLAIN, |v| v["version"] = 2.into())), "version");
        assert_eq!(at(&PLAIN[..PLAIN.len() - 3]), "file");
    }

    #[test]
    fn one_bad_entry_is_named_and_the_others_import() {
        let file = edited(PLAIN, |v| {
            let entries = v["entries"].as_array_mut().unwrap();
            entries[0]["content"]["uri"] = "otpauth://totp/octo?secret=NOT-BASE32!&issuer=GitHub".into();
            entries[1]["content"]["entry_type"] = "Hotp".into();
            entries[3]["content"]["uri"] = "steam://!!!".into();
        });
        let parsed = read(&file, None).unwrap();
        assert_eq!(parsed.entries.len(), 1);
        assert_eq!(parsed.entries[0].issuer, "給与");
        let places: Vec<&Place> = parsed.problems.iter().map(|p| &p.place).collect();
        assert_eq!(places, [&Place::entry(1, "octo@example.com"), &Place::entry(2, "alice"), &Place::entry(4, "gamer")]);
        assert!(matches!(parsed.problems[0].error, EntryError::Uri(_)), "{:?}", parsed.problems[0]);
        assert_eq!(parsed.problems[1].error, EntryError::Unsupported("Hotp".into()));
        assert_eq!(parsed.problems[2].error, EntryError::Secret(SecretError::InvalidCharacter('!')));
    }

    #[test]
    fn steam_keys_in_base64_and_unnamed_accounts_read_as_proton_reads_them() {
        let file = br#"{"version":1,"entries":[
            {"id":"a","content":{"uri":"steam://MTIzNDU2Nzg5MDEyMzQ1Njc4OTA","entry_type":"Steam","name":null},"note":null},
            {"id":"b","content":{"uri":"otpauth://totp/?secret=JBSWY3DPEHPK3PXP&issuer=Solo","entry_type":"Totp","name":"Solo"},"note":null}]}"#;
        let parsed = read(file, None).unwrap();
        assert_eq!(parsed.entries[0].otp.secret.as_bytes(), b"12345678901234567890");
        assert_eq!((parsed.entries[0].issuer.as_str(), parsed.entries[0].account.as_str()), ("Steam", ""));
        assert_eq!((parsed.entries[1].issuer.as_str(), parsed.entries[1].account.as_str()), ("Solo", ""), "the name is the issuer, not an account");
    }

    #[test]
    fn the_samples_are_detected_as_this_format_only() {
        for sample in [AEGIS_SAMPLE, PLAIN, PROTECTED] {
            let claimed: Vec<&str> = super::super::FORMATS.iter().filter(|f| f.detect(sample)).map(|f| f.id()).collect();
            assert_eq!(claimed, ["proton-authenticator"]);
        }
        let others: [&[u8]; 5] = [
            include_bytes!("../../../cli/tests/samples/aegis.json"),
            include_bytes!("../../../cli/tests/samples/aegis-encrypted.json"),
            include_bytes!("../../../cli/tests/samples/authenticator.json"),
            include_bytes!("../../../cli/tests/samples/services.2fas"),
            include_bytes!("samples/ente_encrypted/encrypted.lowcomplexity.txt"),
        ];
        assert!(others.iter().all(|o| !ProtonAuthenticator.detect(o)));
    }
}
