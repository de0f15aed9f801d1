//! Screens of real text, laid out the way ordinary pages are: a browser's tab strip,
//! address and bookmark bars, a 2FA setup page with a menu, paragraphs, steps, a sign-in
//! table and a form; a spreadsheet; a code editor; a page of things that look most like
//! finder patterns (icon rows, checkboxes, QR-like logos, Data Matrix and Aztec codes).
//! Sizes are CSS pixels times the screen's scale factor, as browsers draw them.

use image::{GrayImage, Luma, imageops};

use crate::text::{self, Face, Rgb, Style};

const JAPANESE: [&str; 14] = [
    "ログイン時に、パスワードに加えて認証アプリに表示される確認コードの入力が必要になります。",
    "スマートフォンまたはパソコンの認証アプリで、下の QR コードを読み取ってください。",
    "QR コードを読み取れない場合は、アカウント名とキーを手動で入力してください（時間ベース）。",
    "確認コードを 5 回続けて間違えると、アカウントは 30 分間ロックされます。",
    "パソコンの時計が正しくないと、確認コードが一致しないことがあります。",
    "設定が完了したら、表示された 6 桁のコードを入力して「確認」を押してください。",
    "複数のログイン ID をお持ちの方は、ID ごとに設定が必要です。",
    "給与明細・勤怠・経費精算の各システムで同じ認証アプリを利用できます。",
    "ご不明な点は、社内ヘルプデスク（内線 2345）までお問い合わせください。",
    "前回のログイン：2026年11月30日 08:42（東京、Chrome）",
    "バックアップファイルを使うと、別の PC にアカウントを移せます。",
    "セキュリティのため、このページを閉じると QR コードは再発行されます。",
    "回答期限：12月15日（月）までに設定を完了してください。",
    "■ 重要なお知らせ　□ 未読 3 件　◆ メンテナンス予定　●オンライン",
];

const ENGLISH: [&str; 12] = [
    "Two-step verification adds a second step when you sign in: a six-digit code from your authenticator app.",
    "Scan the QR code below with Google Authenticator, Microsoft Authenticator or any TOTP app.",
    "Can't scan it? Enter the account name and this key instead, and choose time-based.",
    "After five wrong codes your account is locked for 30 minutes for your protection.",
    "If the codes don't match, check that your computer's clock is set automatically.",
    "Recovery codes: keep them somewhere safe; each can be used once.",
    "Last sign-in: Nov 30, 2026 08:42 from Tokyo (Chrome on Windows 11).",
    "Settings  Security  Devices  Notifications  Billing  Help & feedback",
    "Your organization requires 2-step verification for all accounts from Dec 15.",
    "By continuing you agree to the Terms of Service and the Privacy Policy.",
    "000 111 222 888 808 080 @@@ ### %%% &&& mmm www ooo eee aaa 888 0O0 8B8",
    "Download backup  Import backup  Export as QR code  Sync to another device",
];

const MENU: [&str; 10] = ["ホーム", "マイページ", "セキュリティ", "2段階認証", "ログイン履歴", "お知らせ", "Settings", "Security", "Devices", "Help"];
const TABS: [&str; 6] =
    ["2段階認証の設定 - 社内ポータル", "Gmail - 受信トレイ (3)", "Security settings", "勤怠管理システム", "Microsoft 365", "経費精算"];
const CODE_LINES: [&str; 12] = [
    "fn verify(code: &str, secret: &[u8], now: u64) -> bool {",
    "    let counter = now / 30; // RFC 6238 time step",
    "    for drift in [-1i64, 0, 1] {",
    "        if hotp(secret, (counter as i64 + drift) as u64) == code {",
    "            return true;",
    "    }",
    "}",
    "const QR = document.querySelector('#qr-code > img');",
    "if (err) { console.error(`[2fa] ${err.message}`); return; }",
    "#[derive(Debug, Clone, PartialEq, Eq)] // 0o777 0x88 0b1010",
    "    assert_eq!(totp(b\"12345678901234567890\", 59), \"287082\");",
    "<div class=\"qr\"><img src=\"/2fa/qr.png\" alt=\"QR\"></div>",
];

