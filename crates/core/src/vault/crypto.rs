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
    #[error("the operating system's random number generator failed: {0}")]
    Random(String),
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

    /// A file can name any cost; refuse ones that would exhaust memory or time before we
    /// can tell whether the file is genuine.
    fn check(&self) -> Result<(), CryptoError> {
        if !(8 * 1024..=1024 * 1024).contains(&self.m_cost) || !(1..=20).contains(&self.t_cost) || !(1..=16).contains(&self.p_cost) {
            return Err(CryptoError::KdfParams(format!("m={} KiB, t={}, p={}", self.m_cost, self.t_cost, self.p_cost)));
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

    #[test]
    fn absurd_costs_are_refused_before_running() {
        let p = KdfParams { m_cost: u32::MAX, t_cost: 1, p_cost: 1 };
        assert!(matches!(derive_key("x", &[0; SALT_LEN], p), Err(CryptoError::KdfParams(_))));
    }
}
