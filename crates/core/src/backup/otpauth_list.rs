//! A plain list of `otpauth://` URIs, one per line, as password managers and other
//! authenticators export them. Reading is the line reader all text backups share.

use super::{BackupError, Entry, Format, Parsed, Written, otpauth_lines};
use crate::otp::uri::KeyUri;

pub struct OtpauthList;

impl Format for OtpauthList {
    fn id(&self) -> &'static str {
        "otpauth"
    }

    fn name(&self) -> &'static str {
        "List of otpauth:// URIs"
    }

    fn detect(&self, bytes: &[u8]) -> bool {
        otpauth_lines::looks_like_otpauth_text(bytes)
    }

    fn read(&self, bytes: &[u8], _password: Option<&str>) -> Result<Parsed, BackupError> {
        Ok(otpauth_lines::read_text(super::text(bytes)?))
    }

    fn write(&self, entries: &[Entry], _password: Option<&str>) -> Option<Result<Written, BackupError>> {
        let mut out = String::new();
        for e in entries {
            let uri = KeyUri { issuer: e.issuer.clone(), account: e.account.clone(), otp: e.otp.clone() };
            out.push_str(&uri.to_uri_string());
            out.push('\n');
        }
        Some(Ok(Written::one(out.into_bytes())))
    }
}
