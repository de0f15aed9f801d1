//! `ninsho-screen`: reads the QR codes on every screen, in one area of the desktop or in
//! picture files for `ninsho scan`, which starts it. Run alone it does the same.

use std::process::ExitCode;

use clap::Parser;
use ninsho_cli::scan::{ScanArgs, read_codes};

#[derive(Parser)]
#[command(name = "ninsho-screen", version, about = "Read QR codes on every screen or in pictures (started by `ninsho scan`)")]
struct Cli {
    /// One JSON object per code, with its kind and position.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    scan: ScanArgs,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    read_codes(cli.scan, cli.json)
}
