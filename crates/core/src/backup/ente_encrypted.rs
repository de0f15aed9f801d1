//! Ente Auth's encrypted export (the `.txt` it writes under "Export codes → Encrypted"), which
//! Proton Authenticator imports too: JSON `{version: 1, kdfParams: {memLimit, opsLimit, salt},
//! encryptedData, encryptionNonce}`. The key is libsodium's `crypto_pwhash` with Argon2id v1.3
//! (memLimit bytes, opsLimit passes, one lane, 32 bytes) over the password's UTF-8 bytes; the
//! data is one `crypto_secretstream_xchacha20poly1305` message whose 24-byte stream header is
//! `encryptionNonce`. The plaintext is Ente's own list of `otpauth://` URIs, one a line, each
//! with a `codeDisplay` parameter (JSON: pinned, trashed, note…).

use crypto_secretstream::{Header, Key, PullStream, PushStream, Stream, Tag};
use data_encoding::BASE64;
use serde_json::{Value, json};
use zeroize::Zeroizing;

use super::{BackupError, Entry, Format, Parsed, Place, Problem, Written, otpauth_lines};
use crate::otp::uri::COMPONENT;
use crate::otp::{Algorithm, Method};

/// What every Ente Auth version asks for: it starts at libsodium's moderate memory (256 MiB)
/// with 16 passes, so that memory × passes equals libsodium's "sensitive" 1 GiB × 4, and on
/// a device short of memory halves the memory and doubles the passes, keeping that product.
const ENTE_MEM_LIMIT: u64 = 256 * 1024 * 1024;
const ENTE_OPS_LIMIT: u64 = 16;
/// libsodium's sensitive memory, four times the most any Ente export uses: a file asking for
/// more is not Ente's, and would have Ninsho allocate gigabytes before the password is tried.
const MAX_MEM_LIMIT: u64 = 1024 * 1024 * 1024;
/// Memory × passes in bytes, twice the constant product every Ente export has (about three
/// seconds here; four times that would keep the app busy for half a minute per attempt).
const MAX_WORK: u64 = 2 * ENTE_MEM_LIMIT * ENTE_OPS_LIMIT;
/// libsodium's `crypto_pwhash_MEMLIMIT_MIN` and `crypto_pwhash_SALTBYTES`.
const MIN_MEM_LIMIT: u64 = 8192;
const SALT_BYTES: usize = 16;

fn ente_json(bytes: &[u8]) -> Option<Value> {
    let v = super::json(bytes)?;
    (v["kdfParams"].is_object() && v.get("encryptedData").is_some() && v.get("encryptionNonce").is_some()).then_some(v)
}

/// The file's fields, decoded, with the key-derivation cost checked.
struct Sealed {
    mem_limit: u64,
    ops_limit: u64,
    salt: Vec<u8>,
    header: [u8; Header::BYTES],
    data: Vec<u8>,
}

fn base64_field(v: &Value, at: &str) -> Result<Vec<u8>, BackupError> {
    let text = v.as_str().ok_or_else(|| BackupError::malformed(at, "missing"))?;
    BASE64.decode(text.trim().as_bytes()).map_err(|_| BackupError::malformed(at, "not base64"))
}

fn sealed(v: &Value) -> Result<Sealed, BackupError> {
    if v["version"].as_u64() != Some(1) {
        return Err(BackupError::malformed("version", format_args!("{} is not version 1, the only one Ente Auth writes", v["version"])));
    }
    let params = &v["kdfParams"];
    let limit = |name: &str| params[name].as_u64().ok_or_else(|| BackupError::malformed(format!("kdfParams.{name}"), "not a whole number"));
    let (mem_limit, ops_limit) = (limit("memLimit")?, limit("opsLimit")?);
    if mem_limit < MIN_MEM_LIMIT || ops_limit == 0 {
        return Err(BackupError::malformed("kdfParams", format_args!("memLimit {mem_limit} or opsLimit {ops_limit} is below libsodium's minimum")));
    }
    if mem_limit > MAX_MEM_LIMIT {
        return Err(BackupError::TooCostly { what: "Argon2 memory in bytes", value: mem_limit, max: MAX_MEM_LIMIT });
    }
    let work = mem_limit.saturating_mul(ops_limit);
    if work > MAX_WORK {
        return Err(BackupError::TooCostly { what: "Argon2 memory × passes in bytes", value: work, max: MAX_WORK });
    }
    let salt = base64_field(&params["salt"], "kdfParams.salt")?;
    if salt.len() != SALT_BYTES {
        return Err(BackupError::malformed("kdfParams.salt", format_args!("{} bytes, not {SALT_BYTES}", salt.len())));
    }
    let header = base64_field(&v["encryptionNonce"], "encryptionNonce")?
        .try_into()
        .map_err(|_| BackupError::malformed("encryptionNonce", format_args!("not {} bytes", Header::BYTES)))?;
    let data = base64_field(&v["encryptedData"], "encryptedData")?;
    if data.len() < Stream::ABYTES {
        return Err(BackupError::malformed("encryptedData", "shorter than a sealed message"));
    }
    Ok(Sealed { mem_limit, ops_limit, salt, header, data })
}

