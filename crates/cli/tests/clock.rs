//! `ninsho clock` against real NTP servers on loopback (chronyd, started here; one of them
//! under libfaketime to disagree) with the PC clock skewed by faketime, the HTTP Date source
//! against a local server, and servers that never answer. No public server is ever contacted.

// chronyd and faketime are Linux tools; the clock check's logic is unit-tested in the core on every platform.
#![cfg(not(windows))]

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, UdpSocket};
use std::process::{Child, Command, Output};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::BIN;

struct Chrony {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

/// libfaketime's preload library, for a chronyd whose clock is off.
const FAKETIME_LIBS: [&str; 2] = ["/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1", "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1"];

impl Chrony {
    /// chronyd serving its own clock on 127.0.0.1; `-x` so it never touches the system clock.
    fn start() -> Chrony {
        Chrony::spawn(None)
    }

    /// chronyd serving a clock `skew` (faketime's syntax, e.g. "+20s") off real time: a
    /// server that is wrong, or a forged one. Preloaded rather than run through `faketime`,
    /// so that the process killed at the end is chronyd itself.
    fn skewed(skew: &str) -> Chrony {
        Chrony::spawn(Some(skew))
    }

    fn spawn(skew: Option<&str>) -> Chrony {
        let dir = tempfile::tempdir().unwrap();
        let port = free_udp_port();
        let conf = dir.path().join("chrony.conf");
        std::fs::write(
            &conf,
            format!(
                "local stratum 8\nallow 127.0.0.1\nbindaddress 127.0.0.1\nport {port}\ncmdport 0\n\
                 driftfile {d}/drift\npidfile {d}/chronyd.pid\n",
                d = dir.path().display()
            ),
        )
        .unwrap();
        let chronyd = ["/usr/sbin/chronyd", "/sbin/chronyd"].into_iter().find(|p| std::path::Path::new(p).exists());
        let mut command = Command::new(chronyd.expect("chronyd is installed by scripts/test"));
        command.args(["-d", "-x", "-u", "root", "-f"]).arg(&conf).stderr(std::process::Stdio::null());
        if let Some(skew) = skew {
            let lib = FAKETIME_LIBS.into_iter().find(|p| std::path::Path::new(p).exists()).expect("libfaketime is installed by scripts/test");
            command.env("LD_PRELOAD", lib).env("FAKETIME", skew);
        }
        let child = command.spawn().unwrap();
        let chrony = Chrony { child, port, _dir: dir };
        // It serves as soon as it has bound the port.
        for _ in 0..50 {
            if clock(&[], &["--server", &chrony.server(), "--timeout", "0.2"]).status.code() != Some(2) {
                return chrony;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("chronyd did not start serving");
    }

    fn server(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }
}

impl Drop for Chrony {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_udp_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Runs `ninsho --json clock ARGS`, under `faketime` when `skew` is given.
fn clock(skew: &[&str], args: &[&str]) -> Output {
    let mut cmd = if skew.is_empty() {
        Command::new(BIN)
    } else {
        let mut c = Command::new("faketime");
        c.args(["-f", skew[0], BIN]);
        c
    };
    cmd.args(["--json", "clock"]).args(args).output().unwrap()
}

fn report(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(&out.stderr)))
}

#[test]
fn measures_a_skewed_pc_clock_against_local_ntp() {
    let chrony = Chrony::start();
    // (faketime offset, expected offset, verdict, exit status)
    for (skew, expected, verdict, status) in
        [("-90s", 90.0, "error", 4), ("-20s", 20.0, "warn", 3), ("+0s", 0.0, "ok", 0), ("+45s", -45.0, "error", 4)]
    {
        let out = clock(&[skew], &["--server", &chrony.server()]);
        let r = report(&out);
        let offset = r["offset"].as_f64().unwrap();
        assert!((offset - expected).abs() < 1.0, "faketime {skew}: offset {offset}");
        assert_eq!(r["verdict"], verdict, "faketime {skew}");
        assert_eq!(r["source"]["kind"], "ntp");
        assert_eq!(out.status.code(), Some(status), "faketime {skew}");
        assert_eq!(r["correction"]["applied"], false, "one server alone never corrects");
        assert_eq!(r["correction"]["reason"], "one_source");
    }
    let human = Command::new("faketime").args(["-f", "-74s", BIN, "clock", "--server", &chrony.server()]).output().unwrap();
    let text = String::from_utf8(human.stdout).unwrap();
    assert!(text.contains("This PC's clock is 74.0 s slow") && text.contains("Codes will be rejected"), "{text}");
    assert!(text.contains(&format!("the app does not correct codes: only one time source answered (NTP {})", chrony.server())), "{text}");
}

/// The correction needs two sources that agree: two real NTP servers, one of them then
/// replaced by a server 20 s off, as a forged or broken one would be.
#[test]
fn two_agreeing_servers_correct_and_a_disagreeing_one_stops_the_correction() {
    let (a, b, off) = (Chrony::start(), Chrony::start(), Chrony::skewed("+20s"));
    let out = clock(&["-90s"], &["--server", &a.server(), "--server", &b.server()]);
    let r = report(&out);
    assert_eq!(r["correction"]["applied"], true, "{r}");
    assert_eq!(r["correction"]["seconds"], 90);
    assert_eq!(r["sources"].as_array().unwrap().len(), 2);
    assert_eq!(out.status.code(), Some(4), "the warning stands: the PC clock is still wrong");
    let human = Command::new("faketime").args(["-f", "-90s", BIN, "clock", "--server", &a.server(), "--server", &b.server()]).output().unwrap();
    let text = String::from_utf8(human.stdout).unwrap();
    assert!(text.contains(&format!("the app shifts codes by +90 s: NTP {} and NTP {} agree within 3 s", a.server(), b.server())), "{text}");

    let out = clock(&["-90s"], &["--server", &a.server(), "--server", &off.server()]);
    let r = report(&out);
    assert_eq!(r["correction"]["applied"], false, "{r}");
    assert_eq!(r["correction"]["reason"], "disagree");
    let spread = r["correction"]["spread"].as_f64().unwrap();
    assert!((spread - 20.0).abs() < 1.0, "spread {spread}");
    assert_eq!(r["correction"]["high"]["source"]["server"], off.server().as_str());
    assert!((r["offset"].as_f64().unwrap() - 90.0).abs() < 1.0, "the warning keeps the first server's figure: {r}");
    assert_eq!(out.status.code(), Some(4));
    let human = Command::new("faketime").args(["-f", "-90s", BIN, "clock", "--server", &a.server(), "--server", &off.server()]).output().unwrap();
    let text = String::from_utf8(human.stdout).unwrap();
    assert!(text.contains("Codes will be rejected") && text.contains("the app does not correct codes: the time sources differ by 20."), "{text}");
    assert!(text.contains(&format!("NTP {} says 110.0 s slow", off.server())), "{text}");
}

/// The Date header of an HTTP(S) server is the other source: agreeing, it lets one NTP
/// server correct; 20 s off, it stops the correction.
#[test]
fn ntp_and_the_date_header_cross_check_each_other() {
    let chrony = Chrony::start();
    let agreeing = http_server(Some(0));
    let r = report(&clock(&["-45s"], &["--server", &chrony.server(), "--https", &agreeing]));
    assert_eq!((r["correction"]["applied"].clone(), r["correction"]["seconds"].clone()), (true.into(), 45.into()), "{r}");
    assert_eq!(r["sources"][1]["source"]["kind"], "https");
    let skewed = http_server(Some(20));
    let r = report(&clock(&["-45s"], &["--server", &chrony.server(), "--https", &skewed]));
    assert_eq!(r["correction"]["reason"], "disagree", "{r}");
    assert_eq!(r["source"]["kind"], "ntp");
}

/// An offset over the organization's limit is reported and not applied, however many
/// sources agree; a clock years off (a dead CMOS battery) still gets its warning and figure.
#[test]
fn an_offset_over_the_limit_is_shown_not_applied() {
    let (a, b) = (Chrony::start(), Chrony::start());
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("policy.json");
    std::fs::write(
        &policy,
        format!(r#"{{"clock_servers": ["{}", "{}"], "clock_https_url": "", "clock_correction_max_seconds": 60}}"#, a.server(), b.server()),
    )
    .unwrap();
    let run = |skew: &str, json: bool| {
        let mut c = Command::new("faketime");
        c.args(["-f", skew, BIN]).env("NINSHO_POLICY_FILE", &policy);
        if json {
            c.arg("--json");
        }
        c.arg("clock").output().unwrap()
    };
    let out = run("-90s", true);
    let r = report(&out);
    assert_eq!(r["correction"]["reason"], "over_limit", "{r}");
    assert_eq!(r["correction"]["limit"], serde_json::json!({"seconds": 60, "managed": true}));
    assert_eq!(out.status.code(), Some(4));
    let text = String::from_utf8(run("-90s", false).stdout).unwrap();
    assert!(text.contains("the offset (90 s) is more than the largest correction your organization allows (60 s)"), "{text}");
    assert_eq!(report(&run("-50s", true))["correction"]["seconds"], 50, "within the limit");

    let out = clock(&["-3y"], &["--server", &a.server(), "--server", &b.server()]);
    let r = report(&out);
    let offset = r["offset"].as_f64().unwrap();
    assert!((offset / 86_400.0 - 1096.0).abs() < 1.5, "three years slow: {offset} s");
    assert_eq!(r["verdict"], "error");
    assert_eq!(r["correction"]["reason"], "over_limit");
    assert_eq!(r["correction"]["limit"], serde_json::json!({"seconds": 300, "managed": false}));
    assert_eq!(out.status.code(), Some(4));
}

/// An HTTP server whose clock is `skew` seconds ahead of ours; answers every request with
/// a Date header, or never answers when `skew` is `None`.
fn http_server(skew: Option<i64>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            let Some(skew) = skew else {
                held.push(stream);
                continue;
            };
            let mut stream = stream;
            let mut buf = [0u8; 1024];
            let _ = stream.read(&mut buf);
            let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64 + skew;
            let date = httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(now as u64));
            let _ = write!(stream, "HTTP/1.1 204 No Content\r\nDate: {date}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        }
    });
    url
}

#[test]
fn falls_back_to_the_http_date_header_when_udp_is_blocked() {
    let silent_udp = UdpSocket::bind("127.0.0.1:0").unwrap();
    let blocked = silent_udp.local_addr().unwrap().to_string();
    let url = http_server(Some(74));
    let out = clock(&[], &["--server", &blocked, "--https", &url, "--timeout", "0.5"]);
    let r = report(&out);
    let offset = r["offset"].as_f64().unwrap();
    assert!((offset - 74.0).abs() <= 1.5, "offset {offset}");
    assert!(r["uncertainty"].as_f64().unwrap() >= 0.5, "a Date header is good to a second at best");
    assert_eq!(r["source"]["kind"], "https");
    assert_eq!(out.status.code(), Some(4));
    assert_eq!(r["correction"]["reason"], "one_source");
    assert_eq!(r["unanswered"][0]["source"], blocked.as_str());
}

#[test]
fn silence_everywhere_is_could_not_check_not_an_alarm() {
    let silent_udp = UdpSocket::bind("127.0.0.1:0").unwrap();
    let blocked = silent_udp.local_addr().unwrap().to_string();
    let url = http_server(None);
    let out = clock(&[], &["--server", &blocked, "--https", &url, "--timeout", "0.5"]);
    assert_eq!(out.status.code(), Some(2));
    let r = report(&out);
    assert_eq!(r["verdict"], "unknown");
    assert_eq!(r["tried"].as_array().unwrap().len(), 2);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("could not be checked") && stderr.contains("no reply"), "{stderr}");
}

/// An organization's time server replaces the built-in list, and the command line may not
/// name another.
#[test]
fn the_time_server_an_organization_sets_is_the_one_asked() {
    let chrony = Chrony::start();
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("policy.json");
    std::fs::write(&policy, format!(r#"{{"version": 1, "clock_servers": ["{}"], "clock_https_url": ""}}"#, chrony.server())).unwrap();
    let out = Command::new(BIN).env("NINSHO_POLICY_FILE", &policy).args(["--json", "clock", "--timeout", "1"]).output().unwrap();
    let r = report(&out);
    assert_eq!(r["source"]["server"], chrony.server().as_str(), "{r}");
    let refused = Command::new(BIN).env("NINSHO_POLICY_FILE", &policy).args(["clock", "--server", "127.0.0.1:9"]).output().unwrap();
    assert_eq!(refused.status.code(), Some(2));
    let text = String::from_utf8(refused.stderr).unwrap();
    assert!(text.contains("managed by your organization") && text.contains("policy.json"), "{text}");
}
