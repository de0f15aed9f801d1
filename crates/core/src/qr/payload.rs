//! What a QR code holds, as far as Ninsho cares.

use data_encoding::{BASE64, BASE64_NOPAD};
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
    /// Duo Mobile's activation code: the app trades it with Duo's server for its key, so
    /// no other authenticator can use it.
    DuoMobile,
    /// Okta Verify's enrollment code (`oktaverify://`, or an `otpauth://` address with an
    /// activation token instead of a key); Okta offers "Google Authenticator" as a
    /// standard method where the organization allows it.
    OktaVerify,
    /// An app store page: setup pages show the authenticator's download link first and
    /// the setup code on a later step.
    AppStore,
    /// A web address: not a setup code (the user scanned the wrong code).
    WebAddress,
    /// Anything else.
    Text,
}

impl PayloadKind {
    /// A setup code made for one vendor's own app, which Ninsho cannot use.
    pub fn is_for_another_app(self) -> bool {
        matches!(self, Self::MicrosoftAuthenticator | Self::DuoMobile | Self::OktaVerify)
    }
}

pub fn classify(payload: &str) -> PayloadKind {
    let payload = payload.trim();
    let scheme = payload.split_once(':').map(|(s, _)| s.to_ascii_lowercase());
    match scheme.as_deref() {
        Some("otpauth") if is_okta_activation(payload) => PayloadKind::OktaVerify,
        Some("otpauth") => PayloadKind::Account,
        Some("otpauth-migration") => PayloadKind::Migration,
        Some("phonefactor") => PayloadKind::MicrosoftAuthenticator,
        Some("duo") => PayloadKind::DuoMobile,
        Some("oktaverify") => PayloadKind::OktaVerify,
        Some("market" | "itms-apps" | "itms-appss") => PayloadKind::AppStore,
        Some("http" | "https") => web_address_kind(payload),
        _ if is_bare_duo_activation(payload) => PayloadKind::DuoMobile,
        _ => PayloadKind::Text,
    }
}

fn web_address_kind(address: &str) -> PayloadKind {
    let rest = address.split_once("://").map_or("", |(_, r)| r);
    let (host, path) = rest.split_once(['/', '?', '#']).unwrap_or((rest, ""));
    let host = host.rsplit('@').next().unwrap_or(host).split(':').next().unwrap_or(host).to_ascii_lowercase();
    let host = host.trim_end_matches('.');
    let path = path.to_ascii_lowercase();
    // Microsoft 365 and Microsoft accounts show, for their own app, an address such as
    // `https://login.microsoftonline.com/authenticatorApp/activateAccount?…` (personal
    // accounts) or one on `mobileappcommunicator.auth.microsoft.com` (work accounts).
    let microsoft = host == "mobileappcommunicator.auth.microsoft.com"
        || ((host == "login.microsoftonline.com" || host == "login.live.com") && path.contains("authenticatorapp/"));
    // Duo's older QR codes and its activation e-mails link to `m-….duosecurity.com/activate/…`.
    let duo = host.ends_with(".duosecurity.com") && path.starts_with("activate/");
    let store = matches!(host, "apps.apple.com" | "itunes.apple.com" | "apps.microsoft.com")
        || (host == "play.google.com" && path.starts_with("store/apps/"));
    if microsoft {
        PayloadKind::MicrosoftAuthenticator
    } else if duo {
        PayloadKind::DuoMobile
    } else if store {
        PayloadKind::AppStore
    } else {
        PayloadKind::WebAddress
    }
}

/// Okta Verify's `otpauth://` form carries an activation token (`t`), a factor (`f`) and
/// the organization's address (`s`) where a standard code has its `secret`.
fn is_okta_activation(uri: &str) -> bool {
    let query = uri.split_once('?').map_or("", |(_, q)| q);
    let names: Vec<String> = form_urlencoded::parse(query.as_bytes()).map(|(name, _)| name.trim().to_ascii_lowercase()).collect();
    let has = |wanted: &str| names.iter().any(|n| n == wanted);
    !has("secret") && has("t") && has("f")
}

/// Duo's QR code without its `duo://` prefix, as some readers show it: a 20-character
/// activation code, a hyphen and the base64 of Duo's API host for the organization.
fn is_bare_duo_activation(text: &str) -> bool {
    let Some((code, host)) = text.split_once('-') else { return false };
    if code.len() != 20 || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return false;
    }
    let decoded = BASE64.decode(host.as_bytes()).or_else(|_| BASE64_NOPAD.decode(host.as_bytes()));
    decoded.is_ok_and(|h| h.to_ascii_lowercase().ends_with(b".duosecurity.com"))
}