/// `crypto_pwhash(…, ALG_ARGON2ID13)`: libsodium counts memory in bytes and hands Argon2
/// whole KiB. The password is not normalized: Ente hashes the bytes as typed.
fn derive_key(password: &str, salt: &[u8], mem_limit: u64, ops_limit: u64) -> Result<Zeroizing<[u8; 32]>, BackupError> {
    let (m_cost, t_cost) = (u32::try_from(mem_limit / 1024), u32::try_from(ops_limit));
    let (Ok(m_cost), Ok(t_cost)) = (m_cost, t_cost) else {
        return Err(BackupError::malformed("kdfParams", "out of range"));
    };
    let params = argon2::Params::new(m_cost, t_cost, 1, Some(32)).map_err(|e| BackupError::malformed("kdfParams", e))?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut key = Zeroizing::new([0u8; 32]);
    argon.hash_password_into(password.as_bytes(), salt, key.as_mut()).map_err(|e| BackupError::malformed("kdfParams", e))?;
    Ok(key)
}

fn decrypt(sealed: Sealed, password: &str) -> Result<Zeroizing<Vec<u8>>, BackupError> {
    let key = derive_key(password, &sealed.salt, sealed.mem_limit, sealed.ops_limit)?;
    let mut stream = PullStream::init(Header::from(sealed.header), &Key::from(*key));
    let mut message = Zeroizing::new(sealed.data);
    // One message: Ente seals it with TAG_FINAL, older exports with TAG_MESSAGE; the tag
    // is authenticated either way, so any is accepted.
    stream.pull(&mut *message, &[]).map_err(|_| BackupError::WrongPassword)?;
    Ok(message)
}

/// The account's name as the line spells it, to name a line that does not parse.
fn label_of(line: &str) -> String {
    let path = line.split_once("://").map_or("", |(_, rest)| rest.split(['?', '#']).next().unwrap_or_default());
    let label = path.split_once('/').map_or("", |(_, label)| label);
    percent_encoding::percent_decode_str(label).decode_utf8_lossy().into_owned()
}

/// Ente's `codeDisplay` parameter: `(pinned, trashed)`.
fn display_of(line: &str) -> (bool, bool) {
    let query = line.split_once('?').map_or("", |(_, q)| q);
    let display = form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "codeDisplay")
        .and_then(|(_, v)| serde_json::from_str::<Value>(&v).ok())
        .unwrap_or_default();
    (display["pinned"].as_bool().unwrap_or(false), display["trashed"].as_bool().unwrap_or(false))
}

/// Ente's lines, read by the shared otpauth line reader. Codes in Ente's trash are left out:
/// the user deleted them there, and Ninsho has no trash to put them back in.
fn read_lines(text: &str) -> Parsed {
    let mut parsed = Parsed::default();
    for (i, line) in text.split('\n').map(str::trim).filter(|l| !l.is_empty()).enumerate() {
        let (pinned, trashed) = display_of(line);
        match otpauth_lines::parse_line(line) {
            Ok(_) if trashed => {}
            Ok(entry) => parsed.entries.push(Entry { pinned, ..entry }),
            Err(e) => parsed.problems.push(Problem { place: Place::entry(i + 1, label_of(line)), error: e.into() }),
        }
    }
    parsed
}

pub fn read(bytes: &[u8], password: Option<&str>) -> Result<Parsed, BackupError> {
    let v = ente_json(bytes).ok_or_else(|| BackupError::malformed("file", "not an Ente Auth encrypted export"))?;
    let sealed = sealed(&v)?;
    let plain = decrypt(sealed, password.ok_or(BackupError::NeedsPassword)?)?;
    let text =
        std::str::from_utf8(&plain).map_err(|e| BackupError::malformed("encryptedData", format_args!("byte {}: not UTF-8", e.valid_up_to())))?;
    Ok(read_lines(text))
}

