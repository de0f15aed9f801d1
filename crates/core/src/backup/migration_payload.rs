//! The payload of Google Authenticator's export QR codes: `otpauth-migration://offline?data=…`,
//! base64 of a protobuf `MigrationPayload`, up to 10 accounts per QR code and several codes
//! per export (see shared/formats/other-formats.md §2.3). Read by the export's file format,
//! by the line reader of text backups and by the QR scanner.

use std::collections::{BTreeMap, HashMap};

use data_encoding::BASE64;
use percent_encoding::{NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use prost::Message;

pub use super::MigrationError;
use super::{Entry, EntryError, Field, Parsed, Place, Problem, Remark};
use crate::otp::{Algorithm, Method, Otp};
use crate::secret::Secret;

#[derive(Clone, PartialEq, Message)]
pub struct MigrationPayload {
    #[prost(message, repeated, tag = "1")]
    pub otp_parameters: Vec<OtpParameters>,
    #[prost(int32, tag = "2")]
    pub version: i32,
    #[prost(int32, tag = "3")]
    pub batch_size: i32,
    #[prost(int32, tag = "4")]
    pub batch_index: i32,
    #[prost(int32, tag = "5")]
    pub batch_id: i32,
}

/// Enums are kept as plain integers so that values a newer app adds are reported, not
/// silently mapped.
#[derive(Clone, PartialEq, Message)]
pub struct OtpParameters {
    #[prost(bytes = "vec", tag = "1")]
    pub secret: Vec<u8>,
    #[prost(string, tag = "2")]
    pub name: String,
    #[prost(string, tag = "3")]
    pub issuer: String,
    #[prost(int32, tag = "4")]
    pub algorithm: i32,
    #[prost(int32, tag = "5")]
    pub digits: i32,
    #[prost(int32, tag = "6")]
    pub r#type: i32,
    #[prost(int64, tag = "7")]
    pub counter: i64,
}

/// Accounts per QR code when writing: the extension's advice for codes a phone reads
/// reliably (Google's own exporter puts 10).
pub const ACCOUNTS_PER_CODE: usize = 5;

/// Google's exporter makes a handful of codes; a larger claim is a damaged payload, and
/// believing it would make "missing code" lists of any length.
const MAX_BATCH_SIZE: i32 = 100;

/// One QR code's content.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    pub batch_id: i32,
    pub index: usize,
    pub size: usize,
    pub parsed: Parsed,
}

fn entry(p: &OtpParameters) -> Result<Entry, EntryError> {
    let algorithm = match p.algorithm {
        0 | 1 => Algorithm::Sha1,
        2 => Algorithm::Sha256,
        3 => Algorithm::Sha512,
        4 => return Err(EntryError::unsupported("MD5")),
        n => return Err(EntryError::unknown(Field::Algorithm, n)),
    };
    let digits = match p.digits {
        0 | 1 => 6,
        2 => 8,
        n => return Err(EntryError::unknown(Field::Digits, n)),
    };
    let method = match p.r#type {
        0 | 2 => Method::Totp { period: Method::DEFAULT_PERIOD },
        1 => Method::Hotp { counter: u64::try_from(p.counter).map_err(|_| EntryError::unknown(Field::Counter, p.counter))? },
        n => return Err(EntryError::unknown(Field::Type, n)),
    };
    let otp = Otp::new(method, algorithm, digits, Secret::from_bytes(p.secret.clone()))?;
    let issuer = p.issuer.trim().to_owned();
    // Names are often "Issuer:account"; keep the account part.
    let account = match p.name.split_once(':') {
        Some((prefix, rest)) if issuer.is_empty() || prefix.trim() == issuer => rest.trim().to_owned(),
        _ => p.name.trim().to_owned(),
    };
    let issuer = if issuer.is_empty() { p.name.split_once(':').map(|(i, _)| i.trim().to_owned()).unwrap_or_default() } else { issuer };
    Ok(Entry { issuer, account, label: String::new(), otp, pinned: false })
}

pub fn decode(uri: &str) -> Result<Batch, MigrationError> {
    let uri = uri.trim();
    let (scheme, rest) = uri.split_once("://").ok_or(MigrationError::NotMigration)?;
    let (host, query) = rest.split_once('?').unwrap_or((rest, ""));
    if !scheme.eq_ignore_ascii_case("otpauth-migration") || !host.trim_end_matches('/').eq_ignore_ascii_case("offline") {
        return Err(MigrationError::NotMigration);
    }
    // `+` is a base64 letter here, so no form decoding.
    let data = query
        .split('&')
        .find_map(|kv| kv.split_once('=').filter(|(k, _)| k.eq_ignore_ascii_case("data")).map(|(_, v)| v))
        .ok_or(MigrationError::NoData)?;
    let data = percent_decode_str(data).decode_utf8().map_err(|_| MigrationError::Base64)?;
    let data: String = data.chars().filter(|c| !c.is_whitespace()).collect();
    let padded = format!("{data}{}", "=".repeat((4 - data.len() % 4) % 4));
    let bytes = BASE64.decode(padded.as_bytes()).map_err(|_| MigrationError::Base64)?;
    let payload = MigrationPayload::decode(bytes.as_slice()).map_err(|e| MigrationError::Protobuf(e.to_string()))?;
    let mut parsed = Parsed::default();
    for (i, p) in payload.otp_parameters.iter().enumerate() {
        match entry(p) {
            Ok(e) => parsed.entries.push(e),
            Err(error) => {
                let name = if p.issuer.is_empty() { p.name.clone() } else { format!("{} ({})", p.issuer, p.name) };
                parsed.problems.push(Problem { place: Place::entry(i + 1, name), error });
            }
        }
    }
    let size = payload.batch_size.max(1);
    if size > MAX_BATCH_SIZE || payload.batch_index < 0 || payload.batch_index >= size {
        return Err(MigrationError::BatchNumbers { index: payload.batch_index, size: payload.batch_size });
    }
    Ok(Batch { batch_id: payload.batch_id, index: payload.batch_index as usize, size: size as usize, parsed })
}

