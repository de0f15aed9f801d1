//! Synthetic screenshots for the QR scanner: a seeded generator, so the tests and the
//! benchmark see the same screens on every machine. Each screen is what a monitor shows
//! (a web page, light or dark, busy or plain) with zero, one or two QR codes drawn the
//! way browsers draw them, plus the payloads a correct decoder must return.
//!
//! The older categories draw "text" as strokes; the real-text categories (`pages`) draw
//! letters from installed fonts, which are full of finder-like runs.

mod code;
pub mod pages;
pub mod text;

pub use code::render_code;

use image::{GrayImage, Luma, imageops};
use qrcode::EcLevel;

/// Screen sizes the scanner must handle, from an old laptop to a 5K display.
pub const SIZES: [(u32, u32); 5] = [(1366, 768), (1920, 1080), (2560, 1440), (3840, 2160), (5120, 2880)];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    /// 3–6 px modules on a plain page.
    Plain,
    /// 1 px modules at 100 % scaling.
    Module1px,
    /// 2 px modules.
    Module2px,
    /// A 1–3 px-module code scaled by a HiDPI factor with bilinear filtering, as browsers do.
    Hidpi125,
    Hidpi150,
    Hidpi175,
    /// Light modules on a dark background.
    Inverted,
    /// No quiet zone: page content touches the code.
    NoQuietZone,
    /// The whole screen through JPEG at quality 40–70 (screen sharing, remote desktops).
    Jpeg,
    /// A page crowded with text and pictures.
    Busy,
    /// A dark-theme page with the code on its own light card.
    Dark,
    /// A Google Authenticator export code (long payload, high version).
    Migration,
    /// An otpauth code next to a web-address code.
    TwoCodes,
    /// No QR code at all: anything decoded is a false positive.
    NoCode,
    /// A 2FA setup page in real Japanese and Latin text (menu, steps, a table, a form),
    /// the code at 1–3 CSS px modules times the screen's scale factor.
    TextPage,
    /// The same in a dark theme, the code on a light card.
    TextPageDark,
    /// A spreadsheet (gridlines, numbers, dates) with the code pasted over its cells.
    Spreadsheet,
    /// A code editor full of monospace text with the code in a preview pane.
    CodeEditor,
    /// Icon rows, checkboxes, "scan me" logos, Data Matrix and Aztec codes, big kanji, and
    /// one QR code among them.
    LookAlikes,
    /// Real-text pages (setup page, spreadsheet, editor) without a code.
    TextNoCode,
    /// The look-alikes without a QR code.
    LookAlikesNoCode,
}

impl Category {
    pub const ALL: [Category; 21] = [
        Category::Plain,
        Category::Module1px,
        Category::Module2px,
        Category::Hidpi125,
        Category::Hidpi150,
        Category::Hidpi175,
        Category::Inverted,
        Category::NoQuietZone,
        Category::Jpeg,
        Category::Busy,
        Category::Dark,
        Category::Migration,
        Category::TwoCodes,
        Category::NoCode,
        Category::TextPage,
        Category::TextPageDark,
        Category::Spreadsheet,
        Category::CodeEditor,
        Category::LookAlikes,
        Category::TextNoCode,
        Category::LookAlikesNoCode,
    ];

    /// Whether screens of this category show a QR code.
    pub fn has_code(self) -> bool {
        !matches!(self, Category::NoCode | Category::TextNoCode | Category::LookAlikesNoCode)
    }

    /// Whether the category draws real glyphs from installed fonts.
    pub fn real_text(self) -> bool {
        matches!(
            self,
            Category::TextPage
                | Category::TextPageDark
                | Category::Spreadsheet
                | Category::CodeEditor
                | Category::LookAlikes
                | Category::TextNoCode
                | Category::LookAlikesNoCode
        )
    }

