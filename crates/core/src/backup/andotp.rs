//! andOTP backups. Plain: a JSON array of accounts (`secret` in base32, `issuer`, `label`,
//! `digits`, `type` TOTP/HOTP/STEAM, `algorithm`, `period`, `counter`, and `thumbnail`,
//! `tags`, `last_used`, which Ninsho has no use for).
//!
//! Encrypted (`.json.aes`), two layouts without any marker:
//! - current: a 4-byte big-endian PBKDF2 iteration count, a 12-byte salt, a 12-byte IV, then
//!   AES-256-GCM ciphertext and tag; key = PBKDF2-HMAC-SHA1(password, salt, iterations).
//! - old: a 12-byte IV, then AES-256-GCM ciphertext and tag; key = SHA-256(password).
//!
//! The password is taken as UTF-8 in both, as andOTP does.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use serde_json::Value;
use sha2::Digest;
use zeroize::Zeroizing;

use super::{BackupError, Entry, EntryError, Field, Format, Parsed, Place, Problem};
use crate::otp::{Algorithm, Method, Otp, OtpError};
use crate::secret::Secret;

const ITERATIONS_BYTES: usize = 4;
const SALT_BYTES: usize = 12;
const IV_BYTES: usize = 12;
const TAG_BYTES: usize = 16;
/// The shortest plaintext, `[]`, of a backup with no accounts.
const OLD_MIN_BYTES: usize = IV_BYTES + TAG_BYTES + 2;
const NEW_MIN_BYTES: usize = ITERATIONS_BYTES + SALT_BYTES + OLD_MIN_BYTES;
/// andOTP draws its iteration count between 140,000 and 160,000; ten times the top of that
/// is about a second of PBKDF2 and leaves room for a later version that raised it.
const MAX_ITERATIONS: u32 = 1_600_000;

/// Files other formats and programs make that are never andOTP's, by their first bytes:
/// images (a screenshot of a QR code picked by mistake), PDF, ZIP, gzip, SQLite, and
/// UTF-16 text, whose NUL bytes would otherwise pass for binary, and the other binary
/// backups Ninsho reads (Authenticator Pro's headers).
const OTHER_FILES: &[&[u8]] = &[
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"RIFF",
    b"%PDF",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"SQLite format 3\0",
    b"\xff\xfe",
    b"\xfe\xff",
    b"AUTHENTICATORPRO",
    b"AuthenticatorPro",
    // Other apps' backups and vaults: FreeOTP 2 (Java serialization), KeePass, Android's adb
    // backups; archives (7z, xz, bzip2, zstd, RAR); BMP and TIFF pictures.
    b"\xac\xed\x00\x05",
    b"\x03\xd9\xa2\x9a",
    b"ANDROID BACKUP\n",
    b"7z\xbc\xaf\x27\x1c",
    b"\xfd7zXZ\x00",
    b"BZh",
    b"\x28\xb5\x2f\xfd",
    b"Rar!",
    b"BM",
    b"II*\x00",
    b"MM\x00*",
];

fn plain_array(bytes: &[u8]) -> Option<Vec<Value>> {
    let Value::Array(items) = super::json(bytes)? else {
        return None;
    };
    let all_objects = !items.is_empty() && items.iter().all(Value::is_object);
    let looks_andotp = items.iter().any(|i| i["secret"].is_string() && (i["type"].is_string() || i["label"].is_string()));
    (all_objects && looks_andotp).then_some(items)
}

/// Encrypted andOTP files have no header (the old layout starts with its random IV), so they
/// are recognized as what they are: random bytes. A file is taken for one when it is not
/// UTF-8, holds a control byte that text never does (random data of a backup's size holds
/// some almost surely; Shift-JIS or Latin-1 text does not), does not start as a known other
/// kind of file, and is long enough. This is last but one in [`super::FORMATS`], after every
/// text format, so it claims only binary files nothing else does; the password then tells
/// (a damaged or foreign file reads as a wrong password).
fn looks_encrypted(bytes: &[u8]) -> bool {
    let control = |b: &u8| matches!(b, 0x00..=0x08 | 0x0e..=0x1a | 0x1c..=0x1f);
    bytes.len() >= OLD_MIN_BYTES
        && !OTHER_FILES.iter().any(|m| bytes.starts_with(m))
        // HEIC, AVIF and MP4: an ISO media box at the start.
        && bytes.get(4..8) != Some(b"ftyp")
        && bytes.iter().any(control)
        && std::str::from_utf8(bytes).is_err()
}

