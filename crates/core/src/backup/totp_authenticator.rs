//! TOTP Authenticator (Binary Boy, `com.authenticator.authservice2`) backups: base64 text
//! of AES-256-CBC with PKCS#7 padding, an all-zero IV and the SHA-256 of the password as
//! key (no salt, no KDF, no MAC). The plaintext is a JSON object with one member whose
//! *name* is the account list as JSON text and whose value is a timestamp:
//! `{"[{\"issuer\":…,\"name\":…,\"key\":…,\"base\":16,…}]":"1608293023"}`.
//!
//! Backups made without a password are encrypted the same way under the app's built-in
//! password (as Aegis's importer documents), so that one is tried when none is given.
//! The app is closed source; the layout is checked against Aegis's and Stratum's importers
//! and against backups from their test data.

use aes::cipher::{BlockModeDecrypt, KeyIvInit, block_padding::Pkcs7};
use data_encoding::{BASE64, BASE64_NOPAD};
use serde_json::Value;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::{BackupError, Entry, EntryError, Field, Format, Parsed};
use crate::otp::{Algorithm, Method, Otp, OtpError};
use crate::secret::Secret;

/// What the app encrypts with when the user sets no backup password.
const BUILT_IN_PASSWORD: &str = "TotpAuthenticator";
/// The smallest backup, `{"[]":"<10-digit time>"}`, pads to two AES blocks.
const MIN_CIPHERTEXT: usize = 32;

/// The ciphertext, when the file is base64 text of whole AES blocks. Lines are allowed as
/// Android's default base64 wraps them, all of one width but the last; spaces are not, so
/// that words of text are never taken for base64.
fn ciphertext(bytes: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let text = super::text(bytes).ok()?;
    let lines: Vec<&str> = text.trim_end().lines().collect();
    let width = lines.first()?.len();
    let (last, full) = lines.split_last()?;
    if full.iter().any(|l| l.len() != width) || last.len() > width {
        return None;
    }
    let compact = lines.concat();
    let unpadded = compact.trim_end_matches('=');
    let raw = BASE64_NOPAD.decode(unpadded.as_bytes()).ok()?;
    (raw.len() >= MIN_CIPHERTEXT && raw.len().is_multiple_of(16)).then(|| Zeroizing::new(raw))
}

/// The file has no header, so this claims any base64 text of whole AES blocks, less the
/// two kinds of such text that are known to be something else:
/// - OpenSSL `enc` output (CryptoJS, other apps' exports), which starts "Salted__";
/// - a bare base32 key long enough to decode to whole blocks (64 letters or more), which
///   is in one case (base64 of 32 random bytes or more lacks a case less than once in a
///   billion).
///
/// Every other format Ninsho reads starts with a byte outside base64 (`{`, `otpauth:`,
/// Ninsho's and Stratum's binary headers), so none is claimed; `FORMATS` tries this one
/// last all the same, so that a format added later is tried before this guess.
fn looks_like_backup(bytes: &[u8]) -> bool {
    let has = |test: fn(&u8) -> bool| bytes.iter().any(test);
    has(u8::is_ascii_lowercase) && has(u8::is_ascii_uppercase) && ciphertext(bytes).is_some_and(|raw| !raw.starts_with(b"Salted__"))
}

/// The account list, or `None` when the password does not open the file: without a MAC,
/// that shows as bad padding or (one time in 256) as text that is not the expected JSON.
fn open(ciphertext: &[u8], password: &str) -> Option<Vec<Value>> {
    let key = Zeroizing::new(<[u8; 32]>::from(Sha256::digest(password.as_bytes())));
    let decryptor = cbc::Decryptor::<aes::Aes256>::new_from_slices(key.as_ref(), &[0; 16]).ok()?;
    let plain = Zeroizing::new(decryptor.decrypt_padded_vec::<Pkcs7>(ciphertext).ok()?);
    let Value::Object(outer) = serde_json::from_slice(&plain).ok()? else {
        return None;
    };
    let mut accounts = Vec::new();
    let mut found = false;
    for name in outer.keys() {
        if let Ok(Value::Array(list)) = serde_json::from_str(name) {
            accounts.extend(list);
            found = true;
        }
    }
    found.then_some(accounts)
}

/// `digits` and `period` are strings, empty for the defaults.
fn number(v: &Value) -> Option<Result<u64, ()>> {
    match v {
        Value::Null => None,
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => Some(s.trim().parse().map_err(|_| ())),
        Value::Number(n) => Some(n.as_u64().ok_or(())),
        _ => Some(Err(())),
    }
}

