#![no_main]
//! otpauth-migration payloads: the protobuf decoder and the batch collector.

use libfuzzer_sys::fuzz_target;
use ninsho_core::backup::migration_payload::{BatchCollector, decode};

fuzz_target!(|bytes: &[u8]| {
    // The fuzzer's bytes are the protobuf; wrap them the way Google does.
    let data = data_encoding::BASE64.encode(bytes).replace('+', "%2B").replace('/', "%2F").replace('=', "%3D");
    let uri = format!("otpauth-migration://offline?data={data}");
    let _ = decode(&uri);
    let mut collector = BatchCollector::default();
    let _ = collector.add(&uri);
    let _ = collector.finish();
    if let Ok(text) = std::str::from_utf8(bytes) {
        let _ = decode(text);
    }
});