/// What a page draws with, light or dark.
#[derive(Clone, Copy)]
pub struct Theme {
    pub background: u8,
    pub chrome: u8,
    pub ink: Rgb,
    pub muted: Rgb,
    pub link: Rgb,
    pub line: u8,
}

pub fn theme(dark: bool) -> Theme {
    if dark {
        Theme { background: 32, chrome: 48, ink: [230, 230, 230], muted: [160, 160, 170], link: [138, 180, 248], line: 80 }
    } else {
        Theme { background: 255, chrome: 222, ink: [32, 33, 36], muted: [95, 99, 104], link: [26, 13, 171], line: 200 }
    }
}

pub fn fill(img: &mut GrayImage, x: f32, y: f32, w: f32, h: f32, value: u8) {
    let (x0, y0) = (x.max(0.0) as u32, y.max(0.0) as u32);
    let (x1, y1) = (((x + w).max(0.0) as u32).min(img.width()), ((y + h).max(0.0) as u32).min(img.height()));
    for yy in y0..y1 {
        for xx in x0..x1 {
            img.put_pixel(xx, yy, Luma([value]));
        }
    }
}

fn outline(img: &mut GrayImage, x: f32, y: f32, w: f32, h: f32, thickness: f32, value: u8) {
    fill(img, x, y, w, thickness, value);
    fill(img, x, y + h - thickness, w, thickness, value);
    fill(img, x, y, thickness, h, value);
    fill(img, x + w - thickness, y, thickness, h, value);
}

fn pick<'a>(rng: &mut fastrand::Rng, list: &[&'a str]) -> &'a str {
    list[rng.usize(..list.len())]
}

/// A typical scale factor for a screen of this width: 100 % on small laptops, 150–200 %
/// on 4K and 5K.
pub fn scale_for(rng: &mut fastrand::Rng, width: u32) -> f32 {
    let choices: &[f32] = match width {
        0..=1400 => &[1.0],
        1401..=2600 => &[1.0, 1.25, 1.5],
        2601..=4000 => &[1.5, 1.75, 2.0],
        _ => &[2.0, 2.25],
    };
    choices[rng.usize(..choices.len())]
}

/// The browser around a page: tabs, address bar, bookmarks with favicons. Returns the
/// height it takes.
pub fn browser_chrome(img: &mut GrayImage, rng: &mut fastrand::Rng, t: &Theme, s: f32) -> f32 {
    let w = img.width() as f32;
    fill(img, 0.0, 0.0, w, 36.0 * s, t.chrome);
    let tab = Style { face: Face::Japanese, px: 12.0 * s, ink: t.ink };
    let mut x = 8.0 * s;
    for _ in 0..rng.usize(3..7) {
        if x > w - 240.0 * s {
            break;
        }
        fill(img, x, 6.0 * s, 232.0 * s, 30.0 * s, t.background);
        favicon(img, rng, x + 8.0 * s, 13.0 * s, 16.0 * s, t);
        text::draw(img, tab, x + 30.0 * s, 13.0 * s, pick(rng, &TABS));
        x += 240.0 * s;
    }
    let bar = Style { face: Face::Latin, px: 14.0 * s, ink: t.ink };
    fill(img, 80.0 * s, 42.0 * s, w - 200.0 * s, 28.0 * s, t.chrome.saturating_add(16));
    let url = format!("https://portal.example.co.jp/account/security/2fa/setup?step={}", rng.u32(1..4));
    text::draw(img, bar, 96.0 * s, 47.0 * s, &url);
    let mut x = 12.0 * s;
    let mark = Style { face: Face::Japanese, px: 12.0 * s, ink: t.ink };
    while x < w - 150.0 * s {
        favicon(img, rng, x, 80.0 * s, 16.0 * s, t);
        x = text::draw(img, mark, x + 20.0 * s, 79.0 * s, pick(rng, &MENU)) + 18.0 * s;
    }
    fill(img, 0.0, 102.0 * s, w, s.max(1.0), t.line);
    104.0 * s
}

