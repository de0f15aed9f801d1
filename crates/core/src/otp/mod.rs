//! One-time codes: HOTP (RFC 4226), TOTP (RFC 6238), Steam Guard and Battle.net.
//!
//! All four are the same HMAC-and-truncate step over a counter; they differ in where the
//! counter comes from and how the 31-bit result becomes text. Time is always an argument.

pub mod uri;

use std::fmt;
use std::str::FromStr;

use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};

use crate::secret::Secret;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Algorithm {
    #[default]
    Sha1,
    Sha256,
    Sha512,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown algorithm {0:?} (expected SHA1, SHA256 or SHA512)")]
pub struct UnknownAlgorithm(pub String);

impl FromStr for Algorithm {
    type Err = UnknownAlgorithm;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_uppercase().replace('-', "").as_str() {
            "SHA1" => Ok(Algorithm::Sha1),
            "SHA256" => Ok(Algorithm::Sha256),
            "SHA512" => Ok(Algorithm::Sha512),
            _ => Err(UnknownAlgorithm(s.to_owned())),
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha256 => "SHA256",
            Algorithm::Sha512 => "SHA512",
        })
    }
}

/// Where the moving factor comes from and how the code is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Method {
    Totp {
        period: u32,
    },
    Hotp {
        counter: u64,
    },
    /// Steam Guard: SHA1, 30 s, five characters from Steam's alphabet.
    Steam,
    /// Battle.net authenticator: SHA1, 30 s, eight digits.
    Battle,
}

impl Method {
    pub const DEFAULT_PERIOD: u32 = 30;

    pub fn type_name(&self) -> &'static str {
        match self {
            Method::Totp { .. } => "totp",
            Method::Hotp { .. } => "hotp",
            Method::Steam => "steam",
            Method::Battle => "battle",
        }
    }

    /// Seconds a code stays valid; `None` for counter-based codes.
    pub fn period(&self) -> Option<u32> {
        match *self {
            Method::Totp { period } => Some(period),
            Method::Hotp { .. } => None,
            Method::Steam | Method::Battle => Some(Self::DEFAULT_PERIOD),
        }
    }

    pub fn counter(&self) -> Option<u64> {
        match *self {
            Method::Hotp { counter } => Some(counter),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OtpError {
    #[error("{0} digits is not supported (codes have 6, 7 or 8 digits)")]
    Digits(u32),
    #[error("a period of {0} seconds is not supported (it must be at least 1 second)")]
    Period(u64),
    #[error("the key is empty")]
    EmptySecret,
    #[error("the key is {0} bytes long; keys over 1,024 bytes are refused (real keys have 10 to 64)")]
    KeyTooLong(usize),
}

/// Everything needed to compute codes for one account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Otp {
    #[serde(flatten)]
    pub method: Method,
    pub algorithm: Algorithm,
    pub digits: u8,
    pub secret: Secret,
}

/// A code and the window in which it is valid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Code {
    pub code: String,
    /// Unix time (seconds) at which this code started to be valid; `None` for HOTP.
    pub valid_from: Option<u64>,
    /// Unix time (seconds) at which this code stops being valid; `None` for HOTP.
    pub expires_at: Option<u64>,
}

const STEAM_ALPHABET: &[u8; 26] = b"23456789BCDFGHJKMNPQRTVWXY";

impl Otp {
    pub const MIN_DIGITS: u8 = 6;
    pub const MAX_DIGITS: u8 = 8;
    /// Real keys are 10 to 64 bytes; anything far beyond is a mistake or an attack on the
    /// vault's size, never a key a service issued.
    pub const MAX_SECRET_BYTES: usize = 1024;

    /// Checks the parameters; every constructor path ends here so an `Otp` can always
    /// produce a code.
    pub fn new(method: Method, algorithm: Algorithm, digits: u32, secret: Secret) -> Result<Self, OtpError> {
        let (algorithm, digits) = match method {
            Method::Steam => (Algorithm::Sha1, 5),
            Method::Battle => (Algorithm::Sha1, 8),
            Method::Totp { period: 0 } => return Err(OtpError::Period(0)),
            Method::Totp { .. } | Method::Hotp { .. } => {
                if !(u32::from(Self::MIN_DIGITS)..=u32::from(Self::MAX_DIGITS)).contains(&digits) {
                    return Err(OtpError::Digits(digits));
                }
                (algorithm, digits as u8)
            }
        };
        if secret.is_empty() {
            return Err(OtpError::EmptySecret);
        }
        if secret.len() > Self::MAX_SECRET_BYTES {
            return Err(OtpError::KeyTooLong(secret.len()));
        }
        Ok(Otp { method, algorithm, digits, secret })
    }