/// A line as Ente writes one (`otpauth://TYPE/ISSUER:ACCOUNT?algorithm=…&digits=…&issuer=…
/// &period=…&secret=…`), its names percent-encoded since Ente decodes them; Ente tells Steam
/// by the URI's type, not by an `encoder` parameter.
fn line_of(e: &Entry, position: usize) -> Zeroizing<String> {
    let encode = |s: &str| percent_encoding::utf8_percent_encode(s, COMPONENT).to_string();
    let (kind, period) = match e.otp.method {
        Method::Totp { period } => ("totp", period),
        Method::Hotp { .. } => ("hotp", Method::DEFAULT_PERIOD),
        Method::Steam => ("steam", Method::DEFAULT_PERIOD),
        // Battle.net codes are 8-digit SHA1 TOTP, which is how Ente holds them.
        Method::Battle => ("totp", Method::DEFAULT_PERIOD),
    };
    let algorithm = match e.otp.algorithm {
        Algorithm::Sha1 => "SHA1",
        Algorithm::Sha256 => "SHA256",
        Algorithm::Sha512 => "SHA512",
    };
    let display = json!({
        "pinned": e.pinned, "trashed": false, "lastUsedAt": 0, "tapCount": 0, "tags": [], "note": e.label,
        "position": position, "iconSrc": "", "iconID": ""
    });
    let head = format!(
        "otpauth://{kind}/{}:{}?algorithm={algorithm}&digits={}&issuer={}&period={period}&secret=",
        encode(&e.issuer),
        encode(&e.account),
        e.otp.digits,
        encode(&e.issuer)
    );
    let secret = e.otp.secret.to_base32();
    let counter = match e.otp.method {
        Method::Hotp { counter } => format!("&counter={counter}"),
        _ => String::new(),
    };
    let tail = format!("{counter}&codeDisplay={}", encode(&display.to_string()));
    // Sized first: a growing string would leave copies of the key in the buffers it frees.
    let mut line = Zeroizing::new(String::with_capacity(head.len() + secret.len() + tail.len()));
    line.push_str(&head);
    line.push_str(&secret);
    line.push_str(&tail);
    line
}

/// Hands `PushStream::init` a header drawn beforehand, so that a failing system random
/// source is an error here rather than a panic inside the crate.
struct Drawn([u8; Header::BYTES]);

impl rand_core::RngCore for Drawn {
    fn next_u32(&mut self) -> u32 {
        rand_core::impls::next_u32_via_fill(self)
    }
    fn next_u64(&mut self) -> u64 {
        rand_core::impls::next_u64_via_fill(self)
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        dest.iter_mut().zip(self.0.iter().cycle()).for_each(|(d, s)| *d = *s);
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

/// The bytes come from the system's random source.
impl rand_core::CryptoRng for Drawn {}

fn random<const N: usize>() -> Result<[u8; N], BackupError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| BackupError::malformed("random", e))?;
    Ok(bytes)
}

/// Ente's key order, as its `toJson` writes it.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Export {
    version: u32,
    kdf_params: KdfParams,
    encrypted_data: String,
    encryption_nonce: String,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct KdfParams {
    mem_limit: u64,
    ops_limit: u64,
    salt: String,
}

/// What the stream adds to a message: libsodium's `crypto_secretstream_xchacha20poly1305_ABYTES`
/// (a tag byte and a 16-byte MAC).
const STREAM_ABYTES: usize = 17;

