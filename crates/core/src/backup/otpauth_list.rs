//! A plain list of `otpauth://` URIs, one per line, as password managers and other
//! authenticators export them. Reading shares the extension `.txt` reader.

use super::{BackupError, Entry, Format, Parsed, Written, authenticator_txt};
use crate::otp::uri::{KeyUri, UriError};
use crate::otp::{Method, Otp};
use crate::secret::Secret;

pub struct OtpauthList;

/// One line, tolerating what other apps put in keys: `stm-`/`blz-`/`bliz-` prefixes (Steam,
/// Battle.net) and hex keys (the extension's "hex" accounts).
pub fn parse_line(line: &str) -> Result<Entry, UriError> {
    let uri = match line.parse::<KeyUri>() {
        Err(UriError::Secret(e)) => rescue_secret(line).ok_or(UriError::Secret(e))?,
        other => other?,
    };
    Ok(Entry { issuer: uri.issuer, account: uri.account, label: String::new(), otp: uri.otp, pinned: false })
}

fn raw_secret(line: &str) -> Option<String> {
    let query = line.split_once('?')?.1;
    form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k.eq_ignore_ascii_case("secret")).map(|(_, v)| v.into_owned())
}

fn rescue_secret(line: &str) -> Option<KeyUri> {
    let raw = raw_secret(line)?;
    let lower = raw.to_ascii_lowercase();
    let (method, rest) = if let Some(rest) = lower.strip_prefix("stm-") {
        (Some(Method::Steam), &raw[raw.len() - rest.len()..])
    } else if let Some(rest) = lower.strip_prefix("blz-").or_else(|| lower.strip_prefix("bliz-")) {
        (Some(Method::Battle), &raw[raw.len() - rest.len()..])
    } else {
        (None, raw.as_str())
    };
    let secret = Secret::from_base32(rest).ok().or_else(|| hex_secret(rest))?;
    let replaced = line.replacen(&format!("secret={raw}"), "secret=AAAAAAAA", 1).replacen(&format!("SECRET={raw}"), "secret=AAAAAAAA", 1);
    let mut uri: KeyUri = replaced.parse().ok()?;
    let method = method.unwrap_or(uri.otp.method);
    uri.otp = Otp::new(method, uri.otp.algorithm, u32::from(uri.otp.digits), secret).ok()?;
    Some(uri)
}

pub(crate) fn hex_secret(text: &str) -> Option<Secret> {
    let cleaned: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    data_encoding::HEXLOWER_PERMISSIVE.decode(cleaned.as_bytes()).ok().filter(|b| !b.is_empty()).map(Secret::from_bytes)
}

impl Format for OtpauthList {
    fn id(&self) -> &'static str {
        "otpauth"
    }

    fn name(&self) -> &'static str {
        "List of otpauth:// URIs"
    }

    fn detect(&self, bytes: &[u8]) -> bool {
        authenticator_txt::looks_like_otpauth_text(bytes)
    }

    fn read(&self, bytes: &[u8], _password: Option<&str>) -> Result<Parsed, BackupError> {
        Ok(authenticator_txt::read_text(super::text(bytes)?))
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
