//! `ninsho scan` on a real X display (Xvfb, started by scripts/test): QR codes shown in
//! windows by `feh`, captured from the screen; and picture files.

// An X display with windows drawn by feh: Linux only.
#![cfg(not(windows))]

mod common;

use std::path::Path;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use common::BIN;
use image::{GrayImage, imageops};
use ninsho_qr_corpus::render_code;
use qrcode::EcLevel;

const ACCOUNT: &str = "otpauth://totp/%E7%B5%A6%E4%B8%8E:sato?secret=JBSWY3DPEHPK3PXP&issuer=%E7%B5%A6%E4%B8%8E";
const WEB: &str = "https://example.co.jp/help/two-step";

/// The screen is shared: one test at a time shows windows on it.
static SCREEN: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn require_display() -> std::sync::MutexGuard<'static, ()> {
    assert!(std::env::var_os("DISPLAY").is_some(), "this test needs an X display: run it through scripts/test");
    SCREEN.lock().unwrap_or_else(|e| e.into_inner())
}

/// A window showing `image` at (x, y); closed when dropped.
struct Window(Child);

impl Window {
    fn show(dir: &Path, name: &str, image: &GrayImage, x: i32, y: i32) -> Window {
        let path = dir.join(name);
        image.save(&path).unwrap();
        let geometry = format!("{}x{}{x:+}{y:+}", image.width(), image.height());
        // A CI run once saw feh fail at once with "Can't open X display" while Xvfb was up;
        // a feh that is gone after a moment is started again.
        for _ in 0..5 {
            let mut feh = Command::new("feh").args(["--geometry", &geometry]).arg(&path).spawn().expect("feh is installed by scripts/test");
            std::thread::sleep(Duration::from_millis(300));
            if feh.try_wait().unwrap().is_none() {
                return Window(feh);
            }
        }
        panic!("feh could not show {name} on the X display");
    }
}

