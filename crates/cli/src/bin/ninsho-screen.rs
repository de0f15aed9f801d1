//! `ninsho-screen`: reads the QR codes on every screen (or in one area of the desktop) for
//! `ninsho scan`, which starts it. Run alone it does the same.

use std::process::ExitCode;

use clap::Parser;
use ninsho_cli::scan::{Area, run_screens};

#[derive(Parser)]
#[command(name = "ninsho-screen", version, about = "Read QR codes on every screen (started by `ninsho scan`)")]
struct Cli {
    /// One JSON object per code, with its kind and position.
    #[arg(long)]
    json: bool,
    /// Only this rectangle of the desktop (physical pixels), enlarged.
    #[arg(long, value_name = "X,Y,W,H")]
    area: Option<Area>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    run_screens(cli.area, cli.json)
}
