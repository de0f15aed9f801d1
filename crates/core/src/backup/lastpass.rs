//! LastPass Authenticator's export ("Export accounts to file", Android and iOS): plain JSON
//! `{version, deviceName, accounts: [{issuerName, userName, originalIssuerName,
//! originalUserName, secret, timeStep, digits, algorithm, isFavorite, folderData}], folders}`.
//! Every account is TOTP; the `original…` names are what the QR code said, the others what
//! the user sees after editing.

use serde_json::Value;

use super::{BackupError, Entry, EntryError, Field, Format, Parsed};
use crate::otp::{Algorithm, Method, Otp, OtpError};
use crate::secret::Secret;

fn lastpass_json(bytes: &[u8]) -> Option<Value> {
    let v = super::json(bytes)?;
    (v["accounts"].is_array() && (v["folders"].is_array() || v.get("deviceName").is_some() || v.get("localDeviceId").is_some())).then_some(v)
}

fn text<'a>(a: &'a Value, name: &str) -> &'a str {
    a[name].as_str().unwrap_or_default().trim()
}

/// A whole number (or one written as text), or the default when absent; anything else is
/// named with the field it was found in, since no field stands for the period.
fn number(a: &Value, name: &str, field: Field, default: u64) -> Result<u64, EntryError> {
    match &a[name] {
        Value::Null => Ok(default),
        v => v
            .as_u64()
            .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
            .ok_or_else(|| EntryError::unknown(field, format_args!("{name} {v}"))),
    }
}

/// The names the user sees, or the scanned ones when both were cleared.
fn names(a: &Value) -> (String, String) {
    let (issuer, account) = (text(a, "issuerName"), text(a, "userName"));
    if issuer.is_empty() && account.is_empty() {
        (text(a, "originalIssuerName").to_owned(), text(a, "originalUserName").to_owned())
    } else {
        (issuer.to_owned(), account.to_owned())
    }
}

fn entry_from(a: &Value) -> Result<Entry, EntryError> {
    let secret = Secret::from_base32(a["secret"].as_str().filter(|s| !s.trim().is_empty()).ok_or(EntryError::NoSecret)?)?;
    let algorithm: Algorithm = a["algorithm"].as_str().unwrap_or("SHA1").parse()?;
    let period = number(a, "timeStep", Field::Type, 30)?;
    let period = u32::try_from(period).map_err(|_| OtpError::Period(period))?;
    let digits = number(a, "digits", Field::Digits, 6)?;
    let otp = Otp::new(Method::Totp { period }, algorithm, u32::try_from(digits).unwrap_or(u32::MAX), secret)?;
    let (issuer, account) = names(a);
    Ok(Entry { issuer, account, label: String::new(), otp, pinned: a["isFavorite"].as_bool().unwrap_or(false) })
}

pub fn read(bytes: &[u8]) -> Result<Parsed, BackupError> {
    let v = lastpass_json(bytes).ok_or_else(|| BackupError::malformed("file", "not a LastPass Authenticator export"))?;
    let accounts = v["accounts"].as_array().ok_or_else(|| BackupError::malformed("accounts", "missing"))?;
    Ok(Parsed::each(accounts, entry_from, |a| match names(a) {
        (issuer, account) if account.is_empty() => issuer,
        (issuer, account) if issuer.is_empty() => account,
        (issuer, account) => format!("{issuer} ({account})"),
    }))
}

pub struct LastPass;