fn open(key: &[u8], iv: &[u8], sealed: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let iv: [u8; IV_BYTES] = iv.try_into().ok()?;
    let cipher = Aes256Gcm::new_from_slice(key).ok()?;
    cipher.decrypt(&Nonce::from(iv), sealed).ok().map(Zeroizing::new)
}

fn decrypt(bytes: &[u8], password: &str) -> Result<Zeroizing<Vec<u8>>, BackupError> {
    if bytes.len() < OLD_MIN_BYTES {
        return Err(BackupError::malformed("file", "too short for an encrypted andOTP backup"));
    }
    // The old layout costs one SHA-256, so it is tried first: its IV would otherwise be read
    // as an iteration count.
    let old_key: Zeroizing<[u8; 32]> = Zeroizing::new(sha2::Sha256::digest(password.as_bytes()).into());
    if let Some(plain) = bytes.split_at_checked(IV_BYTES).and_then(|(iv, sealed)| open(old_key.as_ref(), iv, sealed)) {
        return Ok(plain);
    }
    let Some((head, rest)) = bytes.split_first_chunk::<ITERATIONS_BYTES>() else {
        return Err(BackupError::WrongPassword);
    };
    let iterations = u32::from_be_bytes(*head);
    // andOTP writes a positive Java int: a count of 0 or over 2^31 is no current-layout
    // header, so the file was an old one and the password did not open it.
    if iterations == 0 || iterations > i32::MAX as u32 || bytes.len() < NEW_MIN_BYTES {
        return Err(BackupError::WrongPassword);
    }
    // Over the cap nothing is derived; and since an old-layout file's random IV reads as such
    // a count half the time, the likelier story is a mistyped password on an old file.
    if iterations > MAX_ITERATIONS {
        return Err(BackupError::WrongPassword);
    }
    let (salt, rest) = rest.split_at(SALT_BYTES);
    let (iv, sealed) = rest.split_at(IV_BYTES);
    let mut key = Zeroizing::new([0u8; 32]);
    pbkdf2::pbkdf2_hmac::<sha1::Sha1>(password.as_bytes(), salt, iterations, key.as_mut());
    open(key.as_ref(), iv, sealed).ok_or(BackupError::WrongPassword)
}

fn number(v: &Value, default: u32, bad: impl FnOnce(u64) -> EntryError) -> Result<u32, EntryError> {
    match v.as_u64() {
        None => Ok(default),
        Some(n) => u32::try_from(n).map_err(|_| bad(n)),
    }
}

/// The issuer and account name. Old andOTP versions kept no issuer and wrote
/// "issuer - label" into the label, the label being the whole "Issuer:account" of the QR code.
fn names(e: &Value) -> (String, String) {
    let label = e["label"].as_str().unwrap_or_default().trim();
    let (issuer, account) = match e["issuer"].as_str() {
        Some(issuer) => (issuer.trim(), label),
        None => label.split_once(" - ").map_or(("", label), |(i, a)| (i.trim(), a.trim())),
    };
    let account = (!issuer.is_empty()).then(|| account.strip_prefix(issuer)?.strip_prefix(':')).flatten().unwrap_or(account);
    (issuer.to_owned(), account.trim().to_owned())
}

fn entry_from(e: &Value) -> Result<Entry, EntryError> {
    let secret = Secret::from_base32(e["secret"].as_str().ok_or(EntryError::NoSecret)?)?;
    let algorithm: Algorithm = e["algorithm"].as_str().unwrap_or("SHA1").parse()?;
    let method = match e["type"].as_str().unwrap_or("TOTP").to_ascii_uppercase().as_str() {
        "TOTP" => Method::Totp { period: number(&e["period"], 30, |n| OtpError::Period(n).into())? },
        "HOTP" => Method::Hotp { counter: e["counter"].as_u64().unwrap_or(0) },
        "STEAM" => Method::Steam,
        other => return Err(EntryError::unsupported(other)),
    };
    let digits = number(&e["digits"], 6, |n| EntryError::unknown(Field::Digits, n))?;
    let otp = Otp::new(method, algorithm, digits, secret)?;
    let (issuer, account) = names(e);
    Ok(Entry { issuer, account, label: String::new(), otp, pinned: false })
}

