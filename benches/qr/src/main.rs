//! Runs Ninsho's screen decoder, plain rqrr, rxing (try-harder, multi, also-inverted) and
//! zbar over the same seeded synthetic screens, in one run, and prints detection per
//! category and decode time per screen size.
//!
//! `cargo run --release -p ninsho-qr-bench -- [--per-cell N] [--dump DIR] [--only NAME]`

mod zbar;

use std::collections::{BTreeMap, HashSet};
use std::time::{Duration, Instant};

use ninsho_qr_corpus::{Category, SIZES, Screen, corpus};
use rxing::{BarcodeFormat, DecodeHints};

type Decoder = fn(&[u8], u32, u32) -> Vec<String>;

fn ninsho(luma: &[u8], width: u32, height: u32) -> Vec<String> {
    ninsho_core::qr::scan_luma(luma, width, height).codes.into_iter().map(|c| c.payload.to_string()).collect()
}

fn rqrr(luma: &[u8], width: u32, height: u32) -> Vec<String> {
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(width as usize, height as usize, |x, y| luma[y * width as usize + x]);
    img.detect_grids().into_iter().filter_map(|g| g.decode().ok()).map(|(_, text)| text).collect()
}

fn rxing(luma: &[u8], width: u32, height: u32) -> Vec<String> {
    let mut hints = DecodeHints {
        TryHarder: Some(true),
        AlsoInverted: Some(true),
        PossibleFormats: Some(HashSet::from([BarcodeFormat::QR_CODE])),
        ..Default::default()
    };
    rxing::helpers::detect_multiple_in_luma_with_hints(luma.to_vec(), width, height, &mut hints)
        .map(|found| found.into_iter().map(|r| r.getText().to_owned()).collect())
        .unwrap_or_default()
}

const DECODERS: [(&str, Decoder); 4] = [("ninsho", ninsho), ("rqrr", rqrr), ("rxing", rxing), ("zbar", zbar::decode)];

#[derive(Default)]
struct Tally {
    screens: usize,
    detected: usize,
    wrong: usize,
    false_positive: usize,
}

fn percentile(times: &mut [Duration], p: f64) -> f64 {
    times.sort();
    let i = ((times.len() as f64 - 1.0) * p).round() as usize;
    times[i].as_secs_f64() * 1000.0
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let flag = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let per_cell: u64 = flag("--per-cell").map_or(4, |n| n.parse().expect("--per-cell N"));
    let dump = flag("--dump");
    let only = flag("--only");
    let decoders: Vec<_> = DECODERS.iter().filter(|(name, _)| only.as_deref().is_none_or(|o| o == *name)).collect();

    let mut tallies: BTreeMap<(&str, Category), Tally> = BTreeMap::new();
    let mut times: BTreeMap<(&str, (u32, u32)), Vec<Duration>> = BTreeMap::new();
    let mut misses: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for Screen { category, seed, image, payloads } in corpus(per_cell) {
        let (w, h) = image.dimensions();
        if let Some(dir) = &dump {
            image.save(format!("{dir}/{}-{w}x{h}-{seed:x}.png", category.name())).expect("--dump DIR is writable");
        }
        let luma = image.as_raw();
        for (name, decode) in &decoders {
            let start = Instant::now();
            let found = decode(luma, w, h);
            let took = start.elapsed();
            if args.iter().any(|a| a == "--verbose") {
                eprintln!("{name:>7} {:<14} {w}x{h} {seed:x}: {:>6.1} ms, {} found", category.name(), took.as_secs_f64() * 1e3, found.len());
            }
            times.entry((name, (w, h))).or_default().push(took);
            let tally = tallies.entry((name, category)).or_default();
            tally.screens += 1;
            let expected: HashSet<&str> = payloads.iter().map(String::as_str).collect();
            let got: HashSet<&str> = found.iter().map(String::as_str).collect();
            if category == Category::NoCode {
                tally.false_positive += usize::from(!got.is_empty());
            } else if expected.is_subset(&got) {
                tally.detected += 1;
            } else {
                misses.entry(name).or_default().push(format!("{}-{w}x{h}-{seed:x}", category.name()));
            }
            tally.wrong += got.difference(&expected).filter(|_| category != Category::NoCode).count();
        }
    }

    let names: Vec<&str> = decoders.iter().map(|(n, _)| *n).collect();
    println!("Detection rate per category ({per_cell} screens per category and size, {} sizes)\n", SIZES.len());
    print!("{:<16}", "category");
    names.iter().for_each(|n| print!("{n:>10}"));
    println!();
    let mut totals: BTreeMap<&str, Tally> = BTreeMap::new();
    for category in Category::ALL {
        print!("{:<16}", category.name());
        for name in &names {
            let t = &tallies[&(*name, category)];
            let total = totals.entry(name).or_default();
            total.screens += t.screens;
            total.detected += t.detected;
            total.wrong += t.wrong;
            total.false_positive += t.false_positive;
            if category == Category::NoCode {
                print!("{:>10}", format!("{} FP", t.false_positive));
            } else {
                print!("{:>9.1}%", 100.0 * t.detected as f64 / t.screens as f64);
            }
        }
        println!();
    }
    let with_codes = (Category::ALL.len() - 1) * SIZES.len() * per_cell as usize;
    print!("{:<16}", "all with a code");
    names.iter().for_each(|n| print!("{:>9.1}%", 100.0 * totals[n].detected as f64 / with_codes as f64));
    println!();
    print!("{:<16}", "wrong payloads");
    names.iter().for_each(|n| print!("{:>10}", totals[n].wrong));
    println!("\n\nDecode time per screen, median / p95 in ms (ratio: decoder's median / ninsho's median)\n");
    print!("{:<12}", "size");
    names.iter().for_each(|n| print!("{n:>22}"));
    println!();
    for size in SIZES {
        print!("{:<12}", format!("{}x{}", size.0, size.1));
        let base = times.get_mut(&("ninsho", size)).map(|t| percentile(t, 0.5));
        for name in &names {
            let t = times.get_mut(&(*name, size)).expect("timed");
            let (median, p95) = (percentile(t, 0.5), percentile(t, 0.95));
            let ratio = base.map_or(String::new(), |b| format!(" ({:.1}x)", median / b));
            print!("{:>22}", format!("{median:.0} / {p95:.0}{ratio}"));
        }
        println!();
    }
    if args.iter().any(|a| a == "--misses") {
        for (name, list) in misses {
            println!("\n{name} missed: {}", list.join(" "));
        }
    }
}
