//! The vault file's layout, as pure functions over bytes.
//!
//! ```text
//! "NINSHO-VAULT\n" | header length (u32 LE) | header JSON | nonce (12) | AES-GCM ciphertext+tag
//! ```
//! Everything before the nonce is the associated data of the contents, so changing any
//! byte of the file (a slot, a cost parameter, even JSON whitespace) makes it refuse to open.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::crypto::{CryptoError, KdfParams, NONCE_LEN, TooCostly};

pub const MAGIC: &[u8] = b"NINSHO-VAULT\n";
pub const FORMAT_VERSION: u32 = 1;
const MAX_HEADER_LEN: usize = 64 * 1024;
/// Ninsho writes one passphrase slot; a second leaves room for another kind later (a
/// recovery key, say). At [`KdfParams::MAX_WORK`] each, a file costs two seconds at worst.
pub const MAX_PASSPHRASE_SLOTS: usize = 2;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub version: u32,
    pub vault_id: Uuid,
    pub slots: Vec<Slot>,
}

/// One way to unlock the data key, as in Aegis's design: the data key wrapped by AES-GCM
/// under a key from the OS keyring or from a passphrase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Slot {
    Keyring {
        id: Uuid,
        #[serde(with = "b64_array")]
        nonce: [u8; NONCE_LEN],
        #[serde(with = "b64")]
        wrapped_key: Vec<u8>,
    },
    Passphrase {
        id: Uuid,
        kdf: KdfParams,
        #[serde(with = "b64")]
        salt: Vec<u8>,
        #[serde(with = "b64_array")]
        nonce: [u8; NONCE_LEN],
        #[serde(with = "b64")]
        wrapped_key: Vec<u8>,
    },
}

impl Slot {
    pub fn id(&self) -> Uuid {
        match self {
            Slot::Keyring { id, .. } | Slot::Passphrase { id, .. } => *id,
        }
    }

    /// Binds a wrapped key to its slot so that slots cannot be swapped.
    pub fn aad(id: &Uuid) -> Vec<u8> {
        [b"ninsho-slot:".as_slice(), id.as_bytes()].concat()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnvelopeError {
    #[error("it is not a Ninsho vault file (it does not start with the vault signature)")]
    NotAVault,
    #[error("the file is cut short ({0} bytes)")]
    Truncated(usize),
    #[error("the header length {0} is impossible")]
    HeaderLength(u32),
    #[error("the header is not valid: {0}")]
    Header(String),
    #[error("vault format version {0} is newer than this Ninsho understands; update Ninsho")]
    UnsupportedVersion(u32),
    #[error("the header lists no way to unlock the vault")]
    NoSlots,
    #[error(transparent)]
    TooCostly(TooCostly),
}

/// A parsed file. `aad` borrows the exact bytes the contents were sealed with.
#[derive(Debug)]
pub struct Envelope<'a> {
    pub header: Header,
    pub aad: &'a [u8],
    pub nonce: [u8; NONCE_LEN],
    pub ciphertext: &'a [u8],
}

/// The bytes before the nonce: signature, length and header JSON.
pub fn header_bytes(header: &Header) -> Vec<u8> {
    let json = serde_json::to_vec(header).expect("a header always serializes");
    let mut out = Vec::with_capacity(MAGIC.len() + 4 + json.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(json.len() as u32).to_le_bytes());
    out.extend_from_slice(&json);
    out
}

pub fn decode(bytes: &[u8]) -> Result<Envelope<'_>, EnvelopeError> {
    if bytes.len() < MAGIC.len() {
        return Err(if MAGIC.starts_with(bytes) { EnvelopeError::Truncated(bytes.len()) } else { EnvelopeError::NotAVault });
    }
    if !bytes.starts_with(MAGIC) {
        return Err(EnvelopeError::NotAVault);
    }
    let rest = &bytes[MAGIC.len()..];
    let len_bytes: [u8; 4] = rest.get(..4).and_then(|b| b.try_into().ok()).ok_or(EnvelopeError::Truncated(bytes.len()))?;
    let header_len = u32::from_le_bytes(len_bytes);
    if header_len as usize > MAX_HEADER_LEN {
        return Err(EnvelopeError::HeaderLength(header_len));
    }
    let aad_len = MAGIC.len() + 4 + header_len as usize;
    // The smallest valid ciphertext is the 16-byte tag over empty contents.
    if bytes.len() < aad_len + NONCE_LEN + 16 {
        return Err(EnvelopeError::Truncated(bytes.len()));
    }
    let header: Header = serde_json::from_slice(&bytes[MAGIC.len() + 4..aad_len]).map_err(|e| EnvelopeError::Header(e.to_string()))?;
    if header.version > FORMAT_VERSION {
        return Err(EnvelopeError::UnsupportedVersion(header.version));
    }
    if header.slots.is_empty() {
        return Err(EnvelopeError::NoSlots);
    }
    check_cost(&header)?;
    let nonce = bytes[aad_len..aad_len + NONCE_LEN].try_into().expect("length checked above");
    Ok(Envelope { header, aad: &bytes[..aad_len], nonce, ciphertext: &bytes[aad_len + NONCE_LEN..] })
}