    pub fn name(self) -> &'static str {
        match self {
            Category::Plain => "plain",
            Category::Module1px => "1px-modules",
            Category::Module2px => "2px-modules",
            Category::Hidpi125 => "hidpi-125%",
            Category::Hidpi150 => "hidpi-150%",
            Category::Hidpi175 => "hidpi-175%",
            Category::Inverted => "inverted",
            Category::NoQuietZone => "no-quiet-zone",
            Category::Jpeg => "jpeg",
            Category::Busy => "busy-page",
            Category::Dark => "dark-page",
            Category::Migration => "google-export",
            Category::TwoCodes => "two-codes",
            Category::NoCode => "no-code",
            Category::TextPage => "text-page",
            Category::TextPageDark => "text-page-dark",
            Category::Spreadsheet => "spreadsheet",
            Category::CodeEditor => "code-editor",
            Category::LookAlikes => "look-alikes",
            Category::TextNoCode => "text-no-code",
            Category::LookAlikesNoCode => "look-alikes-no-code",
        }
    }
}

/// One synthetic screenshot and what is on it.
pub struct Screen {
    pub category: Category,
    pub seed: u64,
    pub image: GrayImage,
    /// Every payload drawn on the screen; a decoder should return exactly these.
    pub payloads: Vec<String>,
}

/// `per_cell` screens for every category at every size, seeded by position.
pub fn corpus(per_cell: u64) -> impl Iterator<Item = Screen> {
    corpus_of(Category::ALL.to_vec(), per_cell)
}

/// `per_cell` screens for each of `categories` at every size, seeded as in [`corpus`].
pub fn corpus_of(categories: Vec<Category>, per_cell: u64) -> impl Iterator<Item = Screen> {
    SIZES.into_iter().flat_map(move |(w, h)| {
        categories.clone().into_iter().flat_map(move |c| {
            (0..per_cell).map(move |i| {
                let seed = (u64::from(w) << 32) ^ ((c as u64) << 16) ^ i;
                screen(c, w, h, seed)
            })
        })
    })
}

const BASE32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const ISSUERS: [&str; 6] = ["Payroll", "%E7%B5%A6%E4%B8%8E%E3%82%B7%E3%82%B9%E3%83%86%E3%83%A0", "ExampleCorp", "Kintai", "Mail", "VPN"];

fn otpauth(rng: &mut fastrand::Rng) -> String {
    let secret: String = (0..[16, 26, 32][rng.usize(..3)]).map(|_| BASE32[rng.usize(..32)] as char).collect();
    let issuer = ISSUERS[rng.usize(..ISSUERS.len())];
    let user = format!("{}{:04}%40example.co.jp", ['a', 'b'][rng.usize(..2)], rng.u32(..10000));
    format!("otpauth://totp/{issuer}:{user}?secret={secret}&issuer={issuer}")
}

fn migration(rng: &mut fastrand::Rng) -> String {
    const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789%2B%2F";
    let data: String = (0..rng.usize(200..360)).map(|_| B64[rng.usize(..62)] as char).collect();
    format!("otpauth-migration://offline?data={data}%3D")
}

fn web_address(rng: &mut fastrand::Rng) -> String {
    format!("https://example.co.jp/help/2fa?session={:08x}", rng.u32(..))
}

struct Page {
    background: u8,
    ink: u8,
}

fn fill(img: &mut GrayImage, x: u32, y: u32, w: u32, h: u32, value: u8) {
    for yy in y..(y + h).min(img.height()) {
        for xx in x..(x + w).min(img.width()) {
            img.put_pixel(xx, yy, Luma([value]));
        }
    }
}

/// Lines of "words" made of glyph-sized strokes: edges everywhere, like real text.
fn text_block(img: &mut GrayImage, rng: &mut fastrand::Rng, page: &Page, x0: u32, y0: u32, w: u32, lines: u32) {
    let size = rng.u32(9..15);
    for line in 0..lines {
        let y = y0 + line * (size + size / 2 + 2);
        let mut x = x0;
        while x + 40 < x0 + w {
            let word = rng.u32(2..9);
            for _ in 0..word {
                let glyph = rng.u32(size / 2..size);
                // A glyph: a few vertical and horizontal strokes.
                fill(img, x, y + rng.u32(0..3), 1 + rng.u32(0..2), size - rng.u32(0..4), page.ink);
                fill(img, x, y + size / 2, glyph, 1 + rng.u32(0..2), page.ink);
                if rng.bool() {
                    fill(img, x + glyph - 2, y + size / 3, 2, size * 2 / 3, page.ink);
                }
                x += glyph + 2;
            }
            x += size / 2 + 2;
        }
    }
}

