//! `ninsho scan`: read QR codes on every screen, or in picture files.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use anyhow::Context as _;
use clap::Args;
use ninsho_core::qr::{FoundCode, ScanOutcome, scan_picture, screen};
use serde_json::json;

#[derive(Args)]
pub struct ScanArgs {
    /// Read these picture files (PNG, JPEG) instead of the screens.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    image: Vec<PathBuf>,
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
        println!("{}", code.payload.as_str());
    }
}

/// Exit status: 0 when a code was read, 1 when none was or on an error.
pub fn run(args: ScanArgs, json: bool) -> ExitCode {
    match scan(args, json) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("ninsho: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn scan(args: ScanArgs, json: bool) -> anyhow::Result<bool> {
    let sources = if args.image.is_empty() {
        let cancel = AtomicBool::new(false);
        screen::scan_screens(&cancel)?
            .into_iter()
            .map(|m| Source { name: m.name, x: m.x, y: m.y, outcome: m.outcome })
            .collect()
    } else {
        let mut sources = Vec::new();
        for path in &args.image {
            let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
            let outcome = scan_picture(&bytes).with_context(|| path.display().to_string())?;
            sources.push(Source { name: path.display().to_string(), x: 0, y: 0, outcome });
        }
        sources
    };
    let mut found = false;
    for source in &sources {
        for code in &source.outcome.codes {
            print(code, source, json);
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
    Ok(found)
}