/// A site icon: nested squares, rings or a letter, the shapes toolbars are full of.
fn favicon(img: &mut GrayImage, rng: &mut fastrand::Rng, x: f32, y: f32, size: f32, t: &Theme) {
    let dark = text::luma(t.ink);
    match rng.u32(0..3) {
        0 => {
            fill(img, x, y, size, size, dark);
            fill(img, x + size / 7.0, y + size / 7.0, size * 5.0 / 7.0, size * 5.0 / 7.0, t.background);
            fill(img, x + size * 2.0 / 7.0, y + size * 2.0 / 7.0, size * 3.0 / 7.0, size * 3.0 / 7.0, dark);
        }
        1 => outline(img, x, y, size, size, (size / 8.0).max(1.0), dark),
        _ => {
            let letter = ["G", "M", "回", "田", "8", "@"][rng.usize(..6)];
            text::draw(img, Style { face: Face::JapaneseBold, px: size, ink: t.ink }, x, y - size * 0.2, letter);
        }
    }
}

/// A checkbox, ticked or not, with its label.
fn checkbox(img: &mut GrayImage, rng: &mut fastrand::Rng, x: f32, y: f32, s: f32, t: &Theme, label: &str) -> f32 {
    let dark = text::luma(t.ink);
    let size = 14.0 * s;
    outline(img, x, y + 2.0 * s, size, size, s.max(1.0), dark);
    if rng.bool() {
        fill(img, x + 3.0 * s, y + 5.0 * s, size - 6.0 * s, size - 6.0 * s, dark);
    }
    text::draw(img, Style { face: Face::Japanese, px: 14.0 * s, ink: t.ink }, x + size + 6.0 * s, y, label)
}

/// A sign-in history table with grid lines.
fn table(img: &mut GrayImage, rng: &mut fastrand::Rng, x: f32, mut y: f32, w: f32, s: f32, t: &Theme) -> f32 {
    let style = Style { face: Face::Japanese, px: 13.0 * s, ink: t.ink };
    let row = 28.0 * s;
    let columns = [0.0, 0.28, 0.5, 0.78, 1.0];
    let headers = ["日時 / Date", "IP アドレス", "端末 / Device", "結果"];
    let rows = rng.usize(4..9);
    let grid = t.line;
    for r in 0..=rows {
        fill(img, x, y + r as f32 * row, w, s.max(1.0), grid);
    }
    for c in columns {
        fill(img, x + c * w, y, s.max(1.0), rows as f32 * row, grid);
    }
    for r in 0..rows {
        for (c, left) in columns[..4].iter().enumerate() {
            let cell = if r == 0 {
                headers[c].to_owned()
            } else {
                match c {
                    0 => format!("2026/11/{:02} {:02}:{:02}", rng.u32(1..31), rng.u32(0..24), rng.u32(0..60)),
                    1 => format!("203.0.113.{}", rng.u32(1..255)),
                    2 => ["Windows 11 / Edge", "macOS / Safari", "iPhone", "Chrome 131"][rng.usize(..4)].to_owned(),
                    _ => ["成功", "失敗（コード不一致）", "成功 ✓", "ロック"][rng.usize(..4)].to_owned(),
                }
            };
            text::draw(img, style, x + left * w + 8.0 * s, y + r as f32 * row + 6.0 * s, &cell);
        }
    }
    y += rows as f32 * row;
    y + 16.0 * s
}

/// The code as a browser draws it: `css_module` CSS pixels a module, scaled to the screen
/// by `s` with bilinear filtering when that is not a whole number of pixels.
pub fn code_image(payload: &str, rng: &mut fastrand::Rng, css_module: u32, s: f32) -> GrayImage {
    let ec = [qrcode::EcLevel::L, qrcode::EcLevel::M, qrcode::EcLevel::Q][rng.usize(..3)];
    let code = crate::code::render_code(payload, ec, css_module, 4);
    if s == 1.0 {
        return code;
    }
    let side = (code.width() as f32 * s).round() as u32;
    if (code.width() as f32 * s).fract() == 0.0 && s.fract() == 0.0 {
        return imageops::resize(&code, side, side, imageops::FilterType::Nearest);
    }
    imageops::resize(&code, side, side, imageops::FilterType::Triangle)
}

/// Where the code goes on a page: its top-left corner.
pub type Slot = (f32, f32);

