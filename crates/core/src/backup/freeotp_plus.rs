//! FreeOTP+ JSON exports (not encrypted): `{"tokens": [...], "tokenOrder": [...]}`, each
//! token FreeOTP's own record: `secret` as an array of signed bytes, `type` TOTP or HOTP,
//! `algo`, `digits`, `period`, `counter`, and the names `issuerExt` (from the QR code's
//! label), `issuerInt` (its `issuer` parameter), `issuerAlt` and `labelAlt` (as renamed in
//! the app), `label`.
//!
//! FreeOTP keeps the counter of the code last shown, one less than the otpauth `counter`
//! (the next code's), and computes Steam codes for every token whose `issuerExt` is "Steam".

use std::collections::HashMap;

use serde_json::Value;

use super::{BackupError, Entry, EntryError, Field, Format, Parsed, Place, Problem};
use crate::otp::{Algorithm, Method, Otp, OtpError};
use crate::secret::Secret;

fn freeotp_json(bytes: &[u8]) -> Option<Value> {
    let v = super::json(bytes)?;
    (v["tokens"].is_array() && v["tokenOrder"].is_array()).then_some(v)
}

fn text<'a>(t: &'a Value, key: &str) -> &'a str {
    t[key].as_str().unwrap_or_default()
}

fn first_set<'a>(t: &'a Value, keys: &[&str]) -> &'a str {
    keys.iter().map(|k| text(t, k)).find(|s| !s.is_empty()).unwrap_or_default()
}

/// The name `tokenOrder` lists a token by, as FreeOTP makes it.
fn order_id(t: &Value) -> String {
    let label = text(t, "label");
    match first_set(t, &["issuerInt", "issuerExt"]) {
        "" => label.to_owned(),
        issuer => format!("{issuer}:{label}"),
    }
}

/// The issuer and account name as FreeOTP shows them.
fn names(t: &Value) -> (String, String) {
    let issuer = first_set(t, &["issuerAlt", "issuerExt", "issuerInt"]);
    let account = t["labelAlt"].as_str().unwrap_or(text(t, "label"));
    (issuer.trim().to_owned(), account.trim().to_owned())
}

fn number(v: &Value, default: u32, bad: impl FnOnce(i64) -> EntryError) -> Result<u32, EntryError> {
    match v.as_i64() {
        None => Ok(default),
        Some(n) => u32::try_from(n).map_err(|_| bad(n)),
    }
}

fn secret(t: &Value) -> Result<Secret, EntryError> {
    let items = t["secret"].as_array().ok_or(EntryError::NoSecret)?;
    // Java bytes are signed; unsigned values are taken too.
    let bytes: Option<Vec<u8>> = items.iter().map(|b| b.as_i64().filter(|b| (-128..=255).contains(b)).map(|b| b as u8)).collect();
    bytes.map(Secret::from_bytes).ok_or(EntryError::NoSecret)
}

fn entry_from(t: &Value) -> Result<Entry, EntryError> {
    let secret = secret(t)?;
    let algorithm: Algorithm = t["algo"].as_str().unwrap_or("SHA1").parse()?;
    let steam = text(t, "issuerExt") == "Steam";
    let method = match t["type"].as_str().unwrap_or("TOTP").to_ascii_uppercase().as_str() {
        "TOTP" if steam => Method::Steam,
        "TOTP" => Method::Totp { period: number(&t["period"], 30, |n| OtpError::Period(u64::try_from(n).unwrap_or(0)).into())? },
        "HOTP" => {
            let shown = t["counter"].as_i64().unwrap_or(-1);
            let next = shown.checked_add(1).and_then(|c| u64::try_from(c).ok());
            Method::Hotp { counter: next.ok_or_else(|| EntryError::unknown(Field::Counter, shown))? }
        }
        other => return Err(EntryError::unsupported(other)),
    };
    let digits = number(&t["digits"], 6, |n| EntryError::unknown(Field::Digits, n))?;
    let otp = Otp::new(method, algorithm, digits, secret)?;
    let (issuer, account) = names(t);
    Ok(Entry { issuer, account, label: String::new(), otp, pinned: false })
}

pub fn read(bytes: &[u8]) -> Result<Parsed, BackupError> {
    let v: Value = serde_json::from_str(super::text(bytes)?).map_err(|e| BackupError::malformed("file", e))?;
    let tokens = v["tokens"].as_array().ok_or_else(|| BackupError::malformed("tokens", "missing"))?;
    let mut order: HashMap<&str, usize> = HashMap::new();
    for (i, id) in v["tokenOrder"].as_array().into_iter().flatten().filter_map(Value::as_str).enumerate() {
        order.entry(id).or_insert(i);
    }
    // FreeOTP+ itself imports only the tokens `tokenOrder` names; the others are kept here,
    // after them, rather than lost.
    let position = |t: &Value| order.get(order_id(t).as_str()).copied().unwrap_or(usize::MAX);
    let mut indexed = Vec::new();
    let mut parsed = Parsed::default();
    for (i, t) in tokens.iter().enumerate() {
        match entry_from(t) {
            Ok(e) => indexed.push((position(t), e)),
            Err(error) => parsed.problems.push(Problem { place: Place::entry(i + 1, order_id(t)), error }),
        }
    }
    indexed.sort_by_key(|(p, _)| *p);
    parsed.entries = indexed.into_iter().map(|(_, e)| e).collect();
    Ok(parsed)
}

