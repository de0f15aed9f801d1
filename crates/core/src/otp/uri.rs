//! `otpauth://` Key URIs: parsing what people paste, writing what every authenticator reads.

use std::borrow::Cow;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use unicode_normalization::UnicodeNormalization;
use zeroize::Zeroizing;

use super::{Algorithm, Method, Otp, OtpError, UnknownAlgorithm};
use crate::secret::{Secret, SecretError};

/// What JavaScript's `encodeURIComponent` leaves alone; other apps' parsers expect it.
pub(crate) const COMPONENT: &AsciiSet =
    &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'!').remove(b'~').remove(b'*').remove(b'\'').remove(b'(').remove(b')');

/// One account as an `otpauth://` URI describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyUri {
    pub issuer: String,
    pub account: String,
    pub otp: Otp,
}

/// Text from the input is quoted only where it cannot be part of a key (a key has no `:` or
/// `/`): errors reach terminals, logs and support mails, and a key pasted where a URI was
/// expected used to be repeated in them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UriError {
    /// The scheme, when the text has one; empty otherwise.
    #[error("this is not an otpauth:// URI{}", quoted(" (it starts with ", .0, ")"))]
    NotOtpauth(String),
    /// The type, when a `/` ends it and it is short; empty otherwise.
    #[error("unknown code type{} after otpauth:// (expected totp or hotp)", quoted(" ", .0, ""))]
    UnknownType(String),
    #[error("the URI has no secret= parameter")]
    MissingSecret,
    #[error("the parameter {0} appears more than once")]
    DuplicateParameter(String),
    #[error("the account name is not valid UTF-8 after percent-decoding")]
    LabelEncoding,
    #[error("{name}={value:?} is not a whole number")]
    NotANumber { name: &'static str, value: String },
    #[error("secret: {0}")]
    Secret(#[from] SecretError),
    #[error("algorithm: {0}")]
    Algorithm(#[from] UnknownAlgorithm),
    #[error(transparent)]
    Otp(#[from] OtpError),
    #[error(transparent)]
    Name(#[from] crate::name_limit::NameTooLong),
}

fn quoted(before: &str, text: &str, after: &str) -> String {
    if text.is_empty() { String::new() } else { format!("{before}{text:?}{after}") }
}

/// A URI scheme as RFC 3986 spells one, followed by `://`.
fn scheme_of(text: &str) -> Option<&str> {
    let (scheme, _) = text.split_once("://")?;
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic()) && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    (valid && scheme.len() <= 32).then_some(scheme)
}

#[derive(Default)]
struct Params<'a> {
    secret: Option<Zeroizing<String>>,
    issuer: Option<Cow<'a, str>>,
    algorithm: Option<Cow<'a, str>>,
    digits: Option<Cow<'a, str>>,
    period: Option<Cow<'a, str>>,
    counter: Option<Cow<'a, str>>,
    encoder: Option<Cow<'a, str>>,
}

fn set_once<T>(slot: &mut Option<T>, value: T, name: &str) -> Result<(), UriError> {
    if slot.replace(value).is_some() {
        return Err(UriError::DuplicateParameter(name.to_owned()));
    }
    Ok(())
}

fn number<T: std::str::FromStr>(name: &'static str, value: &str) -> Result<T, UriError> {
    value.trim().parse().map_err(|_| UriError::NotANumber { name, value: value.to_owned() })
}

fn normalized(text: &str) -> String {
    text.nfkc().collect::<String>().trim().to_owned()
}

impl std::str::FromStr for KeyUri {
    type Err = UriError;

    /// Accepts any case in the scheme, type and parameter names, full-width characters,
    /// `+` or `%20` for spaces in parameters, and an issuer in the label, the `issuer`
    /// parameter or both (the parameter wins).
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let text = Zeroizing::new(input.nfkc().collect::<String>());
        let text = text.trim();
        let (scheme, rest) = text.split_once("://").unwrap_or((text, ""));
        if !scheme.eq_ignore_ascii_case("otpauth") {
            return Err(UriError::NotOtpauth(scheme_of(text).unwrap_or_default().to_owned()));
        }
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (kind, label, kind_ended) = match path.split_once('/') {
            Some((kind, label)) => (kind, label, true),
            None => (path, "", false),
        };

        let mut params = Params::default();
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            let key = key.trim().to_ascii_lowercase();
            match key.as_str() {
                "secret" => set_once(&mut params.secret, Zeroizing::new(value.into_owned()), "secret")?,
                "issuer" => set_once(&mut params.issuer, value, "issuer")?,
                "algorithm" => set_once(&mut params.algorithm, value, "algorithm")?,
                "digits" => set_once(&mut params.digits, value, "digits")?,
                "period" => set_once(&mut params.period, value, "period")?,
                "counter" => set_once(&mut params.counter, value, "counter")?,
                "encoder" => set_once(&mut params.encoder, value, "encoder")?,
                _ => {}
            }
        }

        let steam = params.encoder.as_deref().is_some_and(|e| e.trim().eq_ignore_ascii_case("steam"));
        let method = match kind.to_ascii_lowercase().as_str() {
            "steam" => Method::Steam,
            "totp" if steam => Method::Steam,
            "totp" => {
                let period: u64 = match &params.period {
                    Some(p) => number("period", p)?,
                    None => u64::from(Method::DEFAULT_PERIOD),
                };
                let period = u32::try_from(period).ok().filter(|p| *p > 0).ok_or(OtpError::Period(period))?;
                Method::Totp { period }
            }
            "hotp" => Method::Hotp { counter: params.counter.as_deref().map(|c| number("counter", c)).transpose()?.unwrap_or(0) },
            _ => {
                let shown = if kind_ended && kind.len() <= 10 { kind } else { "" };
                return Err(UriError::UnknownType(shown.to_owned()));
            }
        };
        let algorithm = params.algorithm.as_deref().map(str::parse).transpose()?.unwrap_or_default();
        let digits = params.digits.as_deref().map(|d| number("digits", d)).transpose()?.unwrap_or(6);
        let secret = Secret::from_base32(params.secret.as_deref().ok_or(UriError::MissingSecret)?)?;
        let otp = Otp::new(method, algorithm, digits, secret)?;

        let label = percent_decode_str(label).decode_utf8().map_err(|_| UriError::LabelEncoding)?;
        let label = normalized(&label);
        let (issuer, account) = split_label(&label, params.issuer.as_deref().map(normalized));
        crate::name_limit::check_names(&[&issuer, &account])?;
        Ok(KeyUri { issuer, account, otp })
    }
}