fn parse(items: &[Value]) -> Parsed {
    let mut parsed = Parsed::default();
    for (i, e) in items.iter().enumerate() {
        match entry_from(e) {
            Ok(entry) => parsed.entries.push(entry),
            Err(error) => {
                let (issuer, account) = names(e);
                let name = if issuer.is_empty() { account } else { format!("{issuer} ({account})") };
                parsed.problems.push(Problem { place: Place::entry(i + 1, name), error })
            }
        }
    }
    parsed
}

pub struct AndOtp;
pub struct AndOtpEncrypted;

impl Format for AndOtp {
    fn id(&self) -> &'static str {
        "andotp"
    }
    fn name(&self) -> &'static str {
        "andOTP backup (plain)"
    }
    fn detect(&self, bytes: &[u8]) -> bool {
        plain_array(bytes).is_some()
    }
    fn read(&self, bytes: &[u8], _password: Option<&str>) -> Result<Parsed, BackupError> {
        let v: Value = serde_json::from_str(super::text(bytes)?).map_err(|e| BackupError::malformed("file", e))?;
        let items = v.as_array().ok_or_else(|| BackupError::malformed("file", "not a list of andOTP accounts"))?;
        Ok(parse(items))
    }
}

impl Format for AndOtpEncrypted {
    fn id(&self) -> &'static str {
        "andotp-encrypted"
    }
    fn name(&self) -> &'static str {
        "andOTP backup (encrypted, .json.aes)"
    }
    fn detect(&self, bytes: &[u8]) -> bool {
        looks_encrypted(bytes)
    }
    fn read(&self, bytes: &[u8], password: Option<&str>) -> Result<Parsed, BackupError> {
        super::check_limits(bytes)?;
        let password = password.ok_or(BackupError::NeedsPassword)?;
        let plain = decrypt(bytes, password)?;
        let v: Value = serde_json::from_slice(&plain).map_err(|e| BackupError::malformed("decrypted data", e))?;
        let items = v.as_array().ok_or_else(|| BackupError::malformed("decrypted data", "not a list of andOTP accounts"))?;
        Ok(parse(items))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::backup::{FORMATS, detect};

    /// The time every sample's codes are checked at.
    pub(crate) const T: u64 = 1_700_000_000;

    /// An account as a sample should hold it, with its code at [`T`] (computed by PyOTP and
    /// an own Steam implementation, not by Ninsho).
    pub(crate) struct Want {
        pub issuer: &'static str,
        pub account: &'static str,
        pub method: Method,
        pub algorithm: Algorithm,
        pub digits: u8,
        pub code: &'static str,
    }

    pub(crate) const fn want(
        issuer: &'static str,
        account: &'static str,
        method: Method,
        algorithm: Algorithm,
        digits: u8,
        code: &'static str,
    ) -> Want {
        Want { issuer, account, method, algorithm, digits, code }
    }

    const fn totp(period: u32) -> Method {
        Method::Totp { period }
    }

    const fn hotp(counter: u64) -> Method {
        Method::Hotp { counter }
    }

    /// The accounts of Aegis's importer tests (VaultEntries.java), that every app's sample
    /// there was made from.
    pub(crate) const AEGIS_VECTORS: [Want; 7] = [
        want("Deno", "Mason", totp(30), Algorithm::Sha1, 6, "790195"),
        want("SPDX", "James", totp(20), Algorithm::Sha256, 7, "9993814"),
        want("Airbnb", "Elijah", totp(50), Algorithm::Sha512, 8, "65516786"),
        want("Issuu", "James", hotp(1), Algorithm::Sha1, 6, "253717"),
        want("Air Canada", "Benjamin", hotp(50), Algorithm::Sha256, 7, "4444976"),
        want("WWE", "Mason", hotp(10300), Algorithm::Sha512, 8, "24622277"),
        want("Boeing", "Sophia", Method::Steam, Algorithm::Sha1, 5, "747JR"),
    ];

    pub(crate) fn check(what: &str, got: &[Entry], want: &[&Want]) {
        assert_eq!(got.len(), want.len(), "{what}: {got:?}");
        for (g, w) in got.iter().zip(want) {
            let at = format!("{what}: {} ({})", w.issuer, w.account);
            assert_eq!((g.issuer.as_str(), g.account.as_str()), (w.issuer, w.account), "{at}");
            assert_eq!((g.otp.method, g.otp.algorithm, g.otp.digits), (w.method, w.algorithm, w.digits), "{at}");
            assert_eq!(g.otp.code_at(T).code, w.code, "{at}");
            assert!(g.label.is_empty() && !g.pinned, "{at}");
        }
    }

    /// The ids of every format whose `detect` claims the bytes.
    pub(crate) fn claimed_by(bytes: &[u8]) -> Vec<&'static str> {
        FORMATS.iter().filter(|f| f.detect(bytes)).map(|f| f.id()).collect()
    }

    const PLAIN: &[u8] = include_bytes!("samples/andotp/andotp_plain.json");
    const ENCRYPTED: &[u8] = include_bytes!("samples/andotp/andotp_encrypted.bin");
    const ENCRYPTED_OLD: &[u8] = include_bytes!("samples/andotp/andotp_encrypted_old.bin");
    const PASSWORD: &str = "test";

    #[test]
    fn plain_sample_reads_every_account() {
        let parsed = AndOtp.read(PLAIN, None).unwrap();
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        check("plain", &parsed.entries, &AEGIS_VECTORS.iter().collect::<Vec<_>>());
    }

    #[test]
    fn encrypted_sample_reads_with_its_password() {
        assert_eq!(u32::from_be_bytes(ENCRYPTED[..4].try_into().unwrap()), 145_776, "the sample's own iteration count");
        let parsed = AndOtpEncrypted.read(ENCRYPTED, Some(PASSWORD)).unwrap();
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        check("encrypted", &parsed.entries, &AEGIS_VECTORS.iter().collect::<Vec<_>>());
    }

    /// The old layout's file holds labels like "Deno - Deno:Mason" and no issuers; they are
    /// read as issuer "Deno" and account "Mason" (Aegis keeps "Deno:Mason").
    #[test]
    fn old_encrypted_sample_reads_with_its_password() {
        let parsed = AndOtpEncrypted.read(ENCRYPTED_OLD, Some(PASSWORD)).unwrap();
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        check("old", &parsed.entries, &AEGIS_VECTORS[..6].iter().collect::<Vec<_>>());
    }

    #[test]
    fn wrong_and_missing_passwords_are_named() {
        for file in [ENCRYPTED, ENCRYPTED_OLD] {
            assert_eq!(AndOtpEncrypted.read(file, None), Err(BackupError::NeedsPassword));
            assert_eq!(AndOtpEncrypted.read(file, Some("wrong")), Err(BackupError::WrongPassword));
            assert_eq!(AndOtpEncrypted.read(file, Some("")), Err(BackupError::WrongPassword));
        }
    }

    #[test]
    fn damaged_files_are_refused() {
        let mut flipped = ENCRYPTED.to_vec();
        flipped[100] ^= 1;
        // GCM cannot tell a changed byte from a wrong key.
        assert_eq!(AndOtpEncrypted.read(&flipped, Some(PASSWORD)), Err(BackupError::WrongPassword));
        assert!(matches!(AndOtpEncrypted.read(&ENCRYPTED[..20], Some(PASSWORD)), Err(BackupError::Malformed { .. })));
        let cut = &PLAIN[..PLAIN.len() / 2];
        assert!(!AndOtp.detect(cut));
        assert!(matches!(AndOtp.read(cut, None), Err(BackupError::Malformed { .. })));
        assert!(matches!(AndOtp.read(b"{\"secret\": \"JBSWY3DP\"}", None), Err(BackupError::Malformed { .. })));
    }

    /// A crafted header asking for a billion PBKDF2 rounds (minutes) derives nothing, whatever
    /// the password. The file has no header to tell it from an old-layout file whose random IV
    /// reads as a large count, so it is named as a wrong password (not "too costly", which a
    /// mistyped password on an old file would then get half the time).
    #[test]
    fn iteration_counts_over_the_cap_are_refused_before_deriving() {
        let with_iterations = |n: u32| [&n.to_be_bytes(), &ENCRYPTED[4..]].concat();
        let started = std::time::Instant::now();
        for password in ["wrong", PASSWORD] {
            assert_eq!(AndOtpEncrypted.read(&with_iterations(1_000_000_000), Some(password)), Err(BackupError::WrongPassword));
        }
        assert_eq!(AndOtpEncrypted.read(&with_iterations(MAX_ITERATIONS + 1), Some(PASSWORD)), Err(BackupError::WrongPassword));
        assert!(started.elapsed() < std::time::Duration::from_secs(1), "{:?}", started.elapsed());
        // No andOTP header is 0 or negative as a Java int: such a file is an old one.
        assert_eq!(AndOtpEncrypted.read(&with_iterations(0x8000_0000), Some(PASSWORD)), Err(BackupError::WrongPassword));
        assert_eq!(AndOtpEncrypted.read(&with_iterations(0), Some(PASSWORD)), Err(BackupError::WrongPassword));
    }

    #[test]
    fn one_bad_entry_is_reported_with_its_place_and_the_rest_imports() {
        let json = r#"[
            {"secret":"JBSWY3DPEHPK3PXP","issuer":"GitHub","label":"sato","digits":6,"type":"TOTP","algorithm":"SHA1","period":30,"tags":[]},
            {"secret":"JBSWY3DPEHPK3PXP","issuer":"Bank","label":"sato","digits":6,"type":"MOTP","algorithm":"SHA1","period":30},
            {"secret":"NOT-A-KEY-189","issuer":"Mail","label":"ops","type":"TOTP"},
            {"secret":"MZXW6YTBOI","issuer":"VPN","label":"sato","digits":8,"type":"HOTP","algorithm":"SHA512","counter":300}
        ]"#;
        assert!(AndOtp.detect(json.as_bytes()));
        let parsed = AndOtp.read(json.as_bytes(), None).unwrap();
        let names: Vec<(&str, &str)> = parsed.entries.iter().map(|e| (e.issuer.as_str(), e.account.as_str())).collect();
        assert_eq!(names, [("GitHub", "sato"), ("VPN", "sato")]);
        assert_eq!(parsed.entries[1].otp.method, Method::Hotp { counter: 300 });
        let places: Vec<&Place> = parsed.problems.iter().map(|p| &p.place).collect();
        assert_eq!(places, [&Place::entry(2, "Bank (sato)"), &Place::entry(3, "Mail (ops)")]);
        assert_eq!(parsed.problems[0].error, EntryError::Unsupported("MOTP".into()));
        assert!(matches!(parsed.problems[1].error, EntryError::Secret(_)), "{:?}", parsed.problems);
    }

    #[test]
    fn samples_are_detected_as_andotp_and_nothing_else() {
        assert_eq!(claimed_by(PLAIN), ["andotp"]);
        assert_eq!(claimed_by(ENCRYPTED), ["andotp-encrypted"]);
        assert_eq!(claimed_by(ENCRYPTED_OLD), ["andotp-encrypted"]);
        assert_eq!(detect(ENCRYPTED_OLD).map(|f| f.id()), Some("andotp-encrypted"));
    }

    #[test]
    fn other_files_are_not_taken_for_andotp() {
        let random_tail: Vec<u8> = ENCRYPTED[4..].to_vec();
        let png = [b"\x89PNG\r\n\x1a\n".as_slice(), &random_tail].concat();
        let utf16: Vec<u8> =
            [0xff, 0xfe].into_iter().chain("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP\r\n".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        // "otpauth://totp/給与?secret=…" in Shift-JIS: not UTF-8, but text.
        let shift_jis = [b"otpauth://totp/".as_slice(), &[0x8b, 0x8b, 0x97, 0x5e], b"?secret=JBSWY3DPEHPK3PXP\r\n"].concat();
        for (what, bytes) in [("png", png.as_slice()), ("utf-16", &utf16), ("shift-jis", &shift_jis), ("short", &ENCRYPTED[..29])] {
            assert!(!claimed_by(bytes).contains(&"andotp-encrypted"), "{what}");
        }
        for json in [&b"[]"[..], b"[\"a\", \"b\"]", b"[{\"name\": \"x\"}]", b"{\"secret\": \"JBSWY3DP\", \"type\": \"TOTP\"}"] {
            assert!(claimed_by(json).is_empty(), "{}", String::from_utf8_lossy(json));
        }
    }
}
