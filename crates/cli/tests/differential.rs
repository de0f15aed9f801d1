//! `ninsho code` against two independent implementations: oathtool (C, Debian) and
//! pyotp (Python, PyPI), over random keys, algorithms, digit counts, periods and times.

// oathtool and pyotp run on Linux; under Windows the core's RFC vectors check the codes.
#![cfg(not(windows))]

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::BIN;
use data_encoding::BASE32;
use rand::rngs::StdRng;
use rand::{Rng, RngExt, SeedableRng};

struct Case {
    secret: String,
    algorithm: &'static str,
    digits: u32,
    /// TOTP period, or `None` for HOTP.
    period: Option<u32>,
    /// Unix time for TOTP, counter for HOTP.
    moment: u64,
}

fn cases(n: usize) -> Vec<Case> {
    let mut rng = StdRng::seed_from_u64(0x4e494e53484f);
    (0..n)
        .map(|i| {
            // pyotp refuses keys under 112 bits and periods over 120 s; 16- and 32-byte
            // keys give padded base32.
            let len = [15usize, 16, 20, 32, 64][rng.random_range(0..5)];
            let mut key = vec![0u8; len];
            rng.fill_bytes(&mut key);
            let hotp = i % 5 == 4;
            Case {
                secret: BASE32.encode(&key),
                algorithm: ["SHA1", "SHA256", "SHA512"][rng.random_range(0..3)],
                digits: rng.random_range(6..=8),
                period: (!hotp).then(|| [30, 60, 15, 1, 90, 120, 45][rng.random_range(0..7)]),
                moment: if hotp { rng.random_range(0..1_000_000u64) } else { rng.random_range(0..4_102_444_800u64) },
            }
        })
        .collect()
}

fn ninsho(c: &Case) -> String {
    let mut cmd = Command::new(BIN);
    cmd.args(["code", "--secret", &c.secret, "--algorithm", c.algorithm, "--digits", &c.digits.to_string()]);
    match c.period {
        Some(p) => cmd.args(["--period", &p.to_string(), "--time", &c.moment.to_string()]),
        None => cmd.args(["--counter", &c.moment.to_string()]),
    };
    common::ok(cmd.output().unwrap()).trim().to_owned()
}

fn oathtool(c: &Case) -> String {
    let mut cmd = Command::new("oathtool");
    cmd.args(["--base32", "--digits", &c.digits.to_string()]);
    match c.period {
        Some(p) => {
            cmd.args([&format!("--totp={}", c.algorithm.to_lowercase()), "--time-step-size", &format!("{p}s"), "--now", &format!("@{}", c.moment)])
        }
        // oathtool's HOTP is SHA1 only; the HOTP cases below use SHA1 there.
        None => cmd.args(["--hotp", "--counter", &c.moment.to_string()]),
    };
    cmd.arg(&c.secret);
    let out = cmd.output().expect("oathtool is installed by scripts/test");
    assert!(out.status.success(), "oathtool: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

fn pyotp(cases: &[Case]) -> Vec<String> {
    let python = std::env::var("NINSHO_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = r#"
import sys, hashlib, pyotp
for line in sys.stdin:
    secret, alg, digits, period, moment = line.split()
    digest = getattr(hashlib, alg.lower())
    if period == "-":
        print(pyotp.HOTP(secret, digits=int(digits), digest=digest).at(int(moment)))
    else:
        print(pyotp.TOTP(secret, digits=int(digits), digest=digest, interval=int(period)).at(int(moment)))
"#;
    let mut child = Command::new(&python)
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python with pyotp is installed by scripts/test");
    let mut input = String::new();
    for c in cases {
        let period = c.period.map(|p| p.to_string()).unwrap_or_else(|| "-".into());
        input.push_str(&format!("{} {} {} {} {}\n", c.secret, c.algorithm, c.digits, period, c.moment));
    }
    // A python without pyotp exits at once; its stderr below says so better than the pipe.
    let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "pyotp failed (scripts/test installs it): {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().lines().map(str::to_owned).collect()
}

#[test]
fn agrees_with_oathtool_and_pyotp() {
    let mut cases = cases(1200);
    for c in cases.iter_mut().filter(|c| c.period.is_none()) {
        c.algorithm = "SHA1";
    }
    let py = pyotp(&cases);
    assert_eq!(py.len(), cases.len());
    let mut by_kind = std::collections::BTreeMap::<String, usize>::new();
    for (c, py) in cases.iter().zip(&py) {
        let ours = ninsho(c);
        let desc = format!("{} {} digits={} period={:?} at {}", c.secret, c.algorithm, c.digits, c.period, c.moment);
        assert_eq!(&ours, py, "pyotp disagrees: {desc}");
        assert_eq!(ours, oathtool(c), "oathtool disagrees: {desc}");
        *by_kind.entry(format!("{}/{}", if c.period.is_some() { "totp" } else { "hotp" }, c.algorithm)).or_default() += 1;
    }
    eprintln!("agreed on {} cases: {by_kind:?}", cases.len());
    assert!(by_kind.len() == 4, "every algorithm and both kinds were covered: {by_kind:?}");
}