impl Format for LastPass {
    fn id(&self) -> &'static str {
        "lastpass"
    }
    fn name(&self) -> &'static str {
        "LastPass Authenticator export"
    }
    fn detect(&self, bytes: &[u8]) -> bool {
        lastpass_json(bytes).is_some()
    }
    fn read(&self, bytes: &[u8], _password: Option<&str>) -> Result<Parsed, BackupError> {
        read(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backup::{Place, Problem};
    use crate::secret::SecretError;

    const ANDROID: &[u8] = include_bytes!("samples/lastpass/lastpass.json");
    const IOS: &[u8] = include_bytes!("samples/lastpass/lastpass_ios_export.json");
    const MISSING_FIELDS: &[u8] = include_bytes!("samples/lastpass/lastpass_missing_fields.json");
    const AT: u64 = 1_700_000_000;

    fn check(e: &Entry, names: (&str, &str), period: u32, algorithm: Algorithm, digits: u8, key: &str, code: &str) {
        assert_eq!((e.issuer.as_str(), e.account.as_str()), names);
        assert_eq!((e.otp.method, e.otp.algorithm, e.otp.digits), (Method::Totp { period }, algorithm, digits), "{names:?}");
        assert_eq!(e.otp.secret, Secret::from_base32(key).unwrap(), "{names:?}");
        assert_eq!(e.otp.code_at(AT).code, code, "{names:?}");
        assert!(!e.pinned && e.label.is_empty());
    }

    fn bad_key(n: usize, name: &str, letters: usize) -> Problem {
        Problem { place: Place::entry(n, name), error: SecretError::InvalidLength(letters).into() }
    }

    /// The samples' keys were typed by hand: those of a length no base32 key has are named
    /// (expected codes come from RFC 6238 computed with Python's hmac).
    #[test]
    fn the_android_sample_reads_and_names_keys_no_base32_has() {
        let parsed = read(ANDROID).unwrap();
        assert_eq!(parsed.entries.len(), 1);
        check(&parsed.entries[0], ("", "sha512 name"), 30, Algorithm::Sha512, 6, "JDJDDJDJUEJEBDBFNF", "236478");
        assert_eq!(parsed.problems.to_vec(), [bad_key(1, "issuer (account name default)", 19), bad_key(2, "other", 17)]);
    }

    #[test]
    fn the_ios_sample_reads_every_account() {
        let parsed = read(IOS).unwrap();
        assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
        assert_eq!(parsed.entries.len(), 2);
        check(&parsed.entries[0], ("code 1 lastpass", "snjxxndjbdbdb"), 30, Algorithm::Sha1, 6, "MDLAXBJJZBXBXZJZBBZBB", "075535");
        check(&parsed.entries[1], ("code2 lastpass", "ndjdbxxnbcb"), 30, Algorithm::Sha1, 6, "KSJFBDJDBXJBXJXBXJ", "878200");
    }

    #[test]
    fn the_sample_without_an_issuer_names_its_account() {
        let parsed = read(MISSING_FIELDS).unwrap();
        assert!(parsed.entries.is_empty());
        assert_eq!(parsed.problems.to_vec(), [bad_key(1, "sometest", 22)]);
    }

    #[test]
    fn every_field_is_kept_and_one_bad_account_does_not_stop_the_others() {
        let file = br#"{"version":3,"deviceName":"Pixel","folders":[],"accounts":[
            {"issuerName":"GitHub","userName":"sato","secret":"jbsw y3dp ehpk 3pxp","timeStep":60,"digits":8,"algorithm":"SHA256","isFavorite":true},
            {"issuerName":"Gov","userName":"x","secret":"JBSWY3DPEHPK3PXP","algorithm":"MD5"},
            {"issuerName":"Zero","userName":"y","secret":"JBSWY3DPEHPK3PXP","digits":0},
            {"issuerName":"","userName":"","originalIssuerName":"Scanned","originalUserName":"orig","secret":"GEZDGNBVGY3TQOJQ"},
            {"issuerName":"Text","userName":"z","secret":"JBSWY3DPEHPK3PXP","timeStep":"forever"},
            {"issuerName":"Empty","userName":"w","secret":""}]}"#;
        let parsed = LastPass.read(file, None).unwrap();
        let e = &parsed.entries;
        assert_eq!(e.len(), 2);
        assert_eq!((e[0].issuer.as_str(), e[0].account.as_str(), e[0].pinned), ("GitHub", "sato", true));
        assert_eq!((e[0].otp.method, e[0].otp.algorithm, e[0].otp.digits), (Method::Totp { period: 60 }, Algorithm::Sha256, 8));
        assert_eq!(e[0].otp.secret.to_base32().as_str(), "JBSWY3DPEHPK3PXP");
        assert_eq!((e[1].issuer.as_str(), e[1].account.as_str()), ("Scanned", "orig"), "the scanned names when both were cleared");
        assert_eq!((e[1].otp.method, e[1].otp.algorithm, e[1].otp.digits), (Method::Totp { period: 30 }, Algorithm::Sha1, 6));
        let problems: Vec<(&Place, &EntryError)> = parsed.problems.iter().map(|p| (&p.place, &p.error)).collect();
        assert_eq!(
            problems,
            [
                (&Place::entry(2, "Gov (x)"), &EntryError::Algorithm(crate::otp::UnknownAlgorithm("MD5".into()))),
                (&Place::entry(3, "Zero (y)"), &EntryError::Otp(OtpError::Digits(0))),
                (&Place::entry(5, "Text (z)"), &EntryError::unknown(Field::Type, r#"timeStep "forever""#)),
                (&Place::entry(6, "Empty (w)"), &EntryError::NoSecret),
            ]
        );
    }

    #[test]
    fn damaged_files_are_refused() {
        assert!(matches!(read(&ANDROID[..ANDROID.len() / 2]), Err(BackupError::Malformed { .. })));
        assert!(!LastPass.detect(br#"{"accounts": {}, "folders": []}"#));
    }

    #[test]
    fn the_samples_are_detected_as_this_format_only() {
        for sample in [ANDROID, IOS, MISSING_FIELDS] {
            let claimed: Vec<&str> = super::super::FORMATS.iter().filter(|f| f.detect(sample)).map(|f| f.id()).collect();
            assert_eq!(claimed, ["lastpass"]);
        }
        let others: [&[u8]; 4] = [
            include_bytes!("../../../cli/tests/samples/aegis.json"),
            include_bytes!("../../../cli/tests/samples/authenticator.json"),
            include_bytes!("../../../cli/tests/samples/services.2fas"),
            include_bytes!("samples/proton/proton_plain.json"),
        ];
        assert!(others.iter().all(|o| !LastPass.detect(o)));
    }
}