/// A photo-like area: smooth gradients with noise.
fn picture(img: &mut GrayImage, rng: &mut fastrand::Rng, x0: u32, y0: u32, w: u32, h: u32) {
    let (a, b) = (rng.f32() * 255.0, rng.f32() * 255.0);
    for y in y0..(y0 + h).min(img.height()) {
        for x in x0..(x0 + w).min(img.width()) {
            let t = (x - x0) as f32 / w as f32 * 0.7 + (y - y0) as f32 / h as f32 * 0.3;
            let v = a + (b - a) * t + (rng.f32() - 0.5) * 60.0;
            img.put_pixel(x, y, Luma([v.clamp(0.0, 255.0) as u8]));
        }
    }
}

fn page(rng: &mut fastrand::Rng, w: u32, h: u32, dark: bool, busy: bool) -> (GrayImage, Page) {
    let page =
        if dark { Page { background: rng.u8(18..40), ink: rng.u8(180..235) } } else { Page { background: rng.u8(235..=255), ink: rng.u8(20..90) } };
    let mut img = GrayImage::from_pixel(w, h, Luma([page.background]));
    // Browser chrome: a toolbar and a tab strip.
    fill(&mut img, 0, 0, w, 70, if dark { 50 } else { 222 });
    text_block(&mut img, rng, &page, 20, 25, w / 3, 1);
    let blocks = if busy { 40 } else { 8 };
    for _ in 0..blocks {
        let (x, y) = (rng.u32(0..w - 200), rng.u32(80..h - 100));
        if rng.u32(0..4) == 0 {
            let (pw, ph) = (rng.u32(120..500), rng.u32(80..300));
            picture(&mut img, rng, x, y, pw, ph);
        } else {
            let (tw, lines) = (rng.u32(200..700), rng.u32(1..8));
            text_block(&mut img, rng, &page, x, y, tw, lines);
        }
    }
    (img, page)
}

/// Draws `code` at a random place, clearing what was under it.
fn place(img: &mut GrayImage, rng: &mut fastrand::Rng, code: &GrayImage, avoid: Option<(u32, u32, u32, u32)>) -> (u32, u32) {
    for _ in 0..100 {
        let x = rng.u32(0..img.width() - code.width());
        let y = rng.u32(80..img.height() - code.height());
        let clear =
            avoid.is_none_or(|(ax, ay, aw, ah)| x + code.width() + 20 < ax || ax + aw + 20 < x || y + code.height() + 20 < ay || ay + ah + 20 < y);
        if clear {
            imageops::replace(img, code, i64::from(x), i64::from(y));
            return (x, y);
        }
    }
    panic!("no room for a second code");
}

fn scaled(code: &GrayImage, factor: f32) -> GrayImage {
    let side = (code.width() as f32 * factor).round() as u32;
    imageops::resize(code, side, side, imageops::FilterType::Triangle)
}

fn jpeg(img: &GrayImage, quality: u8) -> GrayImage {
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, quality).encode_image(img).expect("JPEG encoding in memory");
    image::load_from_memory(&bytes).expect("our own JPEG").to_luma8()
}