impl Drop for Window {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Scans until `done` holds for the output (the windows take a moment to appear).
fn scan_until(args: &[&str], done: impl Fn(&std::process::Output) -> bool) -> std::process::Output {
    let start = Instant::now();
    loop {
        let out = Command::new(BIN).arg("scan").args(args).output().unwrap();
        if done(&out) || start.elapsed() > Duration::from_secs(10) {
            return out;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn every_code_on_screen_is_read_with_its_kind_and_place() {
    let _screen = require_display();
    let dir = tempfile::tempdir().unwrap();
    let one_px = render_code(ACCOUNT, EcLevel::M, 1, 4);
    let mut inverted = render_code(WEB, EcLevel::M, 3, 4);
    imageops::invert(&mut inverted);
    let _a = Window::show(dir.path(), "a.png", &one_px, 100, 120);
    let _b = Window::show(dir.path(), "b.png", &inverted, 700, 300);
    let out = scan_until(&["--json"], |o| String::from_utf8_lossy(&o.stdout).lines().count() == 2);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    let account = lines.iter().find(|l| l["kind"] == "account").expect("the otpauth code");
    assert_eq!(account["payload"], ACCOUNT);
    // Where the window put it: the code (without its 4-module margin) starts at 104,124.
    assert!((account["x"].as_i64().unwrap() - 104).abs() <= 2 && (account["y"].as_i64().unwrap() - 124).abs() <= 2, "{account}");
    let web = lines.iter().find(|l| l["kind"] == "web-address").expect("the web address");
    assert_eq!(web["payload"], WEB);
    // Plain output: one payload per line.
    let out = Command::new(BIN).arg("scan").output().unwrap();
    let mut plain: Vec<String> = String::from_utf8_lossy(&out.stdout).lines().map(str::to_owned).collect();
    plain.sort();
    assert_eq!(plain, [WEB, ACCOUNT]);
}

#[test]
fn a_code_cut_off_at_the_screen_edge_is_named() {
    let _screen = require_display();
    let dir = tempfile::tempdir().unwrap();
    let code = render_code(ACCOUNT, EcLevel::M, 4, 4);
    let (screen_w, screen_h) = screen_size();
    // The window hangs over the bottom edge: the lower finder pattern is off screen.
    let _w = Window::show(dir.path(), "cut.png", &code, screen_w as i32 / 3, screen_h as i32 - code.height() as i32 * 2 / 3);
    let out = scan_until(&[], |o| String::from_utf8_lossy(&o.stderr).contains("cut off"));
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("scroll it fully into view"), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn a_selected_area_is_read_enlarged() {
    let _screen = require_display();
    let dir = tempfile::tempdir().unwrap();
    // 1 px modules drawn at 125 %: blurred, 1.25 px per module.
    let code = render_code(ACCOUNT, EcLevel::L, 1, 4);
    let side = code.width() * 5 / 4;
    let blurred = imageops::resize(&code, side, side, imageops::FilterType::Triangle);
    let _w = Window::show(dir.path(), "small.png", &blurred, 300, 200);
    let area = format!("{},{},{},{}", 290, 190, side + 20, side + 20);
    let out = scan_until(&["--area", &area, "--json"], |o| o.status.success());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(found["payload"], ACCOUNT);
    // Positions are on the desktop, not in the enlarged cut-out.
    assert!((found["x"].as_i64().unwrap() - 305).abs() <= 3, "{found}");
    // An area with nothing in it.
    let out = Command::new(BIN).args(["scan", "--area", "900,600,100,100"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let out = Command::new(BIN).args(["scan", "--area", "1,2,3"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "a malformed area is a usage error");
}

fn screen_size() -> (u32, u32) {
    let out = Command::new("xdpyinfo").output().expect("xdpyinfo (x11-utils)");
    let text = String::from_utf8_lossy(&out.stdout);
    let dims = text.lines().find_map(|l| l.trim().strip_prefix("dimensions:")).expect("xdpyinfo prints the screen size");
    let (w, h) = dims.split_whitespace().next().unwrap().split_once('x').unwrap();
    (w.parse().unwrap(), h.parse().unwrap())
}

#[test]
fn picture_files_png_and_jpeg() {
    let dir = tempfile::tempdir().unwrap();
    let code = render_code(ACCOUNT, EcLevel::Q, 4, 4);
    let mut page = GrayImage::from_pixel(900, 700, image::Luma([245]));
    imageops::replace(&mut page, &code, 300, 200);
    let png = dir.path().join("phone.png");
    let jpg = dir.path().join("phone.jpg");
    let empty = dir.path().join("empty.png");
    page.save(&png).unwrap();
    page.save(&jpg).unwrap();
    GrayImage::from_pixel(300, 200, image::Luma([245])).save(&empty).unwrap();
    let out = Command::new(BIN).args(["scan", "--image"]).arg(&png).arg(&jpg).output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), format!("{ACCOUNT}\n{ACCOUNT}\n"));
    let out = Command::new(BIN).args(["scan", "--image"]).arg(&empty).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no QR code found"));
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "not a picture").unwrap();
    let out = Command::new(BIN).args(["scan", "--image"]).arg(&text).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a PNG or JPEG"), "{}", String::from_utf8_lossy(&out.stderr));
}

/// "One payload per line" holds for payloads with line breaks: a vCard's are written as
/// `\r\n`, a backslash as `\\`, and a terminal control sequence is defused; --json keeps
/// the exact text.
#[test]
fn a_payload_with_line_breaks_takes_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let vcard = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:佐藤 花子\r\nNOTE:C:\\共有\tdesk\u{1b}[2J\u{2028}end\r\nEND:VCARD";
    let mut page = GrayImage::from_pixel(700, 700, image::Luma([250]));
    imageops::replace(&mut page, &render_code(vcard, EcLevel::M, 3, 4), 100, 100);
    let png = dir.path().join("card.png");
    page.save(&png).unwrap();

    let out = Command::new(BIN).args(["scan", "--image"]).arg(&png).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text, "BEGIN:VCARD\\r\\nVERSION:3.0\\r\\nFN:佐藤 花子\\r\\nNOTE:C:\\\\共有\\tdesk\\u001b[2J\\u2028end\\r\\nEND:VCARD\n");
    let out = Command::new(BIN).args(["scan", "--json", "--image"]).arg(&png).output().unwrap();
    let lines: Vec<&str> = std::str::from_utf8(&out.stdout).unwrap().lines().collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(serde_json::from_str::<serde_json::Value>(lines[0]).unwrap()["payload"], vcard);
    let help = String::from_utf8(Command::new(BIN).args(["scan", "--help"]).output().unwrap().stdout).unwrap();
    assert!(help.contains("still takes one line"), "{help}");
}

#[test]
fn a_microsoft_authenticator_code_is_named_with_the_way_to_a_standard_code() {
    let dir = tempfile::tempdir().unwrap();
    let uri = "phonefactor://activate_account?code=694660881&url=https://mobileappcommunicator.auth.microsoft.com/activatev2/123456789/abcdef";
    let mut page = GrayImage::from_pixel(700, 600, image::Luma([250]));
    imageops::replace(&mut page, &render_code(uri, EcLevel::M, 3, 4), 200, 150);
    let png = dir.path().join("security-info.png");
    page.save(&png).unwrap();
    let out = Command::new(BIN).args(["scan", "--json", "--image"]).arg(&png).output().unwrap();
    assert!(out.status.success());
    let line: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(line["kind"], "microsoft-authenticator");
    assert!(String::from_utf8_lossy(&out.stderr).contains("I want to use a different authenticator app"), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn duo_okta_and_app_store_codes_are_named_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let codes = [
        ("duo://X3kP9qLm2ZtR7vBn4WcY-YXBpLWU0YzlmYmU3LmR1b3NlY3VyaXR5LmNvbQ", "duo-mobile", "activates Duo Mobile only"),
        (
            "oktaverify://taro@example.co.jp/?t=Qm9ndXNUb2tlbkZvclRlc3Q&f=opf1a2b3c4d5e6f7g8h9&s=https://example.okta.com&issuer=example.okta.com",
            "okta-verify",
            "add \"Google Authenticator\" in your Okta settings",
        ),
        ("https://apps.apple.com/jp/app/google-authenticator/id388497605", "app-store", "opens an app store page"),
    ];
    // One setup page with the three codes side by side, as a screen would show them.
    let mut page = GrayImage::from_pixel(1500, 600, image::Luma([250]));
    for (i, (payload, _, _)) in codes.iter().enumerate() {
        imageops::replace(&mut page, &render_code(payload, EcLevel::M, 3, 4), 60 + 480 * i as i64, 120);
    }
    let png = dir.path().join("setup-pages.png");
    page.save(&png).unwrap();
    let out = Command::new(BIN).args(["scan", "--json", "--image"]).arg(&png).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let kinds: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["kind"].as_str().unwrap().to_owned())
        .collect();
    let stderr = String::from_utf8_lossy(&out.stderr);
    for (_, kind, guidance) in codes {
        assert!(kinds.iter().any(|k| k == kind), "{kind} not in {kinds:?}");
        assert!(stderr.contains(guidance), "{stderr}");
    }
}
