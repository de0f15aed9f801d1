//! `ninsho scan`: read QR codes on every screen, or in picture files.
//!
//! The codes are read by a second executable, `ninsho-screen`, beside `ninsho`: screen
//! capture links GBM, Wayland and XCB on Linux, and the decoders bring tables (rxing's text
//! encodings above all) that every `ninsho code` would otherwise load and relocate at start
//! (measured: `ninsho code` took 2.8× oathtool's time with capture, 1.8× without; without
//! the decoders too, 15 % fewer relocations and 1.20–1.47× instead of 1.50–1.66×).

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use anyhow::Context as _;
use clap::Args;
use ninsho_core::qr::{FoundCode, PayloadKind, ScanOutcome, scan_picture, screen};
use serde_json::json;

#[derive(Args)]
pub struct ScanArgs {
    /// Read these picture files (PNG, JPEG) instead of the screens.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    image: Vec<PathBuf>,
    /// Read only this rectangle of the desktop (physical pixels), enlarged: what the app's
    /// "select an area" does when a full scan found nothing.
    #[arg(long, value_name = "X,Y,W,H", conflicts_with = "image")]
    area: Option<Area>,
}

#[derive(Clone, Copy, Debug)]
pub struct Area {
    x: i32,
    y: i32,
    width: u32,
    height: u32,
}

impl std::fmt::Display for Area {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{},{},{},{}", self.x, self.y, self.width, self.height)
    }
}

impl std::str::FromStr for Area {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let parts: Vec<&str> = s.split(',').map(str::trim).collect();
        let [x, y, w, h] = parts[..] else {
            return Err("expected X,Y,WIDTH,HEIGHT".into());
        };
        let number = |v: &str| v.parse::<i64>().map_err(|_| format!("{v:?} is not a whole number"));
        let (x, y, w, h) = (number(x)?, number(y)?, number(w)?, number(h)?);
        if w <= 0 || h <= 0 {
            return Err("the width and height must be positive".into());
        }
        Ok(Area { x: x as i32, y: y as i32, width: w as u32, height: h as u32 })
    }
}

/// Where a code was seen: a monitor (with its desktop offset) or a file.
struct Source {
    name: String,
    x: i32,
    y: i32,
    outcome: ScanOutcome,
}

fn print(code: &FoundCode, source: &Source, json: bool) {
    if json {
        let r = code.rect;
        let line = json!({
            "payload": code.payload.as_str(),
            "kind": code.kind,
            "source": source.name,
            "x": source.x + r.x as i32,
            "y": source.y + r.y as i32,
            "width": r.width,
            "height": r.height,
        });
        println!("{line}");
    } else {
        println!("{}", OneLine(code.payload.as_str()));
    }
}

/// A payload on one line, however many it has (a vCard or Wi-Fi code has several): line
/// breaks, tabs and other control characters as JSON writes them (`\n`, `\t`, `\u001b`),
/// and `\` as `\\`, so that the escapes can be undone. A terminal then never receives a
/// control sequence from a picture either. Written piece by piece: the payload may be a key.
struct OneLine<'a>(&'a str);

impl std::fmt::Display for OneLine<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use std::fmt::Write as _;
        for c in self.0.chars() {
            match c {
                '\\' => f.write_str("\\\\")?,
                '\n' => f.write_str("\\n")?,
                '\r' => f.write_str("\\r")?,
                '\t' => f.write_str("\\t")?,
                // U+2028 and U+2029 end lines too in some editors and languages.
                c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') => write!(f, "\\u{:04x}", u32::from(c))?,
                c => f.write_char(c)?,
            }
        }
        Ok(())
    }
}

/// `ninsho-screen`'s work: picture files, one area of the desktop, or every screen.
pub fn read_codes(args: ScanArgs, json: bool) -> ExitCode {
    let sources = if args.image.is_empty() { scan_screens(args.area) } else { scan_pictures(&args.image) };
    exit_status(sources.map(|sources| report(&sources, json)))
}

fn exit_status(result: anyhow::Result<bool>) -> ExitCode {
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("ninsho: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Runs `ninsho-screen` with the same arguments. Exit status: 0 when a code was read, 1 when
/// none was or on an error.
pub fn run(args: ScanArgs, json: bool) -> ExitCode {
    let helper = match std::env::current_exe() {
        Ok(exe) => exe.with_file_name(format!("ninsho-screen{}", std::env::consts::EXE_SUFFIX)),
        Err(e) => return exit_status(Err(anyhow::anyhow!("cannot find the ninsho executable: {e}"))),
    };
    let mut command = std::process::Command::new(&helper);
    if json {
        command.arg("--json");
    }
    if let Some(area) = args.area {
        command.arg("--area").arg(area.to_string());
    }
    if !args.image.is_empty() {
        command.arg("--image").args(&args.image);
    }
    let status = command.status().with_context(|| format!("cannot start {} (it reads QR codes and belongs beside ninsho)", helper.display()));
    match status {
        Ok(status) => ExitCode::from(u8::try_from(status.code().unwrap_or(1)).unwrap_or(1)),
        Err(e) => exit_status(Err(e)),
    }
}

fn scan_screens(area: Option<Area>) -> anyhow::Result<Vec<Source>> {
    Ok(if let Some(a) = area {
        vec![Source { name: "area".into(), x: a.x, y: a.y, outcome: screen::scan_area(a.x, a.y, a.width, a.height)? }]
    } else {
        let cancel = AtomicBool::new(false);
        screen::scan_screens(&cancel)?.into_iter().map(|m| Source { name: m.name, x: m.x, y: m.y, outcome: m.outcome }).collect()
    })
}

fn scan_pictures(paths: &[PathBuf]) -> anyhow::Result<Vec<Source>> {
    let mut sources = Vec::new();
    for path in paths {
        let bytes = zeroize::Zeroizing::new(std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?);
        let outcome = scan_picture(&bytes).with_context(|| path.display().to_string())?;
        sources.push(Source { name: path.display().to_string(), x: 0, y: 0, outcome });
    }
    Ok(sources)
}

/// What to do about a code that is not a standard setup code but is often taken for one.
pub fn guidance(kind: PayloadKind) -> Option<&'static str> {
    Some(match kind {
        PayloadKind::MicrosoftAuthenticator => {
            "that code is for Microsoft Authenticator only; on Microsoft's \"Security info\" page choose \"I want to use a different authenticator app\" for a standard code"
        }
        PayloadKind::DuoMobile => {
            "that code activates Duo Mobile only (the app fetches its key from Duo's server); use Duo Mobile, or ask your IT department which other methods are allowed"
        }
        PayloadKind::OktaVerify => {
            "that code is for Okta Verify only; if your organization allows it, add \"Google Authenticator\" in your Okta settings for a standard code"
        }
        PayloadKind::AppStore => "that code opens an app store page; the setup code comes on the setup page's next step",
        PayloadKind::Account | PayloadKind::Migration | PayloadKind::WebAddress | PayloadKind::Text => return None,
    })
}

/// Prints every code found; true when there was one.
fn report(sources: &[Source], json: bool) -> bool {
    let mut found = false;
    for source in sources {
        for code in &source.outcome.codes {
            print(code, source, json);
            if let Some(guidance) = guidance(code.kind) {
                eprintln!("ninsho: {guidance}");
            }
            found = true;
        }
    }
    if !found {
        let cut_off = sources.iter().any(|s| s.outcome.cut_off);
        eprintln!(
            "ninsho: no QR code found{}",
            if cut_off { "; one seems cut off at the edge of the screen: scroll it fully into view" } else { "" }
        );
    }
    found
}