    /// The code at `unix_time` (seconds). HOTP ignores the time and uses its counter.
    pub fn code_at(&self, unix_time: u64) -> Code {
        match self.method.period() {
            Some(period) => {
                let period = u64::from(period.max(1));
                let step = unix_time / period;
                Code {
                    code: self.code_for_counter(step),
                    valid_from: Some(step * period),
                    expires_at: Some(step.saturating_add(1).saturating_mul(period)),
                }
            }
            None => Code { code: self.code_for_counter(self.method.counter().unwrap_or_default()), valid_from: None, expires_at: None },
        }
    }

    /// The code to hand to the user at `unix_time`: the current one, or the next one when
    /// fewer than `min_remaining` seconds are left, since a site would likely receive the
    /// current one too late and count a failed attempt. The flag says the next one was chosen.
    pub fn code_to_copy(&self, unix_time: u64, min_remaining: u64) -> (Code, bool) {
        let current = self.code_at(unix_time);
        match current.expires_at {
            Some(expires) if expires.saturating_sub(unix_time) < min_remaining => (self.code_at(expires), true),
            _ => (current, false),
        }
    }

    /// RFC 4226 section 5.3: HMAC over the big-endian counter, dynamic truncation.
    pub fn code_for_counter(&self, counter: u64) -> String {
        let value = truncate(&hmac(self.algorithm, self.secret.as_bytes(), &counter.to_be_bytes()));
        match self.method {
            Method::Steam => {
                let mut v = value;
                (0..5)
                    .map(|_| {
                        let c = STEAM_ALPHABET[(v % 26) as usize] as char;
                        v /= 26;
                        c
                    })
                    .collect()
            }
            _ => {
                let digits = usize::from(self.digits);
                let modulus = 10u64.pow(u32::from(self.digits));
                format!("{:0digits$}", u64::from(value) % modulus)
            }
        }
    }
}

fn hmac(algorithm: Algorithm, key: &[u8], message: &[u8]) -> Vec<u8> {
    fn run<M: Mac + KeyInit>(key: &[u8], message: &[u8]) -> Vec<u8> {
        let mut mac = <M as KeyInit>::new_from_slice(key).expect("HMAC takes keys of any length");
        mac.update(message);
        mac.finalize().into_bytes().to_vec()
    }
    match algorithm {
        Algorithm::Sha1 => run::<Hmac<sha1::Sha1>>(key, message),
        Algorithm::Sha256 => run::<Hmac<sha2::Sha256>>(key, message),
        Algorithm::Sha512 => run::<Hmac<sha2::Sha512>>(key, message),
    }
}

fn truncate(mac: &[u8]) -> u32 {
    let offset = usize::from(mac[mac.len() - 1] & 0x0f);
    u32::from_be_bytes([mac[offset], mac[offset + 1], mac[offset + 2], mac[offset + 3]]) & 0x7fff_ffff
}

#[cfg(test)]
mod tests {
    use super::*;

    fn otp(method: Method, algorithm: Algorithm, digits: u32, key: &[u8]) -> Otp {
        Otp::new(method, algorithm, digits, Secret::from_bytes(key.to_vec())).unwrap()
    }

    const RFC4226_KEY: &[u8] = b"12345678901234567890";

    #[test]
    fn rfc4226_appendix_d() {
        let want = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"];
        for (counter, expected) in want.iter().enumerate() {
            let o = otp(Method::Hotp { counter: counter as u64 }, Algorithm::Sha1, 6, RFC4226_KEY);
            assert_eq!(o.code_at(0).code, *expected, "counter {counter}");
            assert_eq!(o.code_at(0).expires_at, None);
        }
    }

