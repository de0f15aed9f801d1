//! Reading one located code: cut it out, give it a clean quiet zone, make it dark on
//! light, scale it to a module size decoders like, then decode (rqrr, then rxing).

use std::collections::HashSet;

use image::{GrayImage, imageops};
use zeroize::{Zeroize, Zeroizing};

use super::finder::Group;

/// How each code is cut out, tried in turn until one reads: how much beyond the code's
/// estimated edge to keep (in modules) and the module size to scale to (in pixels).
/// Keeping a little more survives small errors in the estimate; keeping none cuts off
/// page content pressed against a code without a quiet zone.
pub const ATTEMPTS: [(f32, f32); 3] = [(0.3, 5.0), (0.0, 5.0), (0.3, 7.0)];
/// Quiet zone added around the cut-out code, in modules.
const QUIET: f32 = 4.0;

/// A cut-out code, normalized for the decoders; zeroized when dropped.
pub struct Crop {
    pub pixels: Zeroizing<Vec<u8>>,
    pub width: usize,
    pub height: usize,
}

/// The code a group of finders belongs to, as a normalized image ready for the decoders.
pub fn cut_out(luma: &[u8], width: usize, height: usize, group: &Group, (keep, target): (f32, f32)) -> Crop {
    let (left, top, right, bottom) = group.bounds();
    let module = group.module();
    let slack = keep * module;
    let (left, top) = ((left - slack).floor().max(0.0) as usize, (top - slack).floor().max(0.0) as usize);
    let right = ((right + slack).ceil().max(0.0) as usize).min(width - 1);
    let bottom = ((bottom + slack).ceil().max(0.0) as usize).min(height - 1);
    let margin = (QUIET * module).ceil() as usize;
    let (w, h) = (right - left + 1 + 2 * margin, bottom - top + 1 + 2 * margin);
    let mut pixels = Zeroizing::new(vec![255u8; w * h]);
    let invert = group.inverted();
    for y in top..=bottom {
        let source = &luma[y * width + left..=y * width + right];
        let target = &mut pixels[(y - top + margin) * w + margin..][..source.len()];
        for (t, &s) in target.iter_mut().zip(source) {
            *t = if invert { 255 - s } else { s };
        }
    }
    stretch(&mut pixels);
    let scale = target / module;
    if (0.8..=1.25).contains(&scale) {
        return Crop { pixels, width: w, height: h };
    }
    let (sw, sh) = (((w as f32) * scale).round().max(1.0) as u32, ((h as f32) * scale).round().max(1.0) as u32);
    let filter = if scale > 1.0 { imageops::FilterType::CatmullRom } else { imageops::FilterType::Triangle };
    let source = GrayImage::from_raw(w as u32, h as u32, std::mem::take(&mut *pixels)).expect("buffer matches its size");
    let resized = imageops::resize(&source, sw, sh, filter);
    source.into_raw().zeroize();
    Crop { pixels: Zeroizing::new(resized.into_raw()), width: sw as usize, height: sh as usize }
}

/// Full contrast: the darkest pixel black and the lightest white (blur and JPEG leave
/// modules grey, which rqrr's fixed offset threshold then misreads).
fn stretch(pixels: &mut [u8]) {
    let (min, max) = pixels.iter().fold((255u8, 0u8), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    if max > min {
        let range = u32::from(max - min);
        for v in pixels.iter_mut() {
            *v = ((u32::from(*v - min) * 255) / range) as u8;
        }
    }
}

/// rqrr on a prepared crop. rqrr 0.11 asserts on some skewed grids it finds in page
/// content (a perspective mapping a point beyond `i32`), so a panic inside it counts as
/// nothing read instead of ending the scan.
pub fn with_rqrr(crop: &Crop) -> Vec<Zeroizing<String>> {
    std::panic::catch_unwind(|| {
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(crop.width, crop.height, |x, y| crop.pixels[y * crop.width + x]);
        img.detect_grids().into_iter().filter_map(|g| g.decode().ok()).map(|(_, text)| Zeroizing::new(text)).collect()
    })
    .unwrap_or_default()
}

/// rxing (ZXing's detector and hybrid binarizer) on a prepared crop, or on a whole
/// image when `thorough` (inverted codes too, every code).
pub fn with_rxing(pixels: &[u8], width: usize, height: usize, thorough: bool) -> Vec<Zeroizing<String>> {
    let mut hints = rxing::DecodeHints {
        TryHarder: Some(true),
        AlsoInverted: Some(thorough),
        PossibleFormats: Some(HashSet::from([rxing::BarcodeFormat::QR_CODE])),
        ..Default::default()
    };
    rxing::helpers::detect_multiple_in_luma_with_hints(pixels.to_vec(), width as u32, height as u32, &mut hints)
        .map(|found| found.into_iter().map(|r| Zeroizing::new(r.getText().to_owned())).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ninsho_qr_corpus::{Category, screen};

    #[test]
    fn a_decoder_panic_on_page_content_reads_as_nothing() {
        // rqrr 0.11 asserts in its perspective mapping on this screen of look-alikes.
        let s = screen(Category::LookAlikesNoCode, 3840, 2160, 0xf0000140001);
        let whole = Crop { pixels: Zeroizing::new(s.image.into_raw()), width: 3840, height: 2160 };
        assert!(with_rqrr(&whole).is_empty());
    }
}
