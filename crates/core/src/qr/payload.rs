//! What a QR code holds, as far as Ninsho cares.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PayloadKind {
    /// `otpauth://`: one account to add.
    Account,
    /// `otpauth-migration://`: a Google Authenticator export, one code of a batch.
    Migration,
    /// A web address: not a setup code (the user scanned the wrong code).
    WebAddress,
    /// Anything else.
    Text,
}

pub fn classify(payload: &str) -> PayloadKind {
    let scheme = payload.trim_start().split_once(':').map(|(s, _)| s.to_ascii_lowercase());
    match scheme.as_deref() {
        Some("otpauth") => PayloadKind::Account,
        Some("otpauth-migration") => PayloadKind::Migration,
        Some("http" | "https") => PayloadKind::WebAddress,
        _ => PayloadKind::Text,
    }
}
