//! The two primitives the vault uses: AES-256-GCM and Argon2id.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;
use zeroize::Zeroizing;

pub const KEY_LEN: usize = 32;
pub const NONCE_LEN: usize = 12;
pub const SALT_LEN: usize = 16;

pub type Key = Zeroizing<[u8; KEY_LEN]>;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    #[error("the data does not decrypt with this key (wrong key, or the data was changed)")]
    Decrypt,
    #[error("Argon2 parameters out of range: {0}")]
    KdfParams(String),
    #[error(transparent)]
    TooCostly(#[from] TooCostly),
    #[error("the operating system's random number generator failed: {0}")]
    Random(String),
}

/// A key-derivation cost a file asks for that is over Ninsho's cap: refused before any
/// derivation runs, since a crafted file could otherwise keep Ninsho busy for hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the file asks for far more key derivation than Ninsho ever does ({what}: {value}, at most {max}), so the passphrase was not tried")]
pub struct TooCostly {
    pub what: &'static str,
    pub value: u64,
    pub max: u64,
}

pub fn random_bytes<const N: usize>() -> Result<[u8; N], CryptoError> {
    let mut out = [0u8; N];
    getrandom::fill(&mut out).map_err(|e| CryptoError::Random(e.to_string()))?;
    Ok(out)
}

pub fn random_key() -> Result<Key, CryptoError> {
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    getrandom::fill(key.as_mut()).map_err(|e| CryptoError::Random(e.to_string()))?;
    Ok(key)
}

pub fn seal(key: &[u8; KEY_LEN], nonce: &[u8; NONCE_LEN], plaintext: &[u8], aad: &[u8]) -> Vec<u8> {
    Aes256Gcm::new(key.into()).encrypt(&Nonce::from(*nonce), Payload { msg: plaintext, aad }).expect("AES-GCM encrypts any message under 64 GiB")
}

pub fn open(key: &[u8; KEY_LEN], nonce: &[u8; NONCE_LEN], ciphertext: &[u8], aad: &[u8]) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    Aes256Gcm::new(key.into()).decrypt(&Nonce::from(*nonce), Payload { msg: ciphertext, aad }).map(Zeroizing::new).map_err(|_| CryptoError::Decrypt)
}

/// Argon2id cost, stored with each passphrase slot so it can be raised later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    /// Memory in KiB.
    pub m_cost: u32,
    pub t_cost: u32,
    pub p_cost: u32,
}

impl KdfParams {
    /// 64 MiB, 3 passes: about a quarter of a second on a 2-core office PC, well above
    /// OWASP's minimum, and the same cost whichever PC opens the file.
    pub const DEFAULT: KdfParams = KdfParams { m_cost: 64 * 1024, t_cost: 3, p_cost: 1 };

    /// 256 MiB, four times the default: what a laptop spares without swapping.
    pub const MAX_M_COST: u32 = 256 * 1024;
    /// Memory × passes (KiB), four times the default's 64 MiB × 3: about a second on the PC
    /// that takes a quarter for the default, and room to raise the default later. Time is
    /// this product; lanes run one after another here, so `p_cost` adds none.
    pub const MAX_WORK: u64 = 4 * 64 * 1024 * 3;

    /// A file can name any cost; refuse ones that would exhaust memory or time before we
    /// can tell whether the file is genuine.
    pub(super) fn check(&self) -> Result<(), CryptoError> {
        if self.m_cost < 8 * 1024 || self.t_cost == 0 || !(1..=16).contains(&self.p_cost) {
            return Err(CryptoError::KdfParams(format!("m={} KiB, t={}, p={}", self.m_cost, self.t_cost, self.p_cost)));
        }
        if self.m_cost > Self::MAX_M_COST {
            return Err(TooCostly { what: "Argon2 memory in KiB", value: self.m_cost.into(), max: Self::MAX_M_COST.into() }.into());
        }
        let work = u64::from(self.m_cost) * u64::from(self.t_cost);
        if work > Self::MAX_WORK {
            return Err(TooCostly { what: "Argon2 memory × passes in KiB", value: work, max: Self::MAX_WORK }.into());
        }
        Ok(())
    }
}

/// Passphrases are NFKC-normalized so that the same words typed with a Japanese IME in
/// full-width mode, or on another OS, open the same file.
pub fn derive_key(passphrase: &str, salt: &[u8], params: KdfParams) -> Result<Key, CryptoError> {
    params.check()?;
    let normalized = Zeroizing::new(passphrase.nfkc().collect::<String>());
    let argon = argon2::Argon2::new(
        argon2::Algorithm::Argon2id,
        argon2::Version::V0x13,
        argon2::Params::new(params.m_cost, params.t_cost, params.p_cost, Some(KEY_LEN)).map_err(|e| CryptoError::KdfParams(e.to_string()))?,
    );
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    argon.hash_password_into(normalized.as_bytes(), salt, key.as_mut()).map_err(|e| CryptoError::KdfParams(e.to_string()))?;
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_open_round_trip_and_aad_binding() {
        let key = random_key().unwrap();
        let nonce = random_bytes::<NONCE_LEN>().unwrap();
        let ct = seal(&key, &nonce, b"hello", b"header");
        assert_eq!(open(&key, &nonce, &ct, b"header").unwrap().as_slice(), b"hello");
        assert_eq!(open(&key, &nonce, &ct, b"other"), Err(CryptoError::Decrypt));
        let mut bad = ct.clone();
        bad[0] ^= 1;
        assert_eq!(open(&key, &nonce, &bad, b"header"), Err(CryptoError::Decrypt));
    }

    #[test]
    fn full_width_passphrase_matches_half_width() {
        let salt = [7u8; SALT_LEN];
        let p = KdfParams { m_cost: 8 * 1024, t_cost: 1, p_cost: 1 };
        assert_eq!(*derive_key("ｐａｓｓ１２３", &salt, p).unwrap(), *derive_key("pass123", &salt, p).unwrap());
        assert_ne!(*derive_key("pass124", &salt, p).unwrap(), *derive_key("pass123", &salt, p).unwrap());
    }

    /// Each would run for tens of seconds (or exhaust memory) if it were derived.
    #[test]
    fn absurd_costs_are_refused_before_running() {
        let costly = |m_cost, t_cost| derive_key("x", &[0; SALT_LEN], KdfParams { m_cost, t_cost, p_cost: 1 }).unwrap_err();
        let too = |what, value, max| CryptoError::TooCostly(TooCostly { what, value, max });
        assert_eq!(costly(u32::MAX, 1), too("Argon2 memory in KiB", u32::MAX.into(), 256 * 1024));
        assert_eq!(costly(1024 * 1024, 20), too("Argon2 memory in KiB", 1024 * 1024, 256 * 1024));
        assert_eq!(costly(64 * 1024, 20), too("Argon2 memory × passes in KiB", 64 * 1024 * 20, KdfParams::MAX_WORK));
        assert_eq!(costly(8 * 1024, u32::MAX), too("Argon2 memory × passes in KiB", 8 * 1024 * u64::from(u32::MAX), KdfParams::MAX_WORK));
        assert!(matches!(costly(1024, 1), CryptoError::KdfParams(_)), "too little memory is a damaged file, not a costly one");
        assert!(matches!(costly(8 * 1024, 0), CryptoError::KdfParams(_)));
        KdfParams { m_cost: KdfParams::MAX_M_COST, t_cost: 3, p_cost: 4 }.check().unwrap();
        KdfParams { m_cost: 64 * 1024, t_cost: 12, p_cost: 1 }.check().unwrap();
        KdfParams::DEFAULT.check().unwrap();
    }
}
