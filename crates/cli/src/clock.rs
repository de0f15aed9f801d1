//! `ninsho clock`: the PC clock's offset from network time, for people and scripts.

use std::process::ExitCode;
use std::time::Duration;

use clap::Args;
use ninsho_core::clock::{AGREEMENT_SECONDS, ClockConfig, Limit, Measurement, NotApplied, Readings, Thresholds, Verdict, assess, measure};
use serde_json::json;

use crate::vault::Context;

#[derive(Args)]
pub struct ClockArgs {
    /// An NTP server (HOST or HOST:PORT); repeat for several, tried in order. Servers or
    /// --https given here replace the defaults.
    #[arg(long = "server", value_name = "HOST[:PORT]")]
    servers: Vec<String>,
    /// An HTTP(S) URL whose Date header is asked beside the NTP servers: it cross-checks them
    /// and stands in where UDP is blocked.
    #[arg(long, value_name = "URL")]
    https: Option<String>,
    /// Seconds to wait for each reply.
    #[arg(long, default_value_t = 2.0)]
    timeout: f64,
}

const EXIT_WARN: u8 = 3;
const EXIT_ERROR: u8 = 4;
const EXIT_UNMEASURED: u8 = 2;

fn fix_for_this_os() -> &'static str {
    match std::env::consts::OS {
        "windows" => "Settings → Time & language → Date & time → Sync now",
        "macos" => "System Settings → General → Date & Time → Set time and date automatically",
        _ => "turn on automatic time (e.g. `timedatectl set-ntp true`)",
    }
}

fn describe(m: &Measurement) -> String {
    let seconds = m.offset.abs();
    let direction = if m.offset > 0.0 { "slow" } else { "fast" };
    if seconds < 0.5 {
        format!("This PC's clock is within 0.5 s of network time (±{:.2} s, from {}).", m.uncertainty, m.source)
    } else {
        format!("This PC's clock is {seconds:.1} s {direction} (±{:.2} s, from {}).", m.uncertainty, m.source)
    }
}

/// "NTP a, NTP b and the Date header of …".
fn names(readings: &Readings) -> String {
    let names: Vec<String> = readings.all().iter().map(|m| m.source.to_string()).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => names.concat(),
    }
}

/// What the app does with the offset when its correction is on, in the core's words.
fn correction_sentence(correction: &Result<i64, NotApplied>, readings: &Readings) -> String {
    let lead = "With \"correct codes using network time\" on, the app";
    match correction {
        Ok(seconds) => format!("{lead} shifts codes by {seconds:+} s: {} agree within {AGREEMENT_SECONDS} s.", names(readings)),
        Err(why) => {
            let mut sentence = format!("{lead} does not correct codes: {why}.");
            for (source, error) in readings.failures() {
                sentence.push_str(&format!(" Also tried: {source} ({error})."));
            }
            sentence
        }
    }
}

fn correction_json(correction: &Result<i64, NotApplied>, limit: Limit) -> serde_json::Value {
    match correction {
        Ok(seconds) => json!({ "applied": true, "seconds": seconds, "limit": limit }),
        Err(why) => {
            let mut v = serde_json::to_value(why).unwrap_or_default();
            v["applied"] = json!(false);
            v["message"] = json!(why.to_string());
            v["limit"] = json!(limit);
            v
        }
    }
}

pub fn run(ctx: &Context, args: ClockArgs) -> ExitCode {
    let mut config = ClockConfig::default();
    let policy = ninsho_core::policy::load().policy;
    let limit = policy.correction_limit();
    if !args.servers.is_empty() || args.https.is_some() {
        for (given, managed) in [
            (!args.servers.is_empty(), policy.clock_servers.as_ref().map(|m| &m.source)),
            (args.https.is_some(), policy.clock_https_url.as_ref().map(|m| &m.source)),
        ] {
            if let (true, Some(source)) = (given, managed) {
                eprintln!("ninsho: the time servers are managed by your organization (set by {source}); see `ninsho policy`");
                return ExitCode::from(EXIT_UNMEASURED);
            }
        }
        config.servers = args.servers;
        config.https_url = args.https;
    }
    if let Some(servers) = policy.clock_servers {
        config.servers = servers.value;
    }
    if let Some(url) = policy.clock_https_url {
        config.https_url = Some(url.value).filter(|u| !u.is_empty());
    }
    if args.timeout.is_finite() && args.timeout > 0.0 {
        config.timeout = Duration::from_secs_f64(args.timeout);
    }
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("ninsho: could not start the network runtime: {e}");
            return ExitCode::from(EXIT_UNMEASURED);
        }
    };
    let thresholds = Thresholds::default();
    match runtime.block_on(measure(&config)) {
        Ok(readings) => {
            let m = readings.primary();
            let assessment = assess(&readings, &thresholds, limit);
            let verdict = assessment.verdict;
            if ctx.json {
                let unanswered: Vec<_> = readings.failures().iter().map(|(source, error)| json!({ "source": source, "error": error })).collect();
                println!(
                    "{}",
                    json!({
                        "offset": m.offset, "uncertainty": m.uncertainty, "source": m.source, "verdict": verdict, "thresholds": thresholds,
                        "sources": readings.all(), "unanswered": unanswered, "correction": correction_json(&assessment.correction, limit),
                    })
                );
            } else {
                println!("{}", describe(m));
                match verdict {
                    Verdict::Ok => println!("OK: codes will be accepted."),
                    Verdict::Warn => println!("Warning: codes may be rejected. Fix: {}.", fix_for_this_os()),
                    Verdict::Error => {
                        println!("Codes will be rejected. Fix: {}.", fix_for_this_os())
                    }
                }
                println!("{}", correction_sentence(&assessment.correction, &readings));
            }
            ExitCode::from(match verdict {
                Verdict::Ok => 0,
                Verdict::Warn => EXIT_WARN,
                Verdict::Error => EXIT_ERROR,
            })
        }
        Err(e) => {
            if ctx.json {
                let tried: Vec<_> = e.0.iter().map(|(source, error)| json!({ "source": source, "error": error })).collect();
                println!("{}", json!({ "verdict": "unknown", "tried": tried }));
            }
            eprintln!("ninsho: {e}. No warning is given without a measurement.");
            ExitCode::from(EXIT_UNMEASURED)
        }
    }
}