/// A 2FA setup page (or any account page, when no code is wanted). Returns where a code
/// of `code_side` pixels can go, if asked for.
pub fn setup_page(img: &mut GrayImage, rng: &mut fastrand::Rng, t: &Theme, s: f32, code_side: Option<u32>) -> Option<Slot> {
    let (w, h) = (img.width() as f32, img.height() as f32);
    let top = browser_chrome(img, rng, t, s);
    // The site's menu down the left.
    let menu = Style { face: Face::Japanese, px: 14.0 * s, ink: t.ink };
    let mut y = top + 20.0 * s;
    while y < h - 40.0 * s {
        let dark = text::luma(t.ink);
        fill(img, 24.0 * s, y + 6.0 * s, 6.0 * s, 6.0 * s, dark);
        text::draw(img, menu, 38.0 * s, y, pick(rng, &MENU));
        y += 34.0 * s;
    }
    let left = 240.0 * s;
    let column = (w - left - 60.0 * s).min(900.0 * s);
    let mut y = top + 24.0 * s;
    let heading = Style { face: Face::JapaneseBold, px: 24.0 * s, ink: t.ink };
    text::draw(img, heading, left, y, "2段階認証の設定 / Set up two-step verification");
    y += 48.0 * s;
    let mut slot = None;
    let mut step = 1;
    while y < h - 30.0 * s {
        let size = [12.0, 14.0, 15.0, 16.0, 18.0, 20.0][rng.usize(..6)];
        let japanese = rng.bool();
        let body =
            Style { face: if japanese { Face::Japanese } else { Face::Latin }, px: size * s, ink: if rng.u32(0..5) == 0 { t.muted } else { t.ink } };
        match rng.u32(0..7) {
            0..=2 => {
                let number = format!("{step}. ");
                let x = text::draw(img, body, left, y, &number);
                step += 1;
                let sentence = if japanese { pick(rng, &JAPANESE) } else { pick(rng, &ENGLISH) };
                y = text::paragraph(img, body, x, y, column - (x - left), sentence);
            }
            3 => y = table(img, rng, left, y, column, s, t),
            4 => {
                for label in ["次回からこの PC では確認しない", "Remember this device for 30 days", "バックアップコードを表示"]
                {
                    checkbox(img, rng, left, y, s, t, label);
                    y += 26.0 * s;
                }
            }
            5 => {
                let link = Style { face: Face::Latin, px: 14.0 * s, ink: t.link };
                text::draw(img, link, left, y, "Can't scan the QR code? Enter the key manually (time-based)");
                y += text::line_height(link);
                let key = Style { face: Face::Mono, px: 16.0 * s, ink: t.ink };
                text::draw(img, key, left, y, "xxxx xxxx xxxx xxxx xxxx xxxx xxxx xxxx");
                y += text::line_height(key);
            }
            _ => {
                if let Some(side) = code_side
                    && slot.is_none()
                    && y + side as f32 + 10.0 * s < h
                {
                    let x = left + rng.f32() * (column - side as f32).max(0.0);
                    slot = Some((x, y));
                    y += side as f32 + 10.0 * s;
                    continue;
                }
                // A button.
                let label = ["確認 / Verify", "次へ", "キャンセル", "Save"][rng.usize(..4)];
                let style = Style { face: Face::Japanese, px: 14.0 * s, ink: t.ink };
                let bw = text::width(style, label) + 32.0 * s;
                outline(img, left, y, bw, 32.0 * s, s.max(1.0), t.line);
                text::draw(img, style, left + 16.0 * s, y + 6.0 * s, label);
                y += 44.0 * s;
            }
        }
        y += 12.0 * s;
    }
    // A page long enough to hold no slot in the flow still shows the code: beside the text.
    if code_side.is_some() && slot.is_none() {
        let side = code_side.unwrap_or(0) as f32;
        slot = Some(((w - side - 20.0 * s).max(0.0), (top + 60.0 * s).min((h - side).max(0.0))));
    }
    slot
}

