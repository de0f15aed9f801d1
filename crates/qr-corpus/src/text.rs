//! Real text: glyphs from installed fonts (Noto Sans CJK for Japanese, DejaVu for Latin
//! and code), rasterized anti-aliased with ClearType-like colour fringes, then seen in
//! grey as the scanner sees a screen capture. Letters such as "o", "e", "8", "回" and
//! "■" are full of the 1:1:3:1:1 runs a finder pattern has, which strokes drawn as
//! rectangles never are.

use std::sync::OnceLock;

use ab_glyph::{Font, FontVec, PxScale, ScaleFont, point};
use image::{GrayImage, Luma};

/// Which installed font draws a run of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Face {
    /// Noto Sans CJK JP: Japanese and the Latin mixed into it.
    Japanese,
    JapaneseBold,
    /// DejaVu Sans.
    Latin,
    LatinBold,
    /// DejaVu Sans Mono: code editors, spreadsheets' numbers.
    Mono,
}

struct Fonts {
    japanese: FontVec,
    japanese_bold: FontVec,
    latin: FontVec,
    latin_bold: FontVec,
    mono: FontVec,
}

fn load(path: &str, package: &str) -> FontVec {
    let bytes =
        std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}; the real-text screens need Debian's {package} (scripts/test installs it)"));
    FontVec::try_from_vec_and_index(bytes, 0).unwrap_or_else(|e| panic!("{path} is not a usable font: {e}"))
}

fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| Fonts {
        japanese: load("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "fonts-noto-cjk"),
        japanese_bold: load("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", "fonts-noto-cjk"),
        latin: load("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "fonts-dejavu-core"),
        latin_bold: load("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", "fonts-dejavu-core"),
        mono: load("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf", "fonts-dejavu-core"),
    })
}

fn font(face: Face) -> &'static FontVec {
    let f = fonts();
    match face {
        Face::Japanese => &f.japanese,
        Face::JapaneseBold => &f.japanese_bold,
        Face::Latin => &f.latin,
        Face::LatinBold => &f.latin_bold,
        Face::Mono => &f.mono,
    }
}

/// A colour on screen; the scanner sees it through the BT.601 luma weights.
pub type Rgb = [u8; 3];

pub fn luma(c: Rgb) -> u8 {
    ((u32::from(c[0]) * 77 + u32::from(c[1]) * 150 + u32::from(c[2]) * 29) >> 8) as u8
}

/// How text is drawn: face, size in device pixels, colour.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub face: Face,
    pub px: f32,
    pub ink: Rgb,
}

/// The width `text` takes in `style`.
pub fn width(style: Style, text: &str) -> f32 {
    let font = font(style.face).as_scaled(PxScale::from(style.px));
    let mut x = 0.0;
    let mut previous = None;
    for c in text.chars() {
        let id = font.glyph_id(c);
        if let Some(p) = previous {
            x += font.kern(p, id);
        }
        x += font.h_advance(id);
        previous = Some(id);
    }
    x
}

/// Line height for `style`.
pub fn line_height(style: Style) -> f32 {
    let font = font(style.face).as_scaled(PxScale::from(style.px));
    (font.ascent() - font.descent() + font.line_gap()).max(style.px * 1.2)
}

/// Draws `text` with its top-left at (x, y); returns where the next character would go.
/// Each glyph is rasterized three times, a third of a pixel apart, for the red, green and
/// blue subpixels, as ClearType and FreeType's LCD filter draw text.
pub fn draw(img: &mut GrayImage, style: Style, x: f32, y: f32, text: &str) -> f32 {
    let font = font(style.face);
    let scaled = font.as_scaled(PxScale::from(style.px));
    let baseline = y + scaled.ascent();
    let mut pen = x;
    let mut previous = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = previous {
            pen += scaled.kern(p, id);
        }
        draw_glyph(img, font, style, id, pen, baseline);
        pen += scaled.h_advance(id);
        previous = Some(id);
    }
    pen
}

fn draw_glyph(img: &mut GrayImage, font: &FontVec, style: Style, id: ab_glyph::GlyphId, x: f32, baseline: f32) {
    let scale = PxScale::from(style.px);
    let Some(centre) = font.outline_glyph(id.with_scale_and_position(scale, point(x, baseline))) else {
        return;
    };
    let bounds = centre.px_bounds();
    let (left, top) = (bounds.min.x as i64 - 1, bounds.min.y as i64);
    let (w, h) = ((bounds.width() as i64 + 3) as usize, (bounds.height() as i64 + 1) as usize);
    let mut coverage = vec![[0f32; 3]; w * h];
    for (channel, shift) in [-1.0 / 3.0, 0.0, 1.0 / 3.0].into_iter().enumerate() {
        let Some(glyph) = font.outline_glyph(id.with_scale_and_position(scale, point(x + shift, baseline))) else {
            continue;
        };
        let b = glyph.px_bounds();
        let (dx, dy) = (b.min.x as i64 - left, b.min.y as i64 - top);
        glyph.draw(|gx, gy, c| {
            let (cx, cy) = (i64::from(gx) + dx, i64::from(gy) + dy);
            if cx >= 0 && cy >= 0 && (cx as usize) < w && (cy as usize) < h {
                coverage[cy as usize * w + cx as usize][channel] = c.min(1.0);
            }
        });
    }
    for cy in 0..h {
        for cx in 0..w {
            let cov = coverage[cy * w + cx];
            if cov == [0.0; 3] {
                continue;
            }
            let (px, py) = (left + cx as i64, top + cy as i64);
            if px < 0 || py < 0 || px >= i64::from(img.width()) || py >= i64::from(img.height()) {
                continue;
            }
            let background = f32::from(img.get_pixel(px as u32, py as u32).0[0]);
            let mixed: Rgb = std::array::from_fn(|i| (background * (1.0 - cov[i]) + f32::from(style.ink[i]) * cov[i]).round() as u8);
            img.put_pixel(px as u32, py as u32, Luma([luma(mixed)]));
        }
    }
}

/// Draws `text` wrapped to `max_width` (at spaces in Latin text, anywhere in Japanese);
/// returns the y below the last line.
pub fn paragraph(img: &mut GrayImage, style: Style, x: f32, mut y: f32, max_width: f32, text: &str) -> f32 {
    let line = line_height(style);
    let mut current = String::new();
    let mut pieces: Vec<String> = Vec::new();
    for c in text.chars() {
        current.push(c);
        if c == ' ' || !c.is_ascii() {
            pieces.push(std::mem::take(&mut current));
        }
    }
    pieces.push(current);
    let mut row = String::new();
    for piece in pieces {
        if !row.is_empty() && width(style, &(row.clone() + &piece)) > max_width {
            draw(img, style, x, y, row.trim_end());
            y += line;
            row.clear();
            if y > img.height() as f32 {
                return y;
            }
        }
        row.push_str(&piece);
    }
    if !row.is_empty() {
        draw(img, style, x, y, row.trim_end());
        y += line;
    }
    y
}