/// An export as Ente Auth writes one, with Ente's own cost, so that Ente Auth and Proton
/// Authenticator read it.
pub fn write(entries: &[Entry], password: &str) -> Result<Written, BackupError> {
    let lines: Vec<Zeroizing<String>> = entries.iter().enumerate().map(|(position, e)| line_of(e, position)).collect();
    let mut plain = Zeroizing::new(String::with_capacity(lines.iter().map(|l| l.len() + 1).sum()));
    for line in &lines {
        plain.push_str(line);
        plain.push('\n');
    }
    let salt = random::<SALT_BYTES>()?;
    let key = derive_key(password, &salt, ENTE_MEM_LIMIT, ENTE_OPS_LIMIT)?;
    let (header, mut stream) = PushStream::init(Drawn(random()?), &Key::from(*key));
    // Room for the tag the stream appends, so the plaintext is never copied on the way.
    let mut message = Zeroizing::new(Vec::with_capacity(plain.len() + STREAM_ABYTES));
    message.extend_from_slice(plain.as_bytes());
    stream.push(&mut *message, &[], Tag::Final).map_err(|_| BackupError::malformed("encryptedData", "encryption failed"))?;
    let export = Export {
        version: 1,
        kdf_params: KdfParams { mem_limit: ENTE_MEM_LIMIT, ops_limit: ENTE_OPS_LIMIT, salt: BASE64.encode(&salt) },
        encrypted_data: BASE64.encode(&message),
        encryption_nonce: BASE64.encode(header.as_ref()),
    };
    Ok(Written::one(serde_json::to_vec(&export).expect("the export serializes")))
}

pub struct EnteEncrypted;