/// A spreadsheet: gridlines every cell, numbers, dates and Japanese headers.
pub fn spreadsheet(img: &mut GrayImage, rng: &mut fastrand::Rng, t: &Theme, s: f32) {
    let (w, h) = (img.width() as f32, img.height() as f32);
    let top = browser_chrome(img, rng, t, s);
    let (cell_w, cell_h) = (rng.u32(64..100) as f32 * s, 21.0 * s);
    let style = Style { face: Face::Japanese, px: 13.0 * s, ink: t.ink };
    let number = Style { face: Face::Mono, px: 13.0 * s, ink: t.ink };
    let header = t.chrome;
    fill(img, 0.0, top, w, cell_h, header);
    fill(img, 0.0, top, 40.0 * s, h - top, header);
    let mut row = 0;
    let mut y = top;
    while y < h {
        fill(img, 0.0, y, w, s.max(1.0), t.line);
        let mut x = 40.0 * s;
        let mut column = 0;
        while x < w {
            if row == 0 {
                fill(img, x, top, s.max(1.0), h - top, t.line);
                text::draw(img, style, x + cell_w / 2.0 - 4.0 * s, y + 3.0 * s, &((b'A' + (column % 26) as u8) as char).to_string());
            } else if column == 0 {
                text::draw(img, number, 6.0 * s, y + 3.0 * s, &row.to_string());
            } else {
                match rng.u32(0..6) {
                    0 => text::draw(img, number, x + 4.0 * s, y + 3.0 * s, &format!("{:>6}", rng.u32(0..999_999))),
                    1 => text::draw(img, number, x + 4.0 * s, y + 3.0 * s, &format!("¥{},{:03}", rng.u32(1..99), rng.u32(0..1000))),
                    2 => text::draw(img, style, x + 4.0 * s, y + 3.0 * s, ["経理部", "営業", "総務", "済", "未", "■", "○"][rng.usize(..7)]),
                    3 => text::draw(img, number, x + 4.0 * s, y + 3.0 * s, &format!("2026/{:02}/{:02}", rng.u32(1..13), rng.u32(1..29))),
                    _ => x,
                };
            }
            x += cell_w;
            column += 1;
        }
        y += cell_h;
        row += 1;
    }
}

/// A code editor: line numbers, monospace code in several colours, dark or light.
pub fn code_editor(img: &mut GrayImage, rng: &mut fastrand::Rng, t: &Theme, s: f32) {
    let (w, h) = (img.width() as f32, img.height() as f32);
    fill(img, 0.0, 0.0, w, 30.0 * s, t.chrome);
    let menu = Style { face: Face::Latin, px: 13.0 * s, ink: t.ink };
    text::draw(img, menu, 12.0 * s, 7.0 * s, "File  Edit  Selection  View  Go  Run  Terminal  Help     verify.rs — ninsho");
    let px = [13.0, 14.0, 15.0][rng.usize(..3)] * s;
    let line = px * 1.45;
    let palette: [Rgb; 4] = [t.ink, t.link, [206, 145, 120], [106, 153, 85]];
    let mut y = 40.0 * s;
    let mut n = 1;
    while y < h {
        let gutter = Style { face: Face::Mono, px, ink: t.muted };
        text::draw(img, gutter, 8.0 * s, y, &format!("{n:>4}"));
        let code = Style { face: Face::Mono, px, ink: palette[rng.usize(..4)] };
        let mut x = 70.0 * s;
        while x < w * 0.9 {
            x = text::draw(img, code, x, y, pick(rng, &CODE_LINES)) + 40.0 * s;
        }
        y += line;
        n += 1;
    }
}

