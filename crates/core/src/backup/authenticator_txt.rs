//! The "Authenticator" extension's `authenticator.txt`: one `otpauth://` URI per line.
//!
//! Writing follows the extension's `getOneLineOtpBackupFile` exactly (see
//! shared/formats/authenticator-extension.md §2): colons and `::host` hints dropped from
//! names, `encodeURIComponent` encoding, fixed parameter order, CRLF between lines and
//! none after the last. Reading accepts a superset of what the extension reads.

use percent_encoding::utf8_percent_encode;

use super::{BackupError, Entry, Format, Parsed, Remark, Written, authenticator_json, otpauth_lines};
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

impl Format for AuthenticatorTxt {
    fn id(&self) -> &'static str {
        "authenticator-txt"
    }

    fn name(&self) -> &'static str {
        "Authenticator extension backup (authenticator.txt)"
    }

    fn detect(&self, bytes: &[u8]) -> bool {
        otpauth_lines::looks_like_otpauth_text(bytes)
    }

    fn read(&self, bytes: &[u8], _password: Option<&str>) -> Result<Parsed, BackupError> {
        Ok(otpauth_lines::read_text(super::text(bytes)?))
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