pub fn screen(category: Category, w: u32, h: u32, seed: u64) -> Screen {
    if category.real_text() {
        return real_text_screen(category, w, h, seed);
    }
    let mut rng = fastrand::Rng::with_seed(seed);
    let ec = [EcLevel::L, EcLevel::M, EcLevel::Q][rng.usize(..3)];
    let dark = category == Category::Dark || (category == Category::Busy && rng.bool());
    let busy = matches!(category, Category::Busy | Category::NoQuietZone | Category::NoCode | Category::Jpeg);
    let (mut img, page_colors) = page(&mut rng, w, h, dark, busy);
    let mut payloads = Vec::new();
    let payload = if category == Category::Migration { migration(&mut rng) } else { otpauth(&mut rng) };
    let hidpi = match category {
        Category::Hidpi125 => Some(1.25),
        Category::Hidpi150 => Some(1.5),
        Category::Hidpi175 => Some(1.75),
        _ => None,
    };
    let module = match category {
        Category::Module1px => 1,
        Category::Module2px => 2,
        _ if hidpi.is_some() => rng.u32(1..4),
        _ => rng.u32(3..7),
    };
    if category != Category::NoCode {
        let quiet = if category == Category::NoQuietZone { 0 } else { 4 };
        let mut code = render_code(&payload, ec, module, quiet);
        if let Some(factor) = hidpi {
            code = scaled(&code, factor);
        }
        if category == Category::Inverted {
            imageops::invert(&mut code);
        }
        if category == Category::NoQuietZone {
            // Text right up to the code's edge on every side.
            let (x, y) = place(&mut img, &mut rng, &code, None);
            let s = code.width();
            let band = 6 * module;
            text_block(&mut img, &mut rng, &page_colors, x.saturating_sub(band), y.saturating_sub(band), s + 2 * band, 1);
            fill(&mut img, x.saturating_sub(band), y, band, s, page_colors.ink / 2);
            fill(&mut img, x + s, y, band, s, page_colors.ink / 2);
            text_block(&mut img, &mut rng, &page_colors, x, y + s, s, 1);
            imageops::replace(&mut img, &code, i64::from(x), i64::from(y));
        } else {
            let (x, y) = place(&mut img, &mut rng, &code, None);
            if category == Category::TwoCodes {
                let web = web_address(&mut rng);
                let other = render_code(&web, EcLevel::M, module, 4);
                place(&mut img, &mut rng, &other, Some((x, y, code.width(), code.height())));
                payloads.push(web);
            }
        }
        payloads.push(payload);
    }
    if category == Category::Jpeg {
        img = jpeg(&img, rng.u8(40..=70));
    }
    Screen { category, seed, image: img, payloads }
}

fn real_text_screen(category: Category, w: u32, h: u32, seed: u64) -> Screen {
    let mut rng = fastrand::Rng::with_seed(seed);
    let s = pages::scale_for(&mut rng, w);
    let dark = category == Category::TextPageDark || (category != Category::TextPage && rng.u32(0..3) == 0);
    let theme = pages::theme(dark);
    let mut img = GrayImage::from_pixel(w, h, Luma([theme.background]));
    let payload = otpauth(&mut rng);
    let css_module = rng.u32(1..4);
    let code = category.has_code().then(|| pages::code_image(&payload, &mut rng, css_module, s));
    let side = code.as_ref().map(GrayImage::width);
    let slot = match category {
        Category::TextPage | Category::TextPageDark => pages::setup_page(&mut img, &mut rng, &theme, s, side),
        Category::Spreadsheet => {
            pages::spreadsheet(&mut img, &mut rng, &theme, s);
            None
        }
        Category::CodeEditor => {
            pages::code_editor(&mut img, &mut rng, &theme, s);
            None
        }
        Category::LookAlikes | Category::LookAlikesNoCode => {
            pages::look_alikes(&mut img, &mut rng, &theme, s);
            None
        }
        _ => {
            match rng.u32(0..3) {
                0 => drop(pages::setup_page(&mut img, &mut rng, &theme, s, None)),
                1 => pages::spreadsheet(&mut img, &mut rng, &theme, s),
                _ => pages::code_editor(&mut img, &mut rng, &theme, s),
            }
            None
        }
    };
    let mut payloads = Vec::new();
    if let Some(code) = code {
        let slot = slot.unwrap_or_else(|| {
            (rng.f32() * (w - code.width()) as f32, 110.0 * s + rng.f32() * (h as f32 - 110.0 * s - code.height() as f32).max(0.0))
        });
        pages::place_code(&mut img, &code, slot);
        payloads.push(payload);
    }
    Screen { category, seed, image: img, payloads }
}