/// Things that look like finder patterns and are not: rows of toolbar icons (nested
/// squares), checkboxes and radio buttons, "scan me" logos (three finder-like squares in an
/// L, no timing pattern), Data Matrix and Aztec codes, and big kanji such as 回 and 田.
pub fn look_alikes(img: &mut GrayImage, rng: &mut fastrand::Rng, t: &Theme, s: f32) {
    let (w, h) = (img.width() as f32, img.height() as f32);
    let top = browser_chrome(img, rng, t, s);
    let dark = text::luma(t.ink);
    let mut y = top + 16.0 * s;
    while y < h - 60.0 * s {
        let mut x = 16.0 * s;
        let kind = rng.u32(0..5);
        let mut row_height: f32 = 0.0;
        while x < w - 120.0 * s {
            let used = match kind {
                0 => {
                    let size = rng.u32(14..33) as f32 * s;
                    favicon(img, rng, x, y, size, t);
                    size + 10.0 * s
                }
                1 => {
                    let label = pick(rng, &MENU);
                    checkbox(img, rng, x, y, s, t, label) - x + 24.0 * s
                }
                2 => {
                    let size = rng.u32(3..8) as f32 * s;
                    scan_logo(img, x, y, size, dark, t.background);
                    size * 21.0 + 16.0 * s
                }
                3 => {
                    let format = if rng.bool() { rxing::BarcodeFormat::DATA_MATRIX } else { rxing::BarcodeFormat::AZTEC };
                    let module = rng.u32(1..5) as f32 * s;
                    let side = two_d_code(img, rng, format, x, y, module, dark, t.background);
                    side + 20.0 * s
                }
                _ => {
                    let size = rng.u32(14..48) as f32 * s;
                    let glyphs = ["回", "田", "日", "目", "■", "□", "▣", "◘", "◙", "⊞", "⌘", "8", "@", "器", "區"];
                    let style = Style { face: Face::Japanese, px: size, ink: t.ink };
                    let glyph = pick(rng, &glyphs);
                    text::draw(img, style, x, y, glyph) - x + 6.0 * s
                }
            };
            row_height = row_height.max(match kind {
                2 => 21.0 * 7.0 * s,
                3 => 160.0 * s,
                4 => 56.0 * s,
                _ => 36.0 * s,
            });
            x += used;
        }
        y += row_height.min(h) + 8.0 * s;
    }
}

/// A "scan me" logo: three finder-shaped squares in an L on a 21-cell grid, with random
/// cells between them but no timing pattern.
fn scan_logo(img: &mut GrayImage, x: f32, y: f32, cell: f32, dark: u8, light: u8) {
    for (fx, fy) in [(0.0, 0.0), (14.0, 0.0), (0.0, 14.0)] {
        let (ox, oy) = (x + fx * cell, y + fy * cell);
        fill(img, ox, oy, 7.0 * cell, 7.0 * cell, dark);
        fill(img, ox + cell, oy + cell, 5.0 * cell, 5.0 * cell, light);
        fill(img, ox + 2.0 * cell, oy + 2.0 * cell, 3.0 * cell, 3.0 * cell, dark);
    }
    fill(img, x + 9.0 * cell, y + 9.0 * cell, 3.0 * cell, 3.0 * cell, dark);
    fill(img, x + 14.0 * cell, y + 14.0 * cell, 7.0 * cell, 7.0 * cell, dark);
}

/// A Data Matrix or Aztec code with `module` px modules; returns its side.
#[allow(clippy::too_many_arguments)]
fn two_d_code(img: &mut GrayImage, rng: &mut fastrand::Rng, format: rxing::BarcodeFormat, x: f32, y: f32, module: f32, dark: u8, light: u8) -> f32 {
    use rxing::Writer;
    let content = format!("INV-2026-{:06}-KEIHI-{}", rng.u32(..1_000_000), "ABCDEFGH".repeat(rng.usize(1..6)));
    let matrix = rxing::MultiFormatWriter.encode(&content, &format, 0, 0).expect("rxing encodes Data Matrix and Aztec");
    let (mw, mh) = (matrix.getWidth(), matrix.getHeight());
    fill(img, x, y, (mw + 2) as f32 * module, (mh + 2) as f32 * module, light);
    for my in 0..mh {
        for mx in 0..mw {
            if matrix.get(mx, my) {
                fill(img, x + (mx + 1) as f32 * module, y + (my + 1) as f32 * module, module, module, dark);
            }
        }
    }
    (mw + 2) as f32 * module
}

/// Puts `code` at `slot` on a light card (dark pages keep their codes dark on white).
pub fn place_code(img: &mut GrayImage, code: &GrayImage, slot: Slot) -> (u32, u32) {
    let x = (slot.0.max(0.0) as u32).min(img.width().saturating_sub(code.width()));
    let y = (slot.1.max(0.0) as u32).min(img.height().saturating_sub(code.height()));
    imageops::replace(img, code, i64::from(x), i64::from(y));
    (x, y)
}