fn entry_from(a: &Value) -> Result<Entry, EntryError> {
    let key = a["key"].as_str().ok_or(EntryError::NoSecret)?;
    // Every backup seen says 16; a missing base is read as the app writes it.
    let secret = match a["base"].as_u64().or_else(|| a["base"].as_str().and_then(|s| s.trim().parse().ok())).unwrap_or(16) {
        16 => Secret::from_hex(key).ok_or(EntryError::NotHex)?,
        32 => Secret::from_base32(key)?,
        // No error variant says "not base64"; an undecodable key is no usable key.
        64 => Secret::from_bytes(BASE64.decode(key.trim().as_bytes()).map_err(|_| EntryError::NoSecret)?),
        other => return Err(EntryError::unsupported(format!("base-{other} key"))),
    };
    let digits = match number(&a["digits"]) {
        None => 6,
        Some(d) => d.ok().and_then(|d| u32::try_from(d).ok()).ok_or_else(|| EntryError::unknown(Field::Digits, &a["digits"]))?,
    };
    // Aegis's importer leaves digits and period out (its test calls them unsupported by the
    // app); the app stores them from the QR code, and Stratum's importer uses them, so they
    // are kept: dropping them would give wrong codes for the accounts that have them.
    let period = match number(&a["period"]) {
        None => Method::DEFAULT_PERIOD,
        Some(Ok(p)) => u32::try_from(p).map_err(|_| EntryError::Otp(OtpError::Period(p)))?,
        Some(Err(())) => return Err(EntryError::unsupported(format!("period {}", a["period"]))),
    };
    let otp = Otp::new(Method::Totp { period }, Algorithm::Sha1, digits, secret)?;
    let text = |k: &str| a[k].as_str().unwrap_or_default().trim().to_owned();
    // The app shows "Unknown" for an account added without an issuer.
    let issuer = Some(text("issuer")).filter(|i| i != "Unknown").unwrap_or_default();
    Ok(Entry { issuer, account: text("name"), label: String::new(), otp, pinned: a["isFavorite"].as_bool().unwrap_or(false) })
}

fn name_of(a: &Value) -> String {
    let issuer = a["issuer"].as_str().unwrap_or_default();
    match a["name"].as_str().unwrap_or_default() {
        "" => issuer.to_owned(),
        name if issuer.is_empty() => name.to_owned(),
        name => format!("{issuer} ({name})"),
    }
}

pub fn read(bytes: &[u8], password: Option<&str>) -> Result<Parsed, BackupError> {
    super::text(bytes)?;
    let ciphertext =
        ciphertext(bytes).ok_or_else(|| BackupError::malformed("file", "not base64 text of AES blocks (a TOTP Authenticator backup is)"))?;
    // A backup made without a password opens with the built-in one whatever is typed.
    let accounts = match password {
        Some(password) => open(&ciphertext, password).or_else(|| open(&ciphertext, BUILT_IN_PASSWORD)).ok_or(BackupError::WrongPassword)?,
        None => open(&ciphertext, BUILT_IN_PASSWORD).ok_or(BackupError::NeedsPassword)?,
    };
    Ok(Parsed::each(&accounts, entry_from, name_of))
}

pub struct TotpAuthenticator;

impl Format for TotpAuthenticator {
    fn id(&self) -> &'static str {
        "totp-authenticator"
    }
    fn name(&self) -> &'static str {
        "TOTP Authenticator backup"
    }
    fn detect(&self, bytes: &[u8]) -> bool {
        looks_like_backup(bytes)
    }
    fn read(&self, bytes: &[u8], password: Option<&str>) -> Result<Parsed, BackupError> {
        read(bytes, password)
    }
}

#[cfg(test)]
mod tests {
    use aes::cipher::{BlockModeEncrypt, KeyIvInit};

    use super::*;
    use crate::backup::{FORMATS, detect};

    const AEGIS: &[u8] = include_bytes!("samples/totp_authenticator/totp_authenticator.bin");
    const STRATUM: &[u8] = include_bytes!("samples/totp_authenticator/totpauthenticator.encrypted.bin");
    // The key is one SHA-256 of the password: the file sets no cost, so there is no cap to test.

    /// The password of both samples (SOURCES.md).
    const PASSWORD: &str = "Testtest1";
    /// Codes below were computed at this time by PyOTP 2.9 and Python's hmac, not by Ninsho.
    const AT: u64 = 1_700_000_000;

