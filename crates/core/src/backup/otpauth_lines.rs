//! What the line-based backups share: reading `otpauth://` and `otpauth-migration://` lines
//! (the extension's `.txt`, plain URI lists, Google's export as text).

use super::migration_payload::BatchCollector;
use super::{Entry, EntryError, Parsed, Place, Problem};
use crate::otp::uri::{KeyUri, UriError};
use crate::otp::{Method, Otp};
use crate::secret::Secret;

/// Reads otpauth lines (and Google export lines) the way the extension does, but keeping
/// what it drops: the counter, periods it does not support, names after a second colon.
pub fn read_text(text: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let mut migration = BatchCollector::default();
    for (index, raw) in text.split('\n').enumerate() {
        let line = raw.trim();
        let place = Place::Line(index + 1);
        if line.is_empty() {
            continue;
        }
        let lower = line.get(..20).unwrap_or(line).to_ascii_lowercase();
        if lower.starts_with("otpauth-migration:") {
            if let Err(e) = migration.add(line) {
                parsed.problems.push(Problem { place, error: e.into() });
            }
        } else if lower.starts_with("otpauth:") {
            match parse_line(line) {
                Ok(entry) => parsed.entries.push(entry),
                Err(e) => parsed.problems.push(Problem { place, error: e.into() }),
            }
        } else {
            parsed.problems.push(Problem { place, error: EntryError::NotOtpauth });
        }
    }
    let collected = migration.finish();
    parsed.entries.extend(collected.entries);
    parsed.problems.append(collected.problems);
    parsed
}

pub fn looks_like_otpauth_text(bytes: &[u8]) -> bool {
    super::text(bytes).is_ok_and(|t| {
        t.lines().map(str::trim).find(|l| !l.is_empty()).is_some_and(|l| {
            let l = l.get(..18).unwrap_or(l).to_ascii_lowercase();
            l.starts_with("otpauth:") || l.starts_with("otpauth-migration:")
        })
    })
}

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
    let secret = Secret::from_base32(rest).ok().or_else(|| Secret::from_hex(rest))?;
    let replaced = line.replacen(&format!("secret={raw}"), "secret=AAAAAAAA", 1).replacen(&format!("SECRET={raw}"), "secret=AAAAAAAA", 1);
    let mut uri: KeyUri = replaced.parse().ok()?;
    let method = method.unwrap_or(uri.otp.method);
    uri.otp = Otp::new(method, uri.otp.algorithm, u32::from(uri.otp.digits), secret).ok()?;
    Some(uri)
}
