//! The files Ninsho writes for other apps, read by implementations that are not Ninsho's:
//! `.2fas` by lib2fas (PyPI), Ente Auth's encrypted export by libsodium (PyNaCl), the codes
//! of what they read by pyotp (RFC 4226 by hand for keys too short for pyotp). `scripts/test` installs the three into target/pyenv.

// The Python packages are installed on Linux; the formats' own round trips run everywhere.
#![cfg(not(windows))]

mod common;

use std::collections::BTreeMap;
use std::process::Command;

use common::{BIN, Env};
use serde_json::Value;

const PASSWORD: &str = "春の合言葉 2026";
const AT: u64 = 1_700_000_000;

/// Reads a written file with the independent reader and prints one JSON object per account:
/// issuer, account, type, secret, digits, period, and for Ente pyotp's code at `AT` (none for
/// Steam, which pyotp does not compute).
const READER: &str = r#"
import base64, hashlib, hmac, json, sys, urllib.parse
import pyotp
kind, path, password, at = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])

def code(secret, kind, algorithm, digits, period, counter):
    digest = getattr(hashlib, (algorithm or "SHA1").lower())
    if kind not in ("hotp", "totp"):
        return None
    moment = counter if kind == "hotp" else at // period
    try:
        otp = pyotp.HOTP(secret, digits=digits, digest=digest)
        return otp.at(moment)
    except ValueError:
        # pyotp refuses keys under 128 bits; RFC 4226 by hand for those.
        key = base64.b32decode(secret + "=" * (-len(secret) % 8))
        mac = hmac.new(key, moment.to_bytes(8, "big"), digest).digest()
        offset = mac[-1] & 15
        value = int.from_bytes(mac[offset:offset + 4], "big") & 0x7FFFFFFF
        return str(value % 10 ** digits).zfill(digits)

if kind == "2fas":
    import lib2fas
    # lib2fas models what 2FAS needs to show a service (no algorithm or counter).
    for s in lib2fas.load_services(path, passphrase=password):
        t = (s.otp.tokenType or "TOTP").lower()
        print(json.dumps({"issuer": s.name, "account": s.otp.account or "", "type": t, "secret": s.secret,
                          "digits": s.otp.digits, "period": s.otp.period}))
else:
    import nacl.bindings as b, nacl.pwhash
    f = json.load(open(path, encoding="utf-8"))
    k = f["kdfParams"]
    key = nacl.pwhash.argon2id.kdf(32, password.encode(), base64.b64decode(k["salt"]), opslimit=k["opsLimit"], memlimit=k["memLimit"])
    state = b.crypto_secretstream_xchacha20poly1305_state()
    b.crypto_secretstream_xchacha20poly1305_init_pull(state, base64.b64decode(f["encryptionNonce"]), key)
    plain, tag = b.crypto_secretstream_xchacha20poly1305_pull(state, base64.b64decode(f["encryptedData"]))
    assert tag == b.crypto_secretstream_xchacha20poly1305_TAG_FINAL, tag
    for line in plain.decode().splitlines():
        if not line.strip():
            continue
        u = urllib.parse.urlsplit(line)
        q = dict(urllib.parse.parse_qsl(u.query))
        label = urllib.parse.unquote(u.path[1:])
        issuer = q.get("issuer", label.split(":", 1)[0] if ":" in label else "")
        account = label.split(":", 1)[1] if ":" in label else label
        t = u.netloc
        digits = int(q.get("digits", 5 if t == "steam" else 6))
        period = int(q.get("period", 30))
        counter = int(q.get("counter", 0))
        print(json.dumps({"issuer": issuer, "account": account, "type": t, "secret": q["secret"], "digits": digits,
                          "period": None if t == "hotp" else period,
                          "code": code(q["secret"], t, q.get("algorithm"), digits, period, counter)}))
"#;

fn python() -> String {
    std::env::var("NINSHO_TEST_PYTHON").unwrap_or_else(|_| "python3".into())
}

/// `ninsho inspect`: every account of `file` with its code at `AT`, by issuer and account.
fn inspect(file: &str) -> BTreeMap<(String, String), Value> {
    let out = common::ok(Command::new(BIN).args(["inspect", file, "--time", &AT.to_string()]).output().unwrap());
    out.lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .map(|v| ((v["issuer"].as_str().unwrap().to_owned(), v["account"].as_str().unwrap().to_owned()), v))
        .collect()
}

fn written_and_read(env: &Env, source: &str, format: &str) -> Vec<Value> {
    let out = env.dir.path().join(format!("out.{format}"));
    let converted = Command::new(BIN)
        .args(["convert", source, "--to", format, "--export-password-env", "P", "-o"])
        .arg(&out)
        .env("P", PASSWORD)
        .output()
        .unwrap();
    common::ok(converted);
    let read = Command::new(python()).args(["-c", READER, format]).arg(&out).args([PASSWORD, &AT.to_string()]).output().unwrap();
    assert!(read.status.success(), "the independent reader failed on {format} (scripts/test installs it): {}", String::from_utf8_lossy(&read.stderr));
    String::from_utf8(read.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

/// The account written that `got` was read as, whose key and digit count it must have.
fn same_account<'a>(want: &'a BTreeMap<(String, String), Value>, got: &Value, source: &str) -> ((String, String), &'a Value) {
    let key = (got["issuer"].as_str().unwrap().to_owned(), got["account"].as_str().unwrap().to_owned());
    let w = want.get(&key).unwrap_or_else(|| panic!("{source}: {key:?} is not one of the accounts written"));
    assert_eq!(got["secret"], w["secret"], "{key:?}");
    assert_eq!(got["digits"], w["digits"], "{key:?}");
    (key, w)
}

fn samples() -> [String; 2] {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/samples");
    [format!("{dir}/aegis.json"), format!("{dir}/authenticator.json")]
}

#[test]
fn twofas_files_are_read_by_lib2fas_with_every_field() {
    let env = Env::new();
    for source in samples() {
        let want = inspect(&source);
        let read = written_and_read(&env, &source, "2fas");
        assert_eq!(read.len(), want.len(), "{source}: every account reaches 2FAS");
        for got in read {
            let (key, w) = same_account(&want, &got, &source);
            assert_eq!(got["type"], w["type"], "{key:?}");
            if w["type"] != "hotp" {
                assert_eq!(got["period"], w["period"], "{key:?}");
            }
        }
    }
}

#[test]
fn ente_exports_are_opened_by_libsodium_and_give_the_same_codes() {
    let env = Env::new();
    let (mut codes, mut computable) = (0, 0);
    for source in samples() {
        let want = inspect(&source);
        computable += want.values().filter(|w| w["type"] == "totp" || w["type"] == "hotp").count();
        let read = written_and_read(&env, &source, "ente-encrypted");
        assert_eq!(read.len(), want.len(), "{source}: every account reaches Ente");
        for got in read {
            let (key, w) = same_account(&want, &got, &source);
            if !got["code"].is_null() {
                assert_eq!(got["code"], w["code"], "{key:?}: pyotp's code from what libsodium opened");
                codes += 1;
            }
        }
    }
    assert_eq!(codes, computable, "every time- and counter-based account's code compared");
}
