//! Google Authenticator's export as a file: its QR codes' `otpauth-migration://` URIs, one
//! per line (the payload itself: [`super::migration_payload`]).

use super::migration_payload::{encode, unsupported};
use super::{BackupError, Entry, Format, Parsed, Remark, Written, otpauth_lines};
use crate::otp::Algorithm;

pub struct GoogleMigration;

impl Format for GoogleMigration {
    fn id(&self) -> &'static str {
        "google-migration"
    }

    fn name(&self) -> &'static str {
        "Google Authenticator export (otpauth-migration)"
    }

    fn detect(&self, bytes: &[u8]) -> bool {
        super::text(bytes).is_ok_and(|t| {
            let lines: Vec<&str> = t.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
            !lines.is_empty() && lines.iter().all(|l| l.get(..18).is_some_and(|p| p.eq_ignore_ascii_case("otpauth-migration:")))
        })
    }

    fn read(&self, bytes: &[u8], _password: Option<&str>) -> Result<Parsed, BackupError> {
        Ok(otpauth_lines::read_text(super::text(bytes)?))
    }

    fn write(&self, entries: &[Entry], _password: Option<&str>) -> Option<Result<Written, BackupError>> {
        let mut id = [0u8; 4];
        if getrandom::fill(&mut id).is_err() {
            return Some(Err(BackupError::malformed("batch id", "no random numbers available")));
        }
        let (uris, skipped) = encode(entries, i32::from_le_bytes(id) & 0x7fff_ffff);
        let beyond_sha1 = entries.iter().any(|e| e.otp.algorithm != Algorithm::Sha1 && unsupported(e).is_none());
        let note = beyond_sha1.then_some(Remark::Sha1OnlyBefore2023);
        Some(Ok(Written { files: uris.into_iter().map(String::into_bytes).collect(), skipped, note }))
    }
}