/// Every passphrase slot is checked before any is tried, so that a costly slot behind a
/// cheap one is refused too, and the file is named costly rather than the passphrase wrong.
fn check_cost(header: &Header) -> Result<(), EnvelopeError> {
    let kdfs: Vec<&KdfParams> = header
        .slots
        .iter()
        .filter_map(|s| match s {
            Slot::Passphrase { kdf, .. } => Some(kdf),
            Slot::Keyring { .. } => None,
        })
        .collect();
    if kdfs.len() > MAX_PASSPHRASE_SLOTS {
        return Err(EnvelopeError::TooCostly(TooCostly { what: "passphrase slots", value: kdfs.len() as u64, max: MAX_PASSPHRASE_SLOTS as u64 }));
    }
    for kdf in kdfs {
        kdf.check().map_err(|e| match e {
            CryptoError::TooCostly(c) => EnvelopeError::TooCostly(c),
            other => EnvelopeError::Header(other.to_string()),
        })?;
    }
    Ok(())
}

pub fn encode(aad: &[u8], nonce: &[u8; NONCE_LEN], ciphertext: &[u8]) -> Vec<u8> {
    [aad, nonce.as_slice(), ciphertext].concat()
}

pub(super) mod b64 {
    use data_encoding::BASE64;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&BASE64.encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(d)?;
        BASE64.decode(text.as_bytes()).map_err(serde::de::Error::custom)
    }
}

