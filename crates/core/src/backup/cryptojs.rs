//! CryptoJS's passphrase mode (`CryptoJS.AES.encrypt(text, passphrase)`), which is
//! OpenSSL's `enc` format: "Salted__" + 8-byte salt + AES-256-CBC, key and IV from
//! EVP_BytesToKey with MD5 and one iteration. It has no MAC; a wrong key shows up as bad
//! padding or text that is not what was expected.

use aes::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit, block_padding::Pkcs7};
use data_encoding::BASE64;
use md5::{Digest, Md5};
use zeroize::Zeroizing;

type Encryptor = cbc::Encryptor<aes::Aes256>;
type Decryptor = cbc::Decryptor<aes::Aes256>;

fn key_and_iv(passphrase: &[u8], salt: &[u8]) -> Zeroizing<[u8; 48]> {
    let mut out = Zeroizing::new([0u8; 48]);
    let mut previous: Vec<u8> = Vec::new();
    let mut filled = 0;
    while filled < 48 {
        let mut md5 = Md5::new();
        md5.update(&previous);
        md5.update(passphrase);
        md5.update(salt);
        previous = md5.finalize().to_vec();
        let n = previous.len().min(48 - filled);
        out[filled..filled + n].copy_from_slice(&previous[..n]);
        filled += n;
    }
    out
}

pub fn encrypt(plaintext: &[u8], passphrase: &str, salt: [u8; 8]) -> String {
    let kiv = key_and_iv(passphrase.as_bytes(), &salt);
    let ciphertext = Encryptor::new_from_slices(&kiv[..32], &kiv[32..]).expect("fixed sizes").encrypt_padded_vec::<Pkcs7>(plaintext);
    let mut out = b"Salted__".to_vec();
    out.extend_from_slice(&salt);
    out.extend_from_slice(&ciphertext);
    BASE64.encode(&out)
}

/// `None` when the text is not this format or the passphrase does not fit.
pub fn decrypt(encoded: &str, passphrase: &str) -> Option<Zeroizing<Vec<u8>>> {
    let raw = BASE64.decode(encoded.trim().as_bytes()).ok()?;
    let rest = raw.strip_prefix(b"Salted__")?;
    if rest.len() < 8 + 16 || (rest.len() - 8) % 16 != 0 {
        return None;
    }
    let (salt, ciphertext) = rest.split_at(8);
    let kiv = key_and_iv(passphrase.as_bytes(), salt);
    Decryptor::new_from_slices(&kiv[..32], &kiv[32..]).ok()?.decrypt_padded_vec::<Pkcs7>(ciphertext).ok().map(Zeroizing::new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_openssl_layout() {
        let enc = encrypt(b"JBSWY3DPEHPK3PXP", "p\u{e4}ss", [1, 2, 3, 4, 5, 6, 7, 8]);
        assert!(enc.starts_with("U2FsdGVkX1"), "{enc}");
        assert_eq!(decrypt(&enc, "p\u{e4}ss").unwrap().as_slice(), b"JBSWY3DPEHPK3PXP");
        assert!(decrypt(&enc, "wrong").is_none_or(|p| p.as_slice() != b"JBSWY3DPEHPK3PXP"));
        assert!(decrypt("not base64!", "x").is_none());
        assert!(decrypt("U2FsdGVkX18=", "x").is_none());
    }

    /// `openssl enc -aes-256-cbc -md md5 -S 0102030405060708 -pass pass:secret` gives the
    /// same ciphertext (OpenSSL 3 leaves out the "Salted__" header when -S is given). The
    /// openssl command is Debian's; under Windows the round trip above still runs.
    #[cfg(not(windows))]
    #[test]
    fn matches_openssl_enc() {
        let ours = BASE64.decode(encrypt(b"hello", "secret", [1, 2, 3, 4, 5, 6, 7, 8]).as_bytes()).unwrap();
        assert_eq!(&ours[..16], b"Salted__\x01\x02\x03\x04\x05\x06\x07\x08");
        assert_eq!(&ours[16..], BASE64.decode(openssl_reference().as_bytes()).unwrap().as_slice());
    }

    #[cfg(not(windows))]
    fn openssl_reference() -> String {
        let out = std::process::Command::new("openssl")
            .args(["enc", "-aes-256-cbc", "-md", "md5", "-S", "0102030405060708", "-pass", "pass:secret", "-base64", "-A"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut c| {
                use std::io::Write;
                c.stdin.take().unwrap().write_all(b"hello")?;
                c.wait_with_output()
            })
            .expect("openssl is on every Debian machine");
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    }
}