/// The issuer parameter wins over a label prefix; the label is split at its first colon
/// and the whole rest is the account, so account names may contain colons.
fn split_label(label: &str, issuer_param: Option<String>) -> (String, String) {
    let issuer_param = issuer_param.filter(|i| !i.is_empty());
    if let Some(issuer) = &issuer_param
        && let Some(rest) = label.strip_prefix(issuer.as_str()).and_then(|r| r.strip_prefix(':'))
    {
        return (issuer.clone(), rest.trim().to_owned());
    }
    match label.split_once(':') {
        Some((prefix, rest)) => (issuer_param.unwrap_or_else(|| prefix.trim().to_owned()), rest.trim().to_owned()),
        None => (issuer_param.unwrap_or_default(), label.to_owned()),
    }
}

impl KeyUri {
    /// The URI with its secret; the caller decides where it may go.
    pub fn to_uri_string(&self) -> Zeroizing<String> {
        let encode = |s: &str| utf8_percent_encode(s, COMPONENT).to_string();
        let kind = match self.otp.method {
            Method::Hotp { .. } => "hotp",
            _ => "totp",
        };
        let mut uri = Zeroizing::new(format!("otpauth://{kind}/"));
        // Without an issuer, a colon in the account would read as the end of an issuer
        // prefix; an empty prefix keeps the whole account intact.
        if !self.issuer.is_empty() || self.account.contains(':') {
            uri.push_str(&encode(&self.issuer));
            uri.push(':');
        }
        uri.push_str(&encode(&self.account));
        uri.push_str("?secret=");
        uri.push_str(&self.otp.secret.to_base32());
        if !self.issuer.is_empty() {
            uri.push_str("&issuer=");
            uri.push_str(&encode(&self.issuer));
        }
        let is_steam = self.otp.method == Method::Steam;
        if !is_steam && self.otp.algorithm != Algorithm::Sha1 {
            uri.push_str(&format!("&algorithm={}", self.otp.algorithm));
        }
        if !is_steam && self.otp.digits != 6 {
            uri.push_str(&format!("&digits={}", self.otp.digits));
        }
        match self.otp.method {
            Method::Totp { period } if period != Method::DEFAULT_PERIOD => uri.push_str(&format!("&period={period}")),
            Method::Hotp { counter } => uri.push_str(&format!("&counter={counter}")),
            Method::Steam => uri.push_str("&encoder=steam"),
            _ => {}
        }
        uri
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(s: &str) -> Result<KeyUri, UriError> {
        s.parse()
    }

    #[test]
    fn google_example() {
        let k = parse("otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example").unwrap();
        assert_eq!((k.issuer.as_str(), k.account.as_str()), ("Example", "alice@google.com"));
        assert_eq!(k.otp.method, Method::Totp { period: 30 });
        assert_eq!((k.otp.algorithm, k.otp.digits), (Algorithm::Sha1, 6));
        assert_eq!(k.otp.secret.to_base32().as_str(), "JBSWY3DPEHPK3PXP");
    }

    #[test]
    fn tolerated_spellings() {
        let cases: &[(&str, &str, &str)] = &[
            ("OTPAUTH://TOTP/Example:alice?SECRET=jbswy3dpehpk3pxp&Issuer=Example", "Example", "alice"),
            ("otpauth://totp/My%20Co:alice?secret=JBSW Y3DP EHPK 3PXP", "My Co", "alice"),
            ("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&issuer=My+Co", "My Co", "x"),
            ("otpauth://totp/My%20Co:alice?secret=JBSWY3DPEHPK3PXP&issuer=Other", "Other", "alice"),
            ("otpauth://totp/My%20Co%3Aalice?secret=JBSWY3DPEHPK3PXP", "My Co", "alice"),
            ("otpauth://totp/Corp:admin:sato?secret=JBSWY3DPEHPK3PXP&issuer=Corp", "Corp", "admin:sato"),
            ("otpauth://totp/a:b:c?secret=JBSWY3DPEHPK3PXP&issuer=a:b", "a:b", "c"),
            ("ｏｔｐａｕｔｈ：／／ｔｏｔｐ／給与:佐藤?ｓｅｃｒｅｔ＝ＪＢＳＷＹ３ＤＰＥＨＰＫ３ＰＸＰ", "給与", "佐藤"),
            ("  otpauth://totp/%E7%B5%A6%E4%B8%8E:%E4%BD%90%E8%97%A4?secret=JBSWY3DPEHPK3PXP==== \n", "給与", "佐藤"),
            ("otpauth://totp/alice+tag@example.com?secret=JBSWY3DPEHPK3PXP", "", "alice+tag@example.com"),
            ("otpauth://totp/?secret=JBSWY3DPEHPK3PXP", "", ""),
            ("otpauth://totp?secret=JBSWY3DPEHPK3PXP&issuer=Solo", "Solo", ""),
        ];
        for (uri, issuer, account) in cases {
            let k = parse(uri).unwrap_or_else(|e| panic!("{uri}: {e}"));
            assert_eq!((k.issuer.as_str(), k.account.as_str()), (*issuer, *account), "{uri}");
        }
    }

    #[test]
    fn parameters() {
        let k = parse("otpauth://totp/A?secret=JBSWY3DPEHPK3PXP&algorithm=sha512&digits=8&period=60").unwrap();
        assert_eq!((k.otp.method, k.otp.algorithm, k.otp.digits), (Method::Totp { period: 60 }, Algorithm::Sha512, 8));
        let k = parse("otpauth://hotp/A?secret=JBSWY3DPEHPK3PXP&counter=300").unwrap();
        assert_eq!(k.otp.method, Method::Hotp { counter: 300 });
        let k = parse("otpauth://hotp/A?secret=JBSWY3DPEHPK3PXP").unwrap();
        assert_eq!(k.otp.method, Method::Hotp { counter: 0 });
        let k = parse("otpauth://totp/Steam:me?secret=JBSWY3DPEHPK3PXP&encoder=steam&digits=5").unwrap();
        assert_eq!((k.otp.method, k.otp.digits), (Method::Steam, 5));
        let k = parse("otpauth://totp/A?secret=JBSWY3DPEHPK3PXP&image=https%3A%2F%2Fx&color=red").unwrap();
        assert_eq!(k.account, "A");
    }

    #[test]
    fn malformed_uris() {
        use UriError::*;
        let cases: Vec<(&str, UriError)> = vec![
            ("", NotOtpauth(String::new())),
            ("JBSWY3DPEHPK3PXP", NotOtpauth(String::new())),
            ("otpauth:/totp/A?secret=JBSWY3DPEHPK3PXP", NotOtpauth(String::new())),
            ("https://example.com/?secret=JBSWY3DPEHPK3PXP", NotOtpauth("https".into())),
            ("otpauth-migration://offline?data=abc", NotOtpauth("otpauth-migration".into())),
            ("otpauth://motp/A?secret=JBSWY3DPEHPK3PXP", UnknownType("motp".into())),
            ("otpauth:///A?secret=JBSWY3DPEHPK3PXP", UnknownType(String::new())),
            ("otpauth://JBSWY3DPEHPK3PXP", UnknownType(String::new())),
            ("otpauth://JBSWY3DPEHPK3PXP/A?secret=JBSWY3DPEHPK3PXP", UnknownType(String::new())),
            ("otpauth://totp/A", MissingSecret),
            ("otpauth://totp/A?issuer=x", MissingSecret),
            ("otpauth://totp/A?secret=", Secret(SecretError::Empty)),
            ("otpauth://totp/A?secret=JBSW0Y3DP", Secret(SecretError::InvalidCharacter('0'))),
            ("otpauth://totp/A?secret=JBSWY3DPE", Secret(SecretError::InvalidLength(9))),
            ("otpauth://totp/A?secret=JBSWY3DPEHPK3PXP&secret=JBSWY3DP", DuplicateParameter("secret".into())),
            ("otpauth://totp/A?secret=JBSWY3DPEHPK3PXP&algorithm=MD5", Algorithm(UnknownAlgorithm("MD5".into()))),
            ("otpauth://totp/A?secret=JBSWY3DPEHPK3PXP&digits=six", NotANumber { name: "digits", value: "six".into() }),
            ("otpauth://totp/A?secret=JBSWY3DPEHPK3PXP&digits=4", Otp(OtpError::Digits(4))),
            ("otpauth://totp/A?secret=JBSWY3DPEHPK3PXP&digits=10", Otp(OtpError::Digits(10))),
            ("otpauth://totp/A?secret=JBSWY3DPEHPK3PXP&period=0", Otp(OtpError::Period(0))),
            ("otpauth://totp/A?secret=JBSWY3DPEHPK3PXP&period=-30", NotANumber { name: "period", value: "-30".into() }),
            ("otpauth://totp/A?secret=JBSWY3DPEHPK3PXP&period=99999999999", Otp(OtpError::Period(99999999999))),
            ("otpauth://hotp/A?secret=JBSWY3DPEHPK3PXP&counter=1e3", NotANumber { name: "counter", value: "1e3".into() }),
            ("otpauth://totp/%FF%FE?secret=JBSWY3DPEHPK3PXP", LabelEncoding),
        ];
        for (uri, want) in cases {
            assert_eq!(parse(uri), Err(want), "{uri:?}");
        }
    }

    #[test]
    fn accounts_with_colons_and_no_issuer_round_trip() {
        // Found by fuzzing: "otpauth://hotp/://VPN:sato" has an empty issuer prefix.
        let k = parse("otpauth://hotp/://VPN:sato?secret=MZXW6YTBOI").unwrap();
        assert_eq!((k.issuer.as_str(), k.account.as_str()), ("", "//VPN:sato"));
        let written = k.to_uri_string();
        assert!(written.starts_with("otpauth://hotp/:%2F%2FVPN%3Asato?"), "{}", written.as_str());
        assert_eq!(parse(&written).unwrap(), k);
    }

    #[test]
    fn errors_never_show_the_secret() {
        for text in [
            "otpauth://totp/A?secret=JBSWY3DPEHPK3PX1",
            "JBSWY3DPEHPK3PXP",
            "JBSW Y3DP EHPK 3PXP",
            "otpauth:JBSWY3DPEHPK3PXP",
            "otpauth://JBSWY3DPEHPK3PXP",
            "otpauth://JBSWY3DPEHPK3PXP/A?secret=JBSWY3DPEHPK3PXP",
        ] {
            let e = parse(text).unwrap_err();
            for shown in [e.to_string(), format!("{e:?}")] {
                assert!(!shown.contains("JBSW") && !shown.contains("3PXP"), "{text}: {shown}");
            }
        }
        assert_eq!(parse("").unwrap_err().to_string(), "this is not an otpauth:// URI");
        assert_eq!(parse("https://example.com").unwrap_err().to_string(), "this is not an otpauth:// URI (it starts with \"https\")");
    }

    #[test]
    fn writes_encode_uri_component() {
        let k = KeyUri {
            issuer: "給与 システム".into(),
            account: "sato+1@example.com#a:b".into(),
            otp: super::super::Otp::new(Method::Totp { period: 60 }, Algorithm::Sha256, 8, Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap()).unwrap(),
        };
        assert_eq!(
            k.to_uri_string().as_str(),
            "otpauth://totp/%E7%B5%A6%E4%B8%8E%20%E3%82%B7%E3%82%B9%E3%83%86%E3%83%A0:sato%2B1%40example.com%23a%3Ab\
             ?secret=JBSWY3DPEHPK3PXP&issuer=%E7%B5%A6%E4%B8%8E%20%E3%82%B7%E3%82%B9%E3%83%86%E3%83%A0\
             &algorithm=SHA256&digits=8&period=60"
        );
    }

    fn name() -> impl Strategy<Value = String> {
        // Names as NFKC leaves them and trimmed, since parsing normalizes both.
        proptest::string::string_regex("[a-zA-Z0-9 :@#&%+?=/.給与佐藤花子システム🔐-]{0,24}").unwrap().prop_map(|s| normalized(&s))
    }

    proptest! {
        #[test]
        fn round_trip(issuer in name(), account in name(), key in proptest::collection::vec(any::<u8>(), 1..64),
                      kind in 0u8..4, period in 1u32..400, counter in any::<u64>(), digits in 6u32..=8,
                      alg in prop_oneof![Just(Algorithm::Sha1), Just(Algorithm::Sha256), Just(Algorithm::Sha512)]) {
            let method = match kind {
                0 => Method::Totp { period },
                1 => Method::Hotp { counter },
                2 => Method::Steam,
                _ => Method::Totp { period: 30 },
            };
            let original = KeyUri { issuer, account, otp: Otp::new(method, alg, digits, Secret::from_bytes(key)).unwrap() };
            let text = original.to_uri_string();
            let parsed: KeyUri = text.parse().unwrap();
            prop_assert_eq!(parsed, original);
        }

        #[test]
        fn never_panics(s in "\\PC{0,200}") {
            let _ = s.parse::<KeyUri>();
        }

        #[test]
        fn never_panics_on_near_uris(tail in "[a-zA-Z0-9%=&?:/+ ._-]{0,120}") {
            let _ = format!("otpauth://totp/{tail}").parse::<KeyUri>();
            let _ = format!("otpauth://hotp/A?secret=JBSWY3DPEHPK3PXP&{tail}").parse::<KeyUri>();
        }
    }
}