pub(super) mod b64_array {
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer, const N: usize>(bytes: &[u8; N], s: S) -> Result<S::Ok, S::Error> {
        super::b64::serialize(bytes, s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>, const N: usize>(d: D) -> Result<[u8; N], D::Error> {
        let v = super::b64::deserialize(d)?;
        let len = v.len();
        v.try_into().map_err(|_| serde::de::Error::custom(format!("expected {N} bytes, found {len}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> Header {
        Header {
            version: FORMAT_VERSION,
            vault_id: Uuid::new_v4(),
            slots: vec![Slot::Keyring { id: Uuid::new_v4(), nonce: [1; NONCE_LEN], wrapped_key: vec![2; 48] }],
        }
    }

    #[test]
    fn encode_decode() {
        let h = header();
        let aad = header_bytes(&h);
        let file = encode(&aad, &[9; NONCE_LEN], &[5; 40]);
        let env = decode(&file).unwrap();
        assert_eq!(env.header, h);
        assert_eq!(env.aad, aad.as_slice());
        assert_eq!(env.nonce, [9; NONCE_LEN]);
        assert_eq!(env.ciphertext, &[5; 40]);
    }

    #[test]
    fn malformed_files() {
        let h = header();
        let good = encode(&header_bytes(&h), &[9; NONCE_LEN], &[5; 40]);
        assert_eq!(decode(b"").unwrap_err(), EnvelopeError::Truncated(0));
        assert_eq!(decode(b"NINSHO").unwrap_err(), EnvelopeError::Truncated(6));
        assert_eq!(decode(b"{\"accounts\": []}").unwrap_err(), EnvelopeError::NotAVault);
        assert_eq!(decode(&good[..MAGIC.len() + 2]).unwrap_err(), EnvelopeError::Truncated(MAGIC.len() + 2));
        for cut in [MAGIC.len() + 10, good.len() - 41, good.len() - 30] {
            assert!(matches!(decode(&good[..cut]), Err(EnvelopeError::Truncated(_))), "cut at {cut}");
        }
        let mut huge = good.clone();
        huge[MAGIC.len()..MAGIC.len() + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(decode(&huge).unwrap_err(), EnvelopeError::HeaderLength(u32::MAX));

        let future = Header { version: 9, ..h.clone() };
        let file = encode(&header_bytes(&future), &[0; NONCE_LEN], &[0; 16]);
        assert_eq!(decode(&file).unwrap_err(), EnvelopeError::UnsupportedVersion(9));
        let empty = Header { slots: vec![], ..h };
        let file = encode(&header_bytes(&empty), &[0; NONCE_LEN], &[0; 16]);
        assert_eq!(decode(&file).unwrap_err(), EnvelopeError::NoSlots);
    }

    fn passphrase_slot(m_cost: u32, t_cost: u32) -> Slot {
        let kdf = KdfParams { m_cost, t_cost, p_cost: 1 };
        Slot::Passphrase { id: Uuid::new_v4(), kdf, salt: vec![3; 16], nonce: [4; NONCE_LEN], wrapped_key: vec![5; 48] }
    }

    fn decode_slots(slots: Vec<Slot>) -> Result<Header, EnvelopeError> {
        let h = Header { slots, ..header() };
        decode(&encode(&header_bytes(&h), &[0; NONCE_LEN], &[0; 16])).map(|e| e.header)
    }

    #[test]
    fn costs_up_to_the_caps_decode_and_beyond_them_are_refused() {
        let keyring = header().slots.remove(0);
        let at_caps = vec![keyring.clone(), passphrase_slot(KdfParams::MAX_M_COST, 3), passphrase_slot(64 * 1024, 12)];
        decode_slots(at_caps).unwrap();
        let too = |what, value, max| Err(EnvelopeError::TooCostly(TooCostly { what, value, max }));
        assert_eq!(decode_slots(vec![passphrase_slot(KdfParams::MAX_M_COST + 1, 1)]), too("Argon2 memory in KiB", 256 * 1024 + 1, 256 * 1024));
        assert_eq!(decode_slots(vec![passphrase_slot(64 * 1024, 13)]), too("Argon2 memory × passes in KiB", 64 * 1024 * 13, KdfParams::MAX_WORK));
        let three = (0..3).map(|_| passphrase_slot(8 * 1024, 1)).collect();
        assert_eq!(decode_slots(three), too("passphrase slots", 3, 2));
        let many_keyrings = (0..100).map(|_| keyring.clone()).chain([passphrase_slot(8 * 1024, 1)]).collect();
        decode_slots(many_keyrings).expect("keyring slots cost no derivation");
        assert!(matches!(decode_slots(vec![passphrase_slot(1024, 1)]), Err(EnvelopeError::Header(_))), "an impossible cost is a bad header");
    }

    proptest::proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400)) {
            let _ = decode(&bytes);
            let mut prefixed = MAGIC.to_vec();
            prefixed.extend_from_slice(&bytes);
            let _ = decode(&prefixed);
        }
    }
}