    /// A backup as the app lays it out, with `accounts` as its list.
    fn backup(accounts: Value, password: &str) -> Vec<u8> {
        let plain = serde_json::to_vec(&serde_json::json!({ accounts.to_string(): "1677872756" })).unwrap();
        let key = <[u8; 32]>::from(Sha256::digest(password.as_bytes()));
        let encrypted = cbc::Encryptor::<aes::Aes256>::new_from_slices(&key, &[0; 16]).unwrap().encrypt_padded_vec::<Pkcs7>(&plain);
        BASE64.encode(&encrypted).into_bytes()
    }

    fn check(parsed: &Parsed, want: &[(&str, &str, &str, u32, u8, &str)]) {
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        assert_eq!(parsed.entries.len(), want.len());
        for (e, &(issuer, account, secret, period, digits, code)) in parsed.entries.iter().zip(want) {
            assert_eq!((e.issuer.as_str(), e.account.as_str()), (issuer, account));
            assert_eq!(e.otp.secret.to_base32().as_str(), secret);
            assert_eq!((e.otp.method, e.otp.algorithm, e.otp.digits), (Method::Totp { period }, Algorithm::Sha1, digits), "{account}");
            assert_eq!(e.otp.code_at(AT).code, code, "{account}");
            assert!(e.label.is_empty() && !e.pinned);
        }
    }

    /// Aegis's vectors as the app stored them: names lower-cased, SHA-1 for all (the app has
    /// no algorithm), and the digits and periods of the QR codes.
    #[test]
    fn aegis_sample_reads_with_its_digits_and_periods() {
        check(
            &read(AEGIS, Some(PASSWORD)).unwrap(),
            &[
                ("Deno", "mason", "4SJHB4GSD43FZBAI7C2HLRJGPQ", 30, 6, "790195"),
                ("SPDX", "james", "5OM4WOOGPLQEF6UGN3CPEOOLWU", 20, 7, "7227609"),
                ("Airbnb", "elijah", "7ELGJSGXNCCTV3O6LKJWYFV2RA", 50, 8, "50753762"),
            ],
        );
    }

    /// Empty digits and period are the defaults; "Unknown" is the app's word for no issuer.
    #[test]
    fn stratum_sample_reads_defaults_and_the_missing_issuer() {
        check(
            &read(STRATUM, Some(PASSWORD)).unwrap(),
            &[("Totp", "standard", "AAAAAAAAAAAAAAAA", 30, 6, "501315"), ("", "noissuer", "BBBBBBBBBBBBBBBB", 30, 6, "482675")],
        );
    }

    #[test]
    fn missing_and_wrong_passwords() {
        for bytes in [AEGIS, STRATUM] {
            assert_eq!(read(bytes, None), Err(BackupError::NeedsPassword));
            assert_eq!(read(bytes, Some("test")), Err(BackupError::WrongPassword));
            assert_eq!(read(bytes, Some("")), Err(BackupError::WrongPassword));
        }
    }

    #[test]
    fn a_backup_without_a_password_opens_with_or_without_one() {
        let file = backup(
            serde_json::json!([{ "issuer": "Mail", "name": "sato", "key": "3132333435363738393031323334353637383930", "base": 16, "digits": "", "period": "" }]),
            BUILT_IN_PASSWORD,
        );
        for password in [None, Some("anything")] {
            let parsed = read(&file, password).unwrap();
            assert_eq!(parsed.entries[0].otp.secret.as_bytes(), b"12345678901234567890");
            assert_eq!(parsed.entries[0].otp.code_at(59).code, "287082", "RFC 6238's first SHA-1 vector, to 6 digits");
        }
    }

    #[test]
    fn one_bad_entry_is_named_and_the_rest_import() {
        let file = backup(
            serde_json::json!([
                { "issuer": "Octal", "name": "a", "key": "777", "base": 8, "digits": "6", "period": "30" },
                { "issuer": "Hex", "name": "b", "key": "not hex", "base": 16 },
                { "issuer": "Digits", "name": "c", "key": "3132", "base": 16, "digits": "six" },
                { "issuer": "Period", "name": "d", "key": "3132", "base": 16, "period": "soon" },
                { "issuer": "Ten", "name": "e", "key": "3132", "base": 16, "digits": "10" },
                { "issuer": "Base32", "name": "f", "key": "JBSWY3DPEHPK3PXP", "base": 32, "digits": 8, "period": "60", "isFavorite": true },
                { "issuer": "Base64", "name": "g", "key": "MTIzNDU2Nzg5MDEyMzQ1Njc4OTA=", "base": 64 },
                { "issuer": "Unknown", "name": "" }
            ]),
            PASSWORD,
        );
        let parsed = read(&file, Some(PASSWORD)).unwrap();
        let problems: Vec<(String, &EntryError)> = parsed.problems.iter().map(|p| (p.place.to_string(), &p.error)).collect();
        assert_eq!(
            problems,
            [
                ("entry 1 (Octal (a))".to_owned(), &EntryError::Unsupported("base-8 key".into())),
                ("entry 2 (Hex (b))".to_owned(), &EntryError::NotHex),
                ("entry 3 (Digits (c))".to_owned(), &EntryError::Unknown(Field::Digits, "\"six\"".into())),
                ("entry 4 (Period (d))".to_owned(), &EntryError::Unsupported("period \"soon\"".into())),
                ("entry 5 (Ten (e))".to_owned(), &EntryError::Otp(OtpError::Digits(10))),
                ("entry 8 (Unknown)".to_owned(), &EntryError::NoSecret),
            ]
        );
        let e = &parsed.entries;
        assert_eq!((e[0].issuer.as_str(), e[0].otp.method, e[0].otp.digits, e[0].pinned), ("Base32", Method::Totp { period: 60 }, 8, true));
        assert_eq!((e[1].issuer.as_str(), e[1].otp.secret.as_bytes()), ("Base64", b"12345678901234567890".as_slice()));
    }

