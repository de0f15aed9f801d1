#![no_main]
//! Pasted text and scanned QR payloads: naming what a payload is, URI and key parsing
//! never panic, and whatever parses writes back to a URI that parses to the same account.

use libfuzzer_sys::fuzz_target;
use ninsho_core::otp::uri::KeyUri;
use ninsho_core::qr::classify;
use ninsho_core::secret::Secret;

fuzz_target!(|text: &str| {
    let _ = classify(text);
    let _ = Secret::from_base32(text);
    if let Ok(uri) = text.parse::<KeyUri>() {
        let again: KeyUri = uri.to_uri_string().parse().expect("a written URI parses");
        assert_eq!(again.otp, uri.otp);
        assert_eq!(again.issuer, uri.issuer);
    }
});
