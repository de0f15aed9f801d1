//! The scanner on seeded synthetic screenshots: every category the scanner must handle,
//! screens without codes, a code cut off at the edge, and pictures as files.

use image::{GrayImage, Luma, imageops};
use ninsho_core::qr::{PayloadKind, QrError, scan_luma, scan_picture, scan_rgba};
use ninsho_qr_corpus::{Category, render_code, screen};
use qrcode::EcLevel;

#[test]
fn every_category_is_read_exactly() {
    for category in Category::ALL {
        for (w, h, seed) in [(1366, 768, 7), (1920, 1080, 8), (1920, 1080, 9)] {
            let s = screen(category, w, h, seed);
            let outcome = scan_luma(s.image.as_raw(), w, h);
            let mut got: Vec<&str> = outcome.codes.iter().map(|c| c.payload.as_str()).collect();
            let mut want: Vec<&str> = s.payloads.iter().map(String::as_str).collect();
            got.sort();
            want.sort();
            assert_eq!(got, want, "{} at {w}x{h}, seed {seed}", category.name());
        }
    }
}

#[test]
fn codes_are_named_by_kind_and_placed() {
    let s = screen(Category::TwoCodes, 1920, 1080, 3);
    let outcome = scan_luma(s.image.as_raw(), 1920, 1080);
    let kinds: Vec<PayloadKind> = outcome.codes.iter().map(|c| c.kind).collect();
    assert!(kinds.contains(&PayloadKind::Account) && kinds.contains(&PayloadKind::WebAddress), "{kinds:?}");
    for code in &outcome.codes {
        // The rectangle covers the code: the pixels there are not all one colour.
        let r = code.rect;
        assert!(r.width > 20 && r.height > 20 && r.x + r.width <= 1920 && r.y + r.height <= 1080);
        let (mut lo, mut hi) = (255, 0);
        for y in r.y..r.y + r.height {
            for x in r.x..r.x + r.width {
                let v = s.image.get_pixel(x, y).0[0];
                (lo, hi) = (lo.min(v), hi.max(v));
            }
        }
        assert!(hi - lo > 128);
    }
}

const URI: &str = "otpauth://totp/Payroll:sato?secret=JBSWY3DPEHPK3PXP&issuer=Payroll";

fn blank(w: u32, h: u32) -> GrayImage {
    GrayImage::from_pixel(w, h, Luma([250]))
}

fn png(img: &GrayImage) -> Vec<u8> {
    let mut bytes = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png).expect("PNG in memory");
    bytes
}

/// Rotated by `degrees` about the centre, nearest pixel: a tilted photo.
fn rotated(img: &GrayImage, degrees: f32) -> GrayImage {
    let (s, c) = degrees.to_radians().sin_cos();
    let (cx, cy) = (img.width() as f32 / 2.0, img.height() as f32 / 2.0);
    GrayImage::from_fn(img.width(), img.height(), |x, y| {
        let (dx, dy) = (x as f32 - cx, y as f32 - cy);
        let (sx, sy) = (c * dx + s * dy + cx, -s * dx + c * dy + cy);
        if sx >= 0.0 && sy >= 0.0 && (sx as u32) < img.width() && (sy as u32) < img.height() {
            *img.get_pixel(sx as u32, sy as u32)
        } else {
            Luma([250])
        }
    })
}

#[test]
fn a_code_cut_off_at_the_screen_edge_gets_a_hint() {
    let code = render_code(URI, EcLevel::M, 4, 4);
    let mut img = blank(1280, 800);
    // The bottom third of the code hangs below the screen.
    imageops::replace(&mut img, &code, 400, i64::from(800 - code.height() * 2 / 3));
    let outcome = scan_luma(img.as_raw(), 1280, 800);
    assert!(outcome.codes.is_empty());
    assert!(outcome.cut_off);
    // The same code fully on screen: read, and no hint.
    let mut img = blank(1280, 800);
    imageops::replace(&mut img, &code, 400, 300);
    let outcome = scan_luma(img.as_raw(), 1280, 800);
    assert_eq!(outcome.codes.len(), 1);
    assert!(!outcome.cut_off);
}

#[test]
fn rgba_captures_and_picture_files() {
    let code = render_code(URI, EcLevel::L, 3, 4);
    let mut img = blank(800, 600);
    imageops::replace(&mut img, &code, 100, 100);
    let rgba: Vec<u8> = img.as_raw().iter().flat_map(|&v| [v, v, v, 255]).collect();
    assert_eq!(scan_rgba(&rgba, 800, 600).codes[0].payload.as_str(), URI);
    assert_eq!(scan_picture(&png(&img)).unwrap().codes[0].payload.as_str(), URI);
    // A tilted photo defeats the row-and-column finder search; the whole-picture search
    // reads it.
    let tilted = rotated(&img, 17.0);
    assert!(scan_luma(tilted.as_raw(), 800, 600).codes.is_empty());
    assert_eq!(scan_picture(&png(&tilted)).unwrap().codes[0].payload.as_str(), URI);
    assert_eq!(scan_picture(b"GIF89a not really"), Err(QrError::NotAnImage));
}