    #[test]
    fn damaged_files_are_named_and_never_panic() {
        let malformed = |bytes: &[u8]| matches!(read(bytes, Some(PASSWORD)), Err(BackupError::Malformed { .. }));
        assert!(malformed(&AEGIS[..AEGIS.len() - 8]), "cut inside a block");
        assert!(malformed(b"not base64 at all"));
        assert!(malformed(b"\xff\xfe"));
        let mut flipped = AEGIS.to_vec();
        let last = flipped.len() - 4;
        flipped[last] = if flipped[last] == b'A' { b'B' } else { b'A' };
        assert_eq!(read(&flipped, Some(PASSWORD)), Err(BackupError::WrongPassword), "CBC cannot tell damage from a wrong password");
        let not_a_list = backup(serde_json::json!({ "issuer": "x" }), PASSWORD);
        assert_eq!(read(&not_a_list, Some(PASSWORD)), Err(BackupError::WrongPassword));
        for bytes in [AEGIS, STRATUM] {
            for cut in (0..bytes.len()).step_by(bytes.len() / 25 + 1) {
                for format in FORMATS {
                    let _ = format.read(&bytes[..cut], Some(PASSWORD));
                }
            }
        }
    }

    #[test]
    fn samples_are_detected_as_this_format_and_as_no_other() {
        for bytes in [AEGIS, STRATUM] {
            assert_eq!(detect(bytes).map(|f| f.id()), Some("totp-authenticator"));
            let others: Vec<&str> = FORMATS.iter().filter(|f| f.id() != "totp-authenticator" && f.detect(bytes)).map(|f| f.id()).collect();
            assert!(others.is_empty(), "{others:?}");
        }
        let wrapped: Vec<u8> = AEGIS.chunks(76).collect::<Vec<_>>().join(b"\r\n".as_slice()).into_iter().chain(*b"\n").collect();
        assert!(TotpAuthenticator.detect(&wrapped), "wrapped as Android's Base64.DEFAULT does");
        assert_eq!(read(&wrapped, Some(PASSWORD)).unwrap().entries.len(), 3);
    }

    #[test]
    fn other_base64_like_files_are_not_claimed() {
        let key = "JBSWY3DPEHPK3PXP".repeat(4);
        let openssl = crate::backup::cryptojs::encrypt(&[b'x'; 64], "pw", [1; 8]);
        let ragged = AEGIS.chunks(70).enumerate().map(|(i, c)| if i == 3 { &c[..60] } else { c }).collect::<Vec<_>>().join(b"\n".as_slice());
        let spaced = AEGIS.chunks(64).collect::<Vec<_>>().join(b" ".as_slice());
        let short_block = &BASE64.encode(&[7; 16]);
        for (bytes, what) in [
            (key.as_bytes(), "a base32 key"),
            (key.to_lowercase().as_bytes(), "a lower-case base32 key"),
            (openssl.as_bytes(), "OpenSSL enc output"),
            (&ragged, "lines of uneven width"),
            (&spaced, "words"),
            (short_block.as_bytes(), "one block"),
            (b"otpauth://totp/x?secret=JBSWY3DPEHPK3PXP", "an otpauth URI"),
            (b"", "nothing"),
        ] {
            assert!(!TotpAuthenticator.detect(bytes), "{what}");
        }
        for (bytes, _) in super::super::CLI_SAMPLES {
            assert!(!TotpAuthenticator.detect(bytes));
        }
    }
}
