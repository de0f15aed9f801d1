//! What a QR code holds, as far as Ninsho cares.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PayloadKind {
    /// `otpauth://`: one account to add.
    Account,
    /// `otpauth-migration://`: a Google Authenticator export, one code of a batch.
    Migration,
    /// Microsoft Authenticator's own setup code (`phonefactor://`, or a Microsoft sign-in
    /// address that activates that app): no other authenticator can use it, but the same
    /// Microsoft page offers a standard code.
    MicrosoftAuthenticator,
    /// A web address: not a setup code (the user scanned the wrong code).
    WebAddress,
    /// Anything else.
    Text,
}

pub fn classify(payload: &str) -> PayloadKind {
    let payload = payload.trim_start();
    let scheme = payload.split_once(':').map(|(s, _)| s.to_ascii_lowercase());
    match scheme.as_deref() {
        Some("otpauth") => PayloadKind::Account,
        Some("otpauth-migration") => PayloadKind::Migration,
        Some("phonefactor") => PayloadKind::MicrosoftAuthenticator,
        Some("http" | "https") if activates_microsoft_authenticator(payload) => PayloadKind::MicrosoftAuthenticator,
        Some("http" | "https") => PayloadKind::WebAddress,
        _ => PayloadKind::Text,
    }
}

/// Microsoft 365 and Microsoft accounts show, for their own app, either `phonefactor://…`
/// or an address such as `https://login.microsoftonline.com/authenticatorApp/activateAccount?…`
/// (personal accounts) or one on `mobileappcommunicator.auth.microsoft.com` (work accounts).
fn activates_microsoft_authenticator(address: &str) -> bool {
    let rest = address.split_once("://").map_or("", |(_, r)| r);
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = host.rsplit('@').next().unwrap_or(host).split(':').next().unwrap_or(host).to_ascii_lowercase();
    let path = path.to_ascii_lowercase();
    host == "mobileappcommunicator.auth.microsoft.com"
        || ((host == "login.microsoftonline.com" || host == "login.live.com") && path.contains("authenticatorapp/"))
}
