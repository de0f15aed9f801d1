#![no_main]
//! authenticator.txt and otpauth lists: any bytes give accounts and located problems.

use libfuzzer_sys::fuzz_target;
use ninsho_core::backup::{Format, authenticator_txt::AuthenticatorTxt};

fuzz_target!(|bytes: &[u8]| {
    let _ = ninsho_core::backup::detect(bytes);
    if let Ok(parsed) = AuthenticatorTxt.read(bytes, None) {
        assert!(parsed.problems.iter().all(|p| p.location.starts_with("line ") || p.location.starts_with("QR code") || p.location.starts_with("account")));
    }
});