/// Collects the QR codes of one or more exports, by `batch_id`, and says which are missing.
#[derive(Debug, Default)]
pub struct BatchCollector {
    batches: HashMap<i32, (usize, BTreeMap<usize, Parsed>)>,
    order: Vec<i32>,
}

/// How far a multi-code export has been scanned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub scanned: usize,
    pub size: usize,
}

impl BatchCollector {
    /// Adds one code; scanning the same code twice is harmless.
    pub fn add(&mut self, uri: &str) -> Result<Progress, MigrationError> {
        let batch = decode(uri)?;
        if !self.batches.contains_key(&batch.batch_id) {
            self.order.push(batch.batch_id);
        }
        let (size, parts) = self.batches.entry(batch.batch_id).or_insert((batch.size, BTreeMap::new()));
        *size = (*size).max(batch.size);
        parts.insert(batch.index, batch.parsed);
        Ok(Progress { scanned: parts.len(), size: *size })
    }

    /// Everything collected, with a problem for every code of a batch not yet scanned.
    pub fn finish(self) -> Parsed {
        let mut out = Parsed::default();
        let mut batches = self.batches;
        for id in self.order {
            let Some((size, parts)) = batches.remove(&id) else {
                continue;
            };
            for index in 0..size {
                if !parts.contains_key(&index) {
                    out.problems.push(Problem {
                        place: Place::QrCode { n: index + 1, of: size },
                        error: EntryError::NotScanned { scanned: parts.len(), size },
                    });
                }
            }
            for (_, parsed) in parts {
                out.entries.extend(parsed.entries);
                out.problems.append(parsed.problems);
            }
        }
        out
    }
}

/// Why the migration format cannot hold an account, or `None` when it can. SHA-256 and
/// SHA-512 it can: current Google Authenticator computes them ([`Remark::Sha1OnlyBefore2023`]).
pub(super) fn unsupported(e: &Entry) -> Option<Remark> {
    match e.otp.method {
        Method::Steam => Some(Remark::SteamUnsupported),
        Method::Totp { period } if period != Method::DEFAULT_PERIOD => Some(Remark::PeriodNot30),
        _ if ![6, 8].contains(&e.otp.digits) => Some(Remark::DigitsNot6Or8),
        _ => None,
    }
}

/// The migration format's algorithm numbers (its protobuf enum; MD5, 4, is never written).
fn algorithm_number(algorithm: Algorithm) -> i32 {
    match algorithm {
        Algorithm::Sha1 => 1,
        Algorithm::Sha256 => 2,
        Algorithm::Sha512 => 3,
    }
}

/// One URI per QR code, at most [`ACCOUNTS_PER_CODE`] accounts each, numbered as a batch.
pub fn encode(entries: &[Entry], batch_id: i32) -> (Vec<String>, Vec<(String, Remark)>) {
    let mut skipped = Vec::new();
    let mut params = Vec::new();
    for e in entries {
        if let Some(why) = unsupported(e) {
            skipped.push((e.display_name(), why));
            continue;
        }
        let (r#type, counter) = match e.otp.method {
            Method::Hotp { counter } => (1, i64::try_from(counter).unwrap_or(i64::MAX)),
            _ => (2, 0),
        };
        params.push(OtpParameters {
            secret: e.otp.secret.as_bytes().to_vec(),
            name: if e.issuer.is_empty() { e.account.clone() } else { format!("{}:{}", e.issuer, e.account) },
            issuer: e.issuer.clone(),
            algorithm: algorithm_number(e.otp.algorithm),
            digits: if e.otp.digits == 8 { 2 } else { 1 },
            r#type,
            counter,
        });
    }
    let chunks: Vec<_> = params.chunks(ACCOUNTS_PER_CODE).collect();
    let uris = chunks
        .iter()
        .enumerate()
        .map(|(i, chunk)| {
            let payload =
                MigrationPayload { otp_parameters: chunk.to_vec(), version: 1, batch_size: chunks.len() as i32, batch_index: i as i32, batch_id };
            let data = BASE64.encode(&payload.encode_to_vec());
            format!("otpauth-migration://offline?data={}", utf8_percent_encode(&data, NON_ALPHANUMERIC))
        })
        .collect();
    (uris, skipped)
}