    #[test]
    fn rfc6238_appendix_b() {
        let sha1 = RFC4226_KEY;
        let sha256 = b"12345678901234567890123456789012";
        let sha512 = b"1234567890123456789012345678901234567890123456789012345678901234";
        let table: [(u64, &str, &str, &str); 6] = [
            (59, "94287082", "46119246", "90693936"),
            (1111111109, "07081804", "68084774", "25091201"),
            (1111111111, "14050471", "67062674", "99943326"),
            (1234567890, "89005924", "91819424", "93441116"),
            (2000000000, "69279037", "90698825", "38618901"),
            (20000000000, "65353130", "77737706", "47863826"),
        ];
        for (time, c1, c256, c512) in table {
            let totp = |alg, key: &[u8]| otp(Method::Totp { period: 30 }, alg, 8, key).code_at(time).code;
            assert_eq!(totp(Algorithm::Sha1, sha1), c1, "SHA1 at {time}");
            assert_eq!(totp(Algorithm::Sha256, sha256), c256, "SHA256 at {time}");
            assert_eq!(totp(Algorithm::Sha512, sha512), c512, "SHA512 at {time}");
        }
    }

    #[test]
    fn expiry_is_the_end_of_the_window() {
        let o = otp(Method::Totp { period: 30 }, Algorithm::Sha1, 6, RFC4226_KEY);
        let c = o.code_at(1_000_000_005);
        assert_eq!(c.valid_from, Some(1_000_000_000 - 1_000_000_000 % 30));
        assert_eq!(c.expires_at, Some(c.valid_from.unwrap() + 30));
        let o = otp(Method::Totp { period: 1 }, Algorithm::Sha1, 6, RFC4226_KEY);
        assert_eq!(o.code_at(7).expires_at, Some(8));
    }

    #[test]
    fn copying_near_the_end_of_a_window_takes_the_next_code() {
        let o = otp(Method::Totp { period: 30 }, Algorithm::Sha1, 8, RFC4226_KEY);
        assert_eq!(o.code_to_copy(31, 3), (o.code_at(31), false));
        assert_eq!(o.code_to_copy(57, 3), (o.code_at(57), false));
        let (code, next) = o.code_to_copy(58, 3);
        assert!(next);
        assert_eq!(code, o.code_at(60));
        assert_eq!(code.valid_from, Some(60));
        let hotp = otp(Method::Hotp { counter: 5 }, Algorithm::Sha1, 6, RFC4226_KEY);
        assert_eq!(hotp.code_to_copy(58, 3), (hotp.code_at(0), false));
    }

    #[test]
    fn steam_uses_its_alphabet() {
        let o = otp(Method::Steam, Algorithm::Sha512, 8, RFC4226_KEY);
        assert_eq!((o.algorithm, o.digits), (Algorithm::Sha1, 5));
        // Same HMAC as RFC 6238's HOTP vector for counter 1 (t=59): 0x41397eea -> base-26 digits.
        let code = o.code_at(59).code;
        let mut v: u32 = 0x41397eea;
        let want: String = (0..5)
            .map(|_| {
                let c = STEAM_ALPHABET[(v % 26) as usize] as char;
                v /= 26;
                c
            })
            .collect();
        assert_eq!(code, want);
        assert!(code.chars().all(|c| STEAM_ALPHABET.contains(&(c as u8))));
    }

    #[test]
    fn battle_is_eight_digit_sha1() {
        let o = otp(Method::Battle, Algorithm::Sha256, 6, RFC4226_KEY);
        assert_eq!(o.code_at(59).code, "94287082");
    }

    #[test]
    fn rejects_bad_parameters() {
        let key = || Secret::from_bytes(RFC4226_KEY.to_vec());
        assert_eq!(Otp::new(Method::Totp { period: 30 }, Algorithm::Sha1, 5, key()), Err(OtpError::Digits(5)));
        assert_eq!(Otp::new(Method::Totp { period: 30 }, Algorithm::Sha1, 9, key()), Err(OtpError::Digits(9)));
        assert_eq!(Otp::new(Method::Totp { period: 0 }, Algorithm::Sha1, 6, key()), Err(OtpError::Period(0)));
        assert_eq!(Otp::new(Method::Totp { period: 30 }, Algorithm::Sha1, 6, Secret::from_bytes(vec![])), Err(OtpError::EmptySecret));
    }

    #[test]
    fn algorithm_names() {
        for (text, alg) in [("sha1", Algorithm::Sha1), ("SHA-256", Algorithm::Sha256), (" Sha512 ", Algorithm::Sha512)] {
            assert_eq!(text.parse::<Algorithm>().unwrap(), alg);
        }
        assert!("MD5".parse::<Algorithm>().is_err());
        assert_eq!(Algorithm::Sha256.to_string().parse::<Algorithm>().unwrap(), Algorithm::Sha256);
    }
}
