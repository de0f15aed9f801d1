//! Finding and reading QR codes on screenshots and pictures.
//!
//! General decoders search the whole picture at one threshold and miss what screens
//! show: 1 px modules, HiDPI blur, light-on-dark codes, codes pressed against page
//! content. Here finder patterns are located first (local thresholds, both polarities),
//! then each code is cut out, given a quiet zone, scaled and decoded alone. Pixels are
//! zeroized once read: a capture may hold a secret.

mod binarize;
mod decode;
pub mod desktop;
mod finder;
mod grid;
mod payload;
#[cfg(feature = "capture")]
pub mod screen;

pub use payload::{PayloadKind, classify};

use serde::Serialize;
use zeroize::{Zeroize, Zeroizing};

/// Where a code was found, in the image's pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rect {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundCode {
    pub payload: Zeroizing<String>,
    pub kind: PayloadKind,
    pub rect: Rect,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScanOutcome {
    /// Every distinct code read, in reading order (top to bottom, left to right).
    pub codes: Vec<FoundCode>,
    /// A code seems to run off the image's edge (two finders seen, the third outside).
    pub cut_off: bool,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum QrError {
    #[error("the picture is not a PNG or JPEG image, or it is damaged")]
    NotAnImage,
    #[error("the picture is {0}×{1} pixels, too large to scan")]
    TooLarge(u32, u32),
}

/// Larger than two 8K screens side by side: not a screenshot or a photo.
const MAX_PIXELS: u64 = 16_384 * 8_640;

fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Cut-outs handed to the decoders per image, best candidates first. Real codes rank at
/// the top; a page of text or icons can still leave dozens of weak candidates, and each
/// cut-out costs milliseconds.
const MAX_CUTOUTS: usize = 10;

/// Scans an 8-bit greyscale image (row-major, `width` pixels per row).
pub fn scan_luma(luma: &[u8], width: u32, height: u32) -> ScanOutcome {
    let (w, h) = (width as usize, height as usize);
    if w < 21 || h < 21 || luma.len() < w * h {
        return ScanOutcome::default();
    }
    let thresholds = binarize::Thresholds::new(luma, w, h);
    let image = finder::Image { luma, width: w, height: h, thresholds: &thresholds };
    let finders = finder::find(&image, threads());
    let mut candidates = candidates(&image, &finders, threads());
    candidates.sort_by(|a, b| b.quality.total_cmp(&a.quality));
    let mut outcome = ScanOutcome::default();
    let mut cutouts = 0;
    'candidates: for candidate in candidates {
        let group = candidate.group;
        let (left, top, right, bottom) = group.bounds();
        // Weak candidates are for a code too blurred to read its format information; once
        // a code was read, only another clearly readable code is looked for.
        if (!candidate.strong && !outcome.codes.is_empty()) || outcome.codes.iter().any(|c| overlaps(c.rect, left, top, right, bottom)) {
            continue;
        }
        // A weak candidate gets one cut and the fast decoder; a strong one every cut and
        // both decoders.
        let attempts = if candidate.strong { &decode::ATTEMPTS[..] } else { &decode::ATTEMPTS[..1] };
        let mut texts = Vec::new();
        for &attempt in attempts {
            if cutouts == MAX_CUTOUTS {
                break 'candidates;
            }
            cutouts += 1;
            let crop = decode::cut_out(luma, w, h, &group, attempt);
            texts = decode::with_rqrr(&crop);
            if texts.is_empty() && candidate.strong {
                texts = decode::with_rxing(&crop.pixels, crop.width, crop.height, false);
            }
            if !texts.is_empty() {
                break;
            }
        }
        let (x0, y0) = (left.max(0.0).min(w as f32 - 1.0), top.max(0.0).min(h as f32 - 1.0));
        let rect = Rect {
            x: x0 as u32,
            y: y0 as u32,
            width: (right.min(w as f32) - x0).max(1.0) as u32,
            height: (bottom.min(h as f32) - y0).max(1.0) as u32,
        };
        for payload in texts {
            push(&mut outcome.codes, payload, rect);
        }
        // Stop once the codes read account for the finders seen: no three are left over.
        let inside = |f: &finder::Finder| outcome.codes.iter().any(|c| overlaps(c.rect, f.x, f.y, f.x, f.y));
        if !outcome.codes.is_empty() && finders.iter().filter(|f| !inside(f)).nth(2).is_none() {
            break;
        }
    }
    // Candidates enough to use up the cut-outs and none read: the whole-image decoder gets
    // one look, which costs a bounded time whatever the page shows.
    if outcome.codes.is_empty() && cutouts == MAX_CUTOUTS {
        let whole = decode::Crop { pixels: Zeroizing::new(luma.to_vec()), width: w, height: h };
        for payload in decode::with_rqrr(&whole) {
            push(&mut outcome.codes, payload, Rect { x: 0, y: 0, width, height });
        }
    }
    outcome.codes.sort_by_key(|c| (c.rect.y, c.rect.x));
    outcome.cut_off = outcome.codes.is_empty() && finder::cut_off(&finders, w, h, |a, b| grid::timing_between(&image, a, b));
    outcome
}

/// Every group of finders that passes the grid checks; the corners are shared out among
/// `threads` threads.
fn candidates(image: &finder::Image, finders: &[finder::Finder], threads: usize) -> Vec<grid::Candidate> {
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads.max(1))
            .map(|first| {
                scope.spawn(move || {
                    (first..finders.len())
                        .step_by(threads.max(1))
                        .flat_map(|i| finder::groups_at(finders, i))
                        .filter_map(|g| grid::assess(image, g))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().expect("candidate checks")).collect()
    })
}

