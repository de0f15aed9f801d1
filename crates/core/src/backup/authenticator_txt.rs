//! The "Authenticator" extension's `authenticator.txt`: one `otpauth://` URI per line.
//!
//! Writing follows the extension's `getOneLineOtpBackupFile` exactly (see
//! shared/formats/authenticator-extension.md §2): colons and `::host` hints dropped from
//! names, `encodeURIComponent` encoding, fixed parameter order, CRLF between lines and
//! none after the last. Reading accepts a superset of what the extension reads.

use percent_encoding::utf8_percent_encode;

use super::{BackupError, Entry, Format, Parsed, Problem, Remark, Written, authenticator_json, google_migration, otpauth_list};
use crate::otp::uri::COMPONENT;
use crate::otp::{Algorithm, Method};

pub struct AuthenticatorTxt;

/// `encodeURIComponent(s.split("::")[0].replaceAll(":", ""))`.
fn scrub(s: &str) -> String {
    let name = s.split("::").next().unwrap_or_default().replace(':', "");
    utf8_percent_encode(&name, COMPONENT).to_string()
}

fn line(e: &Entry) -> String {
    let issuer = scrub(&e.issuer);
    let account = scrub(&e.account);
    let label = if issuer.is_empty() { account } else { format!("{issuer}:{account}") };
    let kind = if matches!(e.otp.method, Method::Hotp { .. }) { "hotp" } else { "totp" };
    let mut out = format!("otpauth://{kind}/{label}?secret={}", e.otp.secret.to_base32().as_str());
    if !issuer.is_empty() {
        out.push_str(&format!("&issuer={issuer}"));
    }
    match e.otp.method {
        Method::Hotp { counter } => out.push_str(&format!("&counter={counter}")),
        Method::Totp { period } if period != Method::DEFAULT_PERIOD => out.push_str(&format!("&period={period}")),
        _ => {}
    }
    if e.otp.digits != 6 {
        out.push_str(&format!("&digits={}", e.otp.digits));
    }
    if e.otp.algorithm != Algorithm::Sha1 {
        out.push_str(&format!("&algorithm={}", e.otp.algorithm));
    }
    out
}

/// The file's bytes. Like the extension, this is only for TOTP and HOTP accounts; the
/// caller decides what to do with Steam and Battle.net ones (see [`Format::write`]).
pub fn write_lines(entries: &[Entry]) -> Vec<u8> {
    entries.iter().map(line).collect::<Vec<_>>().join("\r\n").into_bytes()
}

/// Reads otpauth lines (and Google export lines) the way the extension does, but keeping
/// what it drops: the counter, periods it does not support, names after a second colon.
pub fn read_text(text: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let mut migration = google_migration::BatchCollector::default();
    for (index, raw) in text.split('\n').enumerate() {
        let line = raw.trim();
        let at = format!("line {}", index + 1);
        if line.is_empty() {
            continue;
        }
        let lower = line.get(..20).unwrap_or(line).to_ascii_lowercase();
        if lower.starts_with("otpauth-migration:") {
            if let Err(e) = migration.add(line) {
                parsed.problems.push(Problem { location: at, message: e.to_string() });
            }
        } else if lower.starts_with("otpauth:") {
            match otpauth_list::parse_line(line) {
                Ok(entry) => parsed.entries.push(entry),
                Err(e) => parsed.problems.push(Problem { location: at, message: e.to_string() }),
            }
        } else {
            parsed.problems.push(Problem { location: at, message: "not an otpauth:// URI".into() });
        }
    }
    let collected = migration.finish();
    parsed.entries.extend(collected.entries);
    parsed.problems.extend(collected.problems);
    parsed
}

pub(crate) fn looks_like_otpauth_text(bytes: &[u8]) -> bool {
    super::text(bytes).is_ok_and(|t| {
        t.lines().map(str::trim).find(|l| !l.is_empty()).is_some_and(|l| {
            let l = l.get(..18).unwrap_or(l).to_ascii_lowercase();
            l.starts_with("otpauth:") || l.starts_with("otpauth-migration:")
        })
    })
}

impl Format for AuthenticatorTxt {
    fn id(&self) -> &'static str {
        "authenticator-txt"
    }

    fn name(&self) -> &'static str {
        "Authenticator extension backup (authenticator.txt)"
    }

    fn detect(&self, bytes: &[u8]) -> bool {
        looks_like_otpauth_text(bytes)
    }

    fn read(&self, bytes: &[u8], _password: Option<&str>) -> Result<Parsed, BackupError> {
        Ok(read_text(super::text(bytes)?))
    }

    /// With Steam or Battle.net accounts the extension downloads its JSON instead of the
    /// `.txt`, since the `.txt` cannot say what they are; so does Ninsho, and says why.
    fn write(&self, entries: &[Entry], _password: Option<&str>) -> Option<Result<Written, BackupError>> {
        if entries.iter().any(|e| matches!(e.otp.method, Method::Steam | Method::Battle)) {
            return Some(authenticator_json::write_plain(entries).map(|mut w| {
                w.note = Some(Remark::JsonInsteadOfTxt);
                w
            }));
        }
        Some(Ok(Written::one(write_lines(entries))))
    }
}
