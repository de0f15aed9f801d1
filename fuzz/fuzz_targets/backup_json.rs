#![no_main]
//! The JSON formats (extension, Aegis, 2FAS) on their plaintext paths.

use libfuzzer_sys::fuzz_target;
use ninsho_core::backup::Format;
use ninsho_core::backup::{aegis, authenticator_json, twofas};

fuzz_target!(|bytes: &[u8]| {
    let _ = authenticator_json::AuthenticatorJson.read(bytes, None);
    let _ = aegis::AegisPlain.read(bytes, None);
    let _ = twofas::TwoFas.read(bytes, None);
});