fn overlaps(rect: Rect, left: f32, top: f32, right: f32, bottom: f32) -> bool {
    let (x0, y0) = (rect.x as f32, rect.y as f32);
    let (x1, y1) = (x0 + rect.width as f32, y0 + rect.height as f32);
    left < x1 && x0 < right && top < y1 && y0 < bottom
}

fn push(codes: &mut Vec<FoundCode>, payload: Zeroizing<String>, rect: Rect) {
    if !codes.iter().any(|c| c.payload == payload) {
        let kind = classify(&payload);
        codes.push(FoundCode { payload, kind, rect });
    }
}

/// Scans RGBA pixels (a screen capture); the grey copy is zeroized afterwards.
pub fn scan_rgba(rgba: &[u8], width: u32, height: u32) -> ScanOutcome {
    let luma = to_luma(rgba);
    scan_luma(&luma, width, height)
}

/// Scans a small region the user selected (RGBA): enlarged 3× first, because a region is
/// chosen when the full-size scan failed, most often on tiny or blurred codes; then, if
/// still nothing, the whole-image search that also reads inverted codes.
pub fn scan_selection(rgba: &[u8], width: u32, height: u32) -> ScanOutcome {
    const ENLARGE: u32 = 3;
    let luma = to_luma(rgba);
    let Some(grey) = image::GrayImage::from_raw(width, height, luma.to_vec()) else {
        return ScanOutcome::default();
    };
    let big = image::imageops::resize(&grey, width * ENLARGE, height * ENLARGE, image::imageops::FilterType::CatmullRom);
    grey.into_raw().zeroize();
    let (bw, bh) = big.dimensions();
    let mut big = big.into_raw();
    let mut outcome = scan_luma(&big, bw, bh);
    whole_image_fallback(&mut outcome, &big, bw, bh);
    big.zeroize();
    for code in &mut outcome.codes {
        let r = code.rect;
        code.rect = Rect { x: r.x / ENLARGE, y: r.y / ENLARGE, width: r.width / ENLARGE, height: r.height / ENLARGE };
    }
    outcome
}

/// ITU-R BT.601 weights in integers, as decoders expect.
fn to_luma(rgba: &[u8]) -> Zeroizing<Vec<u8>> {
    Zeroizing::new(rgba.chunks_exact(4).map(|p| ((u32::from(p[0]) * 77 + u32::from(p[1]) * 150 + u32::from(p[2]) * 29) >> 8) as u8).collect())
}

/// Scans a picture file's bytes (PNG or JPEG: a screenshot, or a photo of a phone's
/// export screen). Photos can be tilted or in perspective, so when the finder search
/// reads nothing, ZXing's whole-image search (rxing) gets a turn.
pub fn scan_picture(bytes: &[u8]) -> Result<ScanOutcome, QrError> {
    if !png_palette_fits(bytes) {
        return Err(QrError::NotAnImage);
    }
    let reader = image::ImageReader::new(std::io::Cursor::new(bytes)).with_guessed_format().map_err(|_| QrError::NotAnImage)?;
    let (w, h) = reader.into_dimensions().map_err(|_| QrError::NotAnImage)?;
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(QrError::TooLarge(w, h));
    }
    let decoded = image::load_from_memory(bytes).map_err(|_| QrError::NotAnImage)?;
    let luma = Zeroizing::new(decoded.to_luma8().into_raw());
    decoded.into_bytes().zeroize();
    let mut outcome = scan_luma(&luma, w, h);
    whole_image_fallback(&mut outcome, &luma, w, h);
    Ok(outcome)
}

/// Whether a PNG's palette chunk (if any) holds whole RGB entries, as the PNG standard
/// requires. The `png` crate (0.18.1) panics on a palette whose length is not a multiple of
/// three (found by fuzzing), so such a file is refused before it is decoded. Anything that
/// is not a PNG passes: it is for the decoders to judge.
fn png_palette_fits(bytes: &[u8]) -> bool {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    let Some(mut rest) = bytes.strip_prefix(SIGNATURE) else {
        return true;
    };
    while let Some((header, after)) = rest.split_first_chunk::<8>() {
        let length = u32::from_be_bytes([header[0], header[1], header[2], header[3]]) as usize;
        match &header[4..] {
            b"PLTE" => return length > 0 && length.is_multiple_of(3) && length <= 3 * 256,
            b"IDAT" | b"IEND" => return true,
            _ => {}
        }
        let Some(next) = after.get(length.saturating_add(4)..) else {
            return true;
        };
        rest = next;
    }
    true
}

/// When the finder search read nothing: ZXing's whole-image search (rxing, inverted codes
/// too), which also reads tilted and perspective-distorted codes. Too slow for every
/// screen, fine for one picture or a small selected area.
fn whole_image_fallback(outcome: &mut ScanOutcome, luma: &[u8], width: u32, height: u32) {
    if !outcome.codes.is_empty() {
        return;
    }
    for payload in decode::with_rxing(luma, width as usize, height as usize, true) {
        push(&mut outcome.codes, payload, Rect { x: 0, y: 0, width, height });
    }
    outcome.cut_off &= outcome.codes.is_empty();
}

#[cfg(test)]
mod tests;