pub struct FreeOtpPlus;

impl Format for FreeOtpPlus {
    fn id(&self) -> &'static str {
        "freeotp-plus"
    }
    fn name(&self) -> &'static str {
        "FreeOTP+ export (JSON)"
    }
    fn detect(&self, bytes: &[u8]) -> bool {
        freeotp_json(bytes).is_some()
    }
    fn read(&self, bytes: &[u8], _password: Option<&str>) -> Result<Parsed, BackupError> {
        read(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backup::andotp::tests::{AEGIS_VECTORS, check, claimed_by};

    const SAMPLE: &[u8] = include_bytes!("samples/freeotp_plus/freeotp_plus.json");

    /// The sample's HOTP counters are one less than the accounts' (10299 for 10300): read
    /// back, the codes are the original ones.
    #[test]
    fn sample_reads_every_account_in_token_order() {
        let parsed = FreeOtpPlus.read(SAMPLE, None).unwrap();
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        let by_order: Vec<_> = [5, 4, 3, 2, 1, 0].into_iter().map(|i| &AEGIS_VECTORS[i]).collect();
        check("freeotp+", &parsed.entries, &by_order);
    }

    #[test]
    fn sample_is_detected_as_freeotp_plus_and_nothing_else() {
        assert_eq!(claimed_by(SAMPLE), ["freeotp-plus"]);
        assert!(claimed_by(&SAMPLE[..SAMPLE.len() - 1]).is_empty(), "a cut file is no JSON");
    }

    #[test]
    fn damaged_files_are_refused() {
        assert!(matches!(FreeOtpPlus.read(&SAMPLE[..SAMPLE.len() / 2], None), Err(BackupError::Malformed { .. })));
        assert!(matches!(FreeOtpPlus.read(br#"{"tokenOrder": []}"#, None), Err(BackupError::Malformed { .. })));
        assert!(matches!(FreeOtpPlus.read(b"\xff\xfe", None), Err(BackupError::Malformed { .. })));
    }

    #[test]
    fn bad_tokens_are_reported_with_their_place_and_the_rest_imports() {
        let json = r#"{"tokenOrder": ["Steam:gamer", "GitHub:sato"], "tokens": [
            {"algo":"SHA1","counter":0,"digits":6,"issuerExt":"GitHub","label":"sato","period":30,"secret":[72,101,108,108,111,33,-34,-83,-66,-17],"type":"TOTP"},
            {"algo":"MD5","digits":6,"issuerExt":"Old","label":"a","period":30,"secret":[1,2,3],"type":"TOTP"},
            {"algo":"SHA1","digits":6,"issuerExt":"Bad","label":"b","period":30,"secret":[1,2,300],"type":"TOTP"},
            {"algo":"SHA1","digits":5,"issuerExt":"Steam","label":"gamer","period":30,"secret":[1,2,3,4,5,6,7,8,9,10],"type":"TOTP"},
            {"algo":"SHA256","counter":-1,"digits":8,"issuerInt":"VPN","issuerExt":"vpn.example.com","issuerAlt":"Work VPN","label":"sato","labelAlt":"佐藤","period":30,"secret":[9,9,9,9,9,9,9,9,9,9],"type":"HOTP"}
        ]}"#;
        let parsed = FreeOtpPlus.read(json.as_bytes(), None).unwrap();
        let names: Vec<(&str, &str)> = parsed.entries.iter().map(|e| (e.issuer.as_str(), e.account.as_str())).collect();
        assert_eq!(names, [("Steam", "gamer"), ("GitHub", "sato"), ("Work VPN", "佐藤")], "tokenOrder first, then the unlisted");
        assert_eq!(parsed.entries[0].otp.method, Method::Steam);
        assert_eq!(parsed.entries[1].otp.secret.as_bytes(), b"Hello!\xde\xad\xbe\xef", "signed bytes");
        assert_eq!((parsed.entries[2].otp.method, parsed.entries[2].otp.algorithm), (Method::Hotp { counter: 0 }, Algorithm::Sha256));
        let places: Vec<&Place> = parsed.problems.iter().map(|p| &p.place).collect();
        assert_eq!(places, [&Place::entry(2, "Old:a"), &Place::entry(3, "Bad:b")]);
        assert!(matches!(parsed.problems[0].error, EntryError::Algorithm(_)), "{:?}", parsed.problems);
        assert_eq!(parsed.problems[1].error, EntryError::NoSecret);
    }
}