impl Format for EnteEncrypted {
    fn id(&self) -> &'static str {
        "ente-encrypted"
    }
    fn name(&self) -> &'static str {
        "Ente Auth encrypted export"
    }
    fn detect(&self, bytes: &[u8]) -> bool {
        ente_json(bytes).is_some()
    }
    fn read(&self, bytes: &[u8], password: Option<&str>) -> Result<Parsed, BackupError> {
        read(bytes, password)
    }
    fn write(&self, entries: &[Entry], password: Option<&str>) -> Option<Result<Written, BackupError>> {
        Some(password.ok_or(BackupError::PasswordRequired).and_then(|p| write(entries, p)))
    }
    fn encrypted(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;
    use crate::otp::uri::UriError;
    use crate::otp::{Algorithm, Otp};
    use crate::secret::{Secret, SecretError};

    const LOW: &[u8] = include_bytes!("samples/ente_encrypted/encrypted.lowcomplexity.txt");
    const NOMINAL: &[u8] = include_bytes!("samples/ente_encrypted/encrypted.nominalcomplexity.txt");
    const PASSWORD: &str = "password";
    const AT: u64 = 1_700_000_000;

    fn check(e: &Entry, names: (&str, &str), method: Method, algorithm: Algorithm, digits: u8, key: &str, code: &str) {
        assert_eq!((e.issuer.as_str(), e.account.as_str()), names);
        assert_eq!((e.otp.method, e.otp.algorithm, e.otp.digits), (method, algorithm, digits), "{names:?}");
        // Keys of seven letters carry bits past their last byte, so bytes are compared.
        assert_eq!(e.otp.secret, Secret::from_base32(key).unwrap(), "{names:?}");
        assert_eq!(e.otp.code_at(AT).code, code, "{names:?}");
        assert!(!e.pinned);
    }

    fn bad_key(n: usize, name: &str, letters: usize) -> Problem {
        Problem { place: Place::entry(n, name), error: UriError::Secret(SecretError::InvalidLength(letters)).into() }
    }

    /// Expected codes come from RFC 4226/6238 computed with Python's hmac, not Ninsho.
    #[test]
    fn the_low_cost_sample_reads_every_account_and_names_the_steam_key_no_base32_has() {
        let parsed = read(LOW, Some(PASSWORD)).unwrap();
        assert_eq!(parsed.entries.len(), 2);
        check(&parsed.entries[0], ("dfdf", "adfasdf"), Method::Hotp { counter: 1 }, Algorithm::Sha1, 6, "ASDFADF", "242628");
        check(&parsed.entries[1], ("issuertest", "accountest"), Method::Totp { period: 30 }, Algorithm::Sha256, 6, "SECRETDATA", "581574");
        // "AAAAAAAAA": nine letters, a length no key can have.
        assert_eq!(parsed.problems.to_vec(), [bad_key(3, "steam:steam", 9)]);
    }

    /// Ente's real cost (256 MiB, 16 passes) is inside the caps.
    #[test]
    fn the_sample_at_entes_real_cost_reads() {
        let parsed = read(NOMINAL, Some(PASSWORD)).unwrap();
        check(&parsed.entries[0], ("HOTPISSUER", "HOTPACCOUNT"), Method::Hotp { counter: 1 }, Algorithm::Sha1, 6, "ASECRET", "139820");
        check(&parsed.entries[1], ("MYISSUER", "MYLABEL"), Method::Totp { period: 30 }, Algorithm::Sha1, 6, "MYSECRET", "109463");
        assert_eq!(parsed.entries.len(), 2);
        assert_eq!(parsed.problems.to_vec(), [bad_key(3, "Steam:STEAMACCOUNT", 11)]);
    }

    #[test]
    fn a_missing_or_wrong_password_is_named() {
        assert_eq!(read(LOW, None), Err(BackupError::NeedsPassword));
        assert_eq!(read(LOW, Some("Password")), Err(BackupError::WrongPassword));
        assert_eq!(EnteEncrypted.read(LOW, Some("")), Err(BackupError::WrongPassword));
    }

    fn edited(edit: impl FnOnce(&mut Value)) -> Vec<u8> {
        let mut v: Value = serde_json::from_slice(LOW).unwrap();
        edit(&mut v);
        serde_json::to_vec(&v).unwrap()
    }

    #[test]
    fn damaged_files_are_refused_with_the_part_named() {
        let flipped = edited(|v| {
            let mut data = BASE64.decode(v["encryptedData"].as_str().unwrap().as_bytes()).unwrap();
            data[40] ^= 1;
            v["encryptedData"] = BASE64.encode(&data).into();
        });
        assert_eq!(read(&flipped, Some(PASSWORD)), Err(BackupError::WrongPassword), "the MAC cannot tell damage from a wrong password");
        let at = |file: &[u8]| match read(file, Some(PASSWORD)) {
            Err(BackupError::Malformed { at, .. }) => at,
            other => panic!("{other:?}"),
        };
        assert_eq!(at(&edited(|v| v["encryptionNonce"] = "AAAA".into())), "encryptionNonce");
        assert_eq!(at(&edited(|v| v["encryptedData"] = "AAAA".into())), "encryptedData");
        assert_eq!(at(&edited(|v| v["encryptedData"] = "not base64!".into())), "encryptedData");
        assert_eq!(at(&edited(|v| v["kdfParams"]["salt"] = "AAAA".into())), "kdfParams.salt");
        assert_eq!(at(&edited(|v| v["kdfParams"]["memLimit"] = 1024.into())), "kdfParams");
        assert_eq!(at(&edited(|v| v["kdfParams"]["opsLimit"] = "1".into())), "kdfParams.opsLimit");
        assert_eq!(at(&edited(|v| v["version"] = 2.into())), "version");
        assert_eq!(at(&LOW[..LOW.len() / 2]), "file");
    }

    #[test]
    fn costs_over_the_caps_are_refused_before_deriving_even_without_a_password() {
        let too = |what, value, max| Err(BackupError::TooCostly { what, value, max });
        let huge_memory = edited(|v| v["kdfParams"]["memLimit"] = (4u64 << 30).into());
        let many_passes = edited(|v| {
            v["kdfParams"]["memLimit"] = ENTE_MEM_LIMIT.into();
            v["kdfParams"]["opsLimit"] = 64.into();
        });
        let absurd = edited(|v| v["kdfParams"]["opsLimit"] = u64::MAX.into());
        let started = Instant::now();
        for password in [None, Some("wrong"), Some(PASSWORD)] {
            assert_eq!(read(&huge_memory, password), too("Argon2 memory in bytes", 4 << 30, MAX_MEM_LIMIT));
            assert_eq!(read(&many_passes, password), too("Argon2 memory × passes in bytes", ENTE_MEM_LIMIT * 64, MAX_WORK));
            assert_eq!(read(&absurd, password), too("Argon2 memory × passes in bytes", u64::MAX, MAX_WORK));
        }
        assert!(started.elapsed() < Duration::from_secs(1), "{:?}", started.elapsed());
        // Ente's fallback on a device short of memory keeps the product: 64 MiB × 64 passes.
        let fallback = edited(|v| {
            v["kdfParams"]["memLimit"] = (64u64 << 20).into();
            v["kdfParams"]["opsLimit"] = 64.into();
        });
        assert!(sealed(&serde_json::from_slice(&fallback).unwrap()).is_ok());
    }

    #[test]
    fn ente_lines_keep_pins_and_leave_trashed_codes_out() {
        let display = |pinned: bool, trashed: bool| {
            let json = format!(r#"{{"pinned":{pinned},"trashed":{trashed},"lastUsedAt":0,"tapCount":0,"tags":[],"note":"","position":0}}"#);
            percent_encoding::utf8_percent_encode(&json, COMPONENT).to_string()
        };
        let text = format!(
            "otpauth://totp/GitHub:sato?algorithm=SHA1&digits=6&issuer=GitHub&period=30&secret=JBSWY3DPEHPK3PXP&codeDisplay={}\n\
             otpauth://totp/Old:gone?algorithm=SHA1&digits=6&issuer=Old&period=30&secret=GEZDGNBVGY3TQOJQ&codeDisplay={}\n\
             \n\
             otpauth://totp/Broken:x%20y?secret=NOT-BASE32!&issuer=Broken\n\
             otpauth://totp/My Co:alice?algorithm=sha256&digits=8&issuer=My+Co&period=60&secret=MFRGGZDFMZTWQ2LK\n",
            display(true, false),
            display(false, true)
        );
        let parsed = read_lines(&text);
        let names: Vec<(&str, &str, bool)> = parsed.entries.iter().map(|e| (e.issuer.as_str(), e.account.as_str(), e.pinned)).collect();
        assert_eq!(names, [("GitHub", "sato", true), ("My Co", "alice", false)]);
        assert_eq!((parsed.entries[1].otp.algorithm, parsed.entries[1].otp.digits), (Algorithm::Sha256, 8));
        assert_eq!(parsed.problems.len(), 1);
        assert_eq!(parsed.problems[0].place, Place::entry(3, "Broken:x y"));
    }

    #[test]
    fn written_files_use_entes_cost_and_read_back() {
        let totp = Method::Totp { period: 30 };
        let otp = |method, algorithm, digits, key| Otp::new(method, algorithm, digits, Secret::from_base32(key).unwrap()).unwrap();
        let entries = vec![
            Entry {
                issuer: "給与システム".into(),
                account: "佐藤 花子".into(),
                label: "給与".into(),
                otp: otp(totp, Algorithm::Sha1, 6, "KRUGKIDROVUWG2ZAMJZG653O"),
                pinned: true,
            },
            Entry {
                issuer: "Corp".into(),
                account: "admin:ops#1&2%+3".into(),
                label: String::new(),
                otp: otp(Method::Totp { period: 60 }, Algorithm::Sha512, 8, "ONSWG4TFOQ"),
                pinned: false,
            },
            Entry {
                issuer: String::new(),
                account: "vpn".into(),
                label: String::new(),
                otp: otp(Method::Hotp { counter: 300 }, Algorithm::Sha256, 7, "MZXW6YTBOI"),
                pinned: false,
            },
            Entry {
                issuer: "Steam".into(),
                account: "gamer".into(),
                label: String::new(),
                otp: otp(Method::Steam, Algorithm::Sha1, 5, "GEZDGNBVGY3TQOJQ"),
                pinned: false,
            },
        ];
        assert_eq!(EnteEncrypted.write(&entries, None), Some(Err(BackupError::PasswordRequired)));
        let file = EnteEncrypted.write(&entries, Some("春の合言葉")).unwrap().unwrap().files.remove(0);
        let text = String::from_utf8(file.clone()).unwrap();
        assert!(text.starts_with(r#"{"version":1,"kdfParams":{"memLimit":268435456,"opsLimit":16,"salt":""#), "{text}");
        assert!(!text.contains("KRUGKIDR") && !text.contains("Corp"));
        assert_eq!(super::super::detect(&file).map(|f| f.id()), Some("ente-encrypted"));
        let back = read(&file, Some("春の合言葉")).unwrap();
        assert!(back.problems.is_empty(), "{:?}", back.problems);
        let without_labels: Vec<Entry> = entries.into_iter().map(|e| Entry { label: String::new(), ..e }).collect();
        assert_eq!(back.entries, without_labels, "labels travel as Ente's note, which Ente keeps apart from the name");
    }

    #[test]
    fn the_samples_are_detected_as_this_format_only() {
        for sample in [LOW, NOMINAL] {
            let claimed: Vec<&str> = super::super::FORMATS.iter().filter(|f| f.detect(sample)).map(|f| f.id()).collect();
            assert_eq!(claimed, ["ente-encrypted"]);
        }
        let others: [&[u8]; 4] = [
            include_bytes!("../../../cli/tests/samples/aegis-encrypted.json"),
            include_bytes!("../../../cli/tests/samples/authenticator-encrypted.json"),
            include_bytes!("../../../cli/tests/samples/services.2fas"),
            include_bytes!("samples/proton/proton_encrypted.json"),
        ];
        assert!(others.iter().all(|o| !EnteEncrypted.detect(o)));
    }
}
