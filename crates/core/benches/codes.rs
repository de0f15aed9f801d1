//! Code generation: Ninsho's RFC 4226/6238 code against totp-rs, the crate DEVELOPERS.md
//! names, in the same run. `scripts/bench` prints the ratios.

use criterion::{Criterion, criterion_group, criterion_main};
use ninsho_core::{Algorithm, Method, Otp, Secret};
use std::hint::black_box;

fn codes(c: &mut Criterion) {
    let key = b"12345678901234567890123456789012".to_vec();
    let mut group = c.benchmark_group("code");
    for (name, ours, theirs) in [
        ("SHA1", Algorithm::Sha1, totp_rs::Algorithm::SHA1),
        ("SHA256", Algorithm::Sha256, totp_rs::Algorithm::SHA256),
        ("SHA512", Algorithm::Sha512, totp_rs::Algorithm::SHA512),
    ] {
        let otp = Otp::new(Method::Totp { period: 30 }, ours, 6, Secret::from_bytes(key.clone())).unwrap();
        let baseline = totp_rs::Builder::new().with_algorithm(theirs).with_digits(6).with_step_duration(30).with_secret(key.clone()).build().unwrap();
        assert_eq!(otp.code_at(1_700_000_000).code, baseline.generate(1_700_000_000).to_string());
        group.bench_function(format!("ninsho/{name}"), |b| b.iter(|| otp.code_at(black_box(1_700_000_000))));
        group.bench_function(format!("baseline-totp-rs/{name}"), |b| b.iter(|| baseline.generate(black_box(1_700_000_000)).to_string()));
    }
    group.finish();
}

criterion_group!(benches, codes);
criterion_main!(benches);
