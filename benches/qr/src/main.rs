//! Runs Ninsho's screen decoder, plain rqrr, rxing (try-harder, multi, also-inverted) and
//! zbar over the same seeded synthetic screens, in one run, and prints detection per
//! category and decode time per screen size (median, p99 and the worst screen).
//!
//! `cargo run --release -p ninsho-qr-bench -- [--per-cell N] [--dump DIR] [--only NAME]`

mod zbar;

use std::collections::{BTreeMap, HashSet};
use std::time::{Duration, Instant};

use ninsho_qr_corpus::{Category, SIZES, Screen, corpus_of};
use rxing::{BarcodeFormat, DecodeHints};

type Decoder = fn(&[u8], u32, u32) -> Vec<String>;

fn ninsho(luma: &[u8], width: u32, height: u32) -> Vec<String> {
    ninsho_core::qr::scan_luma(luma, width, height).codes.into_iter().map(|c| c.payload.to_string()).collect()
}

/// rqrr asserts on some grids it finds in page content; a panic counts as nothing read.
fn rqrr(luma: &[u8], width: u32, height: u32) -> Vec<String> {
    std::panic::catch_unwind(|| {
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(width as usize, height as usize, |x, y| luma[y * width as usize + x]);
        img.detect_grids().into_iter().filter_map(|g| g.decode().ok()).map(|(_, text)| text).collect()
    })
    .unwrap_or_default()
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
    let category_filter = flag("--category");
    let decoders: Vec<_> = DECODERS.iter().filter(|(name, _)| only.as_deref().is_none_or(|o| o == *name)).collect();

    let mut tallies: BTreeMap<(&str, Category), Tally> = BTreeMap::new();
    let mut times: BTreeMap<(&str, (u32, u32)), Vec<Duration>> = BTreeMap::new();
    let mut misses: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut slowest: Vec<(String, Duration)> = Vec::new();
    let categories: Vec<Category> = Category::ALL.into_iter().filter(|c| category_filter.as_deref().is_none_or(|f| f == c.name())).collect();
    let screens = corpus_of(categories.clone(), per_cell);
    for Screen { category, seed, image, payloads } in screens {
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
            if *name == "ninsho" {
                slowest.push((format!("{}-{w}x{h}-{seed:x}", category.name()), took));
            }
            let tally = tallies.entry((name, category)).or_default();
            tally.screens += 1;
            let expected: HashSet<&str> = payloads.iter().map(String::as_str).collect();
            let got: HashSet<&str> = found.iter().map(String::as_str).collect();
            if !category.has_code() {
                tally.false_positive += usize::from(!got.is_empty());
            } else if expected.is_subset(&got) {
                tally.detected += 1;
            } else {
                misses.entry(name).or_default().push(format!("{}-{w}x{h}-{seed:x}", category.name()));
            }
            tally.wrong += got.difference(&expected).filter(|_| category.has_code()).count();
        }
    }

    let names: Vec<&str> = decoders.iter().map(|(n, _)| *n).collect();
    if let Some(dir) = flag("--pages") {
        pages(&dir, &decoders);
    }
    println!("Detection rate per category ({per_cell} screens per category and size, {} sizes)\n", SIZES.len());
    print!("{:<16}", "category");
    names.iter().for_each(|n| print!("{n:>10}"));
    println!();
    let mut totals: BTreeMap<&str, Tally> = BTreeMap::new();
    for &category in &categories {
        print!("{:<16}", category.name());
        for name in &names {
            let t = &tallies[&(*name, category)];
            let total = totals.entry(name).or_default();
            total.screens += t.screens;
            total.detected += t.detected;
            total.wrong += t.wrong;
            total.false_positive += t.false_positive;
            if !category.has_code() {
                print!("{:>10}", format!("{} FP", t.false_positive));
            } else {
                print!("{:>9.1}%", 100.0 * t.detected as f64 / t.screens as f64);
            }
        }
        println!();
    }
    let with_codes = categories.iter().filter(|c| c.has_code()).count() * SIZES.len() * per_cell as usize;
    print!("{:<16}", "all with a code");
    names.iter().for_each(|n| print!("{:>9.1}%", 100.0 * totals[n].detected as f64 / with_codes as f64));
    println!();
    print!("{:<16}", "wrong payloads");
    names.iter().for_each(|n| print!("{:>10}", totals[n].wrong));
    println!("\n\nDecode time per screen in ms: median / p99 / max (ratio: decoder's median / ninsho's median)\n");
    print!("{:<12}", "size");
    names.iter().for_each(|n| print!("{n:>26}"));
    println!();
    for size in SIZES {
        print!("{:<12}", format!("{}x{}", size.0, size.1));
        let base = times.get_mut(&("ninsho", size)).map(|t| percentile(t, 0.5));
        for name in &names {
            let t = times.get_mut(&(*name, size)).expect("timed");
            let (median, p99, max) = (percentile(t, 0.5), percentile(t, 0.99), percentile(t, 1.0));
            let ratio = base.map_or(String::new(), |b| format!(" ({:.1}x)", median / b));
            print!("{:>26}", format!("{median:.0} / {p99:.0} / {max:.0}{ratio}"));
        }
        println!();
    }
    if let Some((slowest, took)) = slowest.iter().max_by(|a, b| a.1.cmp(&b.1)) {
        println!("\nninsho's slowest screen: {slowest} ({:.0} ms)", took.as_secs_f64() * 1e3);
    }
    if args.iter().any(|a| a == "--misses") {
        for (name, list) in misses {
            println!("\n{name} missed: {}", list.join(" "));
        }
    }
}

/// Screenshots of real pages (tests/pages rendered by headless Chromium, from scripts/bench):
/// `NAME.png` beside `NAME.txt`, which holds the payload of the code shown, or nothing.
fn pages(dir: &str, decoders: &[&(&str, Decoder)]) {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("--pages DIR exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    files.sort();
    println!("Real pages rendered by Chromium: found, and ms\n");
    print!("{:<36}", "page");
    decoders.iter().for_each(|(n, _)| print!("{n:>14}"));
    println!();
    for file in files {
        let expected = std::fs::read_to_string(file.with_extension("txt")).unwrap_or_default();
        let image = image::open(&file).expect("a PNG the bench script rendered").to_luma8();
        let (w, h) = image.dimensions();
        print!("{:<36}", file.file_stem().unwrap_or_default().to_string_lossy());
        for (_, decode) in decoders {
            let start = Instant::now();
            let found = decode(image.as_raw(), w, h);
            let took = start.elapsed().as_secs_f64() * 1e3;
            let verdict = match (expected.trim().is_empty(), found.iter().any(|f| f == expected.trim())) {
                (true, _) if found.is_empty() => "ok",
                (true, _) => "FP",
                (false, true) => "ok",
                (false, false) => "miss",
            };
            print!("{:>14}", format!("{verdict} {took:.0}"));
        }
        println!();
    }
    println!();
}
