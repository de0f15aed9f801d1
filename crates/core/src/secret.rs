//! OTP shared secrets: parsing what people type or paste, and keeping the bytes out of
//! logs and memory once they are no longer needed.

use std::fmt;
use std::str::FromStr;

use std::sync::LazyLock;

use data_encoding::{BASE32_NOPAD, Encoding};
use unicode_normalization::UnicodeNormalization;
use zeroize::{Zeroize, Zeroizing};

/// Base32 decoding that ignores non-zero bits after the last byte: other authenticators
/// accept such keys, and a typo in the last letter should give a wrong code the user can
/// see, not a key they cannot enter at all.
static BASE32_LENIENT: LazyLock<Encoding> = LazyLock::new(|| {
    let mut spec = BASE32_NOPAD.specification();
    spec.check_trailing_bits = false;
    spec.encoding().expect("RFC 4648 alphabet is a valid specification")
});

/// Raw key bytes of an OTP account. Zeroized on drop; `Debug` never shows them.
#[derive(Clone, PartialEq, Eq, Zeroize)]
#[zeroize(drop)]
pub struct Secret(Vec<u8>);

/// The messages name the kind of character, never the character: they end up in terminals,
/// logs and support mails, and even one letter is part of the key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    #[error("the key is empty")]
    Empty,
    /// The character is kept for the app, which shows it beside the field it was typed in.
    #[error("the key contains {}, which no base32 key holds ({})", kind_of(*.0).0, kind_of(*.0).1)]
    InvalidCharacter(char),
    #[error("the key has {0} base32 letters, a length no key can have (check for a missing or extra letter)")]
    InvalidLength(usize),
}

/// What a character that no base32 key holds is, in words, and what to check.
fn kind_of(c: char) -> (&'static str, &'static str) {
    const ONLY: &str = "only A–Z and 2–7";
    match c {
        '0' | '1' | '8' | '9' => ("a digit other than 2–7", "check for the letter O typed as 0, or I as 1"),
        c if c.is_alphabetic() => ("a letter outside A–Z", ONLY),
        c if c.is_control() => ("a control character", ONLY),
        c if c.is_whitespace() => ("a space other than a plain one", ONLY),
        c if c.is_ascii_punctuation() => ("a punctuation mark", "only A–Z and 2–7; spaces, hyphens and = may stand between them"),
        _ => ("a symbol", ONLY),
    }
}

impl Secret {
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        Secret(bytes)
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Upper-case base32 without padding: the form authenticators exchange.
    pub fn to_base32(&self) -> Zeroizing<String> {
        Zeroizing::new(BASE32_NOPAD.encode(&self.0))
    }

    /// Parses a base32 key the way people paste it: any case, spaces, hyphens, `=` padding
    /// and full-width characters are accepted.
    pub fn from_base32(text: &str) -> Result<Self, SecretError> {
        let mut cleaned = Zeroizing::new(String::with_capacity(text.len()));
        for c in text.nfkc() {
            match c {
                ' ' | '\t' | '\r' | '\n' | '-' | '=' => {}
                'a'..='z' => cleaned.push(c.to_ascii_uppercase()),
                'A'..='Z' | '2'..='7' => cleaned.push(c),
                other => return Err(SecretError::InvalidCharacter(other)),
            }
        }
        if cleaned.is_empty() {
            return Err(SecretError::Empty);
        }
        BASE32_LENIENT.decode(cleaned.as_bytes()).map(Secret).map_err(|_| SecretError::InvalidLength(cleaned.len()))
    }

    /// A hex key as other apps store them (the extension's "hex" accounts): either case,
    /// whitespace ignored. `None` when it is not hex or empty.
    pub fn from_hex(text: &str) -> Option<Self> {
        let cleaned: Zeroizing<String> = Zeroizing::new(text.chars().filter(|c| !c.is_whitespace()).collect());
        data_encoding::HEXLOWER_PERMISSIVE.decode(cleaned.as_bytes()).ok().filter(|b| !b.is_empty()).map(Secret)
    }
}

impl FromStr for Secret {
    type Err = SecretError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Secret::from_base32(s)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret(<{} bytes redacted>)", self.0.len())
    }
}

impl serde::Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_base32())
    }
}

impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Zeroizing::new(String::deserialize(deserializer)?);
        Secret::from_base32(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tolerant_base32() {
        let want = Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap();
        for pasted in [
            "jbswy3dpehpk3pxp",
            "JBSW Y3DP EHPK 3PXP",
            "jbsw-y3dp-ehpk-3pxp",
            "JBSWY3DPEHPK3PXP====",
            "ＪＢＳＷＹ３ＤＰＥＨＰＫ３ＰＸＰ",
            " JBSWY3DPEHPK3PXP\n",
        ] {
            assert_eq!(Secret::from_base32(pasted).unwrap(), want, "{pasted}");
        }
        assert_eq!(want.as_bytes(), b"Hello!\xde\xad\xbe\xef");
    }

    #[test]
    fn errors_name_the_problem() {
        assert_eq!(Secret::from_base32("  "), Err(SecretError::Empty));
        assert_eq!(Secret::from_base32("JBSW1"), Err(SecretError::InvalidCharacter('1')));
        assert_eq!(Secret::from_base32("JBSWY3DPE"), Err(SecretError::InvalidLength(9)));
    }

    #[test]
    fn errors_name_the_kind_of_character_never_the_character() {
        for (one, other, kind) in [
            ('1', '9', "a digit other than 2–7"),
            ('Ä', 'ж', "a letter outside A–Z"),
            ('\u{7}', '\u{1b}', "a control character"),
            ('\u{2028}', '\u{1680}', "a space other than a plain one"),
            ('+', '#', "a punctuation mark"),
            ('€', '→', "a symbol"),
        ] {
            let shown = |c: char| Secret::from_base32(&format!("JBSW{c}Y3DP")).unwrap_err().to_string();
            assert!(shown(one).contains(kind), "{}", shown(one));
            assert_eq!(shown(one), shown(other), "the message does not depend on the character");
        }
    }

    #[test]
    fn debug_hides_bytes() {
        let s = Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap();
        let shown = format!("{s:?}");
        assert!(!shown.contains("JBSW") && !shown.contains("72"), "{shown}");
    }
}
