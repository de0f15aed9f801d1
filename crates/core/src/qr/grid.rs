//! Cheap checks of a candidate code on its module grid, before anything is cut out:
//! timing patterns on both sides, the format information with its BCH code, and the
//! alignment pattern where the version has one. Text, tables and icon rows are full of
//! finder-like shapes that line up at right angles; they fail these checks after a few
//! samples, where cutting each out and handing it to a decoder costs milliseconds.

use super::finder::{Finder, Group, Image};

/// A group of finders that passed the checks, with what they tell about the code.
#[derive(Debug, Clone, Copy)]
pub struct Candidate {
    pub group: Group,
    /// How much the grid looks like a code, 0–1: the decoders try the best first.
    pub quality: f32,
    /// Timing and format information both read cleanly: worth every decoder and cut.
    pub strong: bool,
}

/// The code's module grid for one version: where module (column, row) lies, each sample
/// taken from the nearest finder so that small errors in the pitch do not add up.
struct Grid<'a> {
    image: &'a Image<'a>,
    group: &'a Group,
    side: f32,
    u: (f32, f32),
    v: (f32, f32),
}

impl Grid<'_> {
    fn new<'a>(image: &'a Image<'a>, group: &'a Group, version: u32) -> Grid<'a> {
        let side = (4 * version + 17) as f32;
        let (c, a, b) = (group.corner, group.a, group.b);
        let pitch = side - 7.0;
        Grid { image, group, side, u: ((a.x - c.x) / pitch, (a.y - c.y) / pitch), v: ((b.x - c.x) / pitch, (b.y - c.y) / pitch) }
    }

    /// Where module (column, row)'s centre lies in the image, or None off the image.
    fn point(&self, column: f32, row: f32) -> Option<(f32, f32)> {
        let far = self.side - 4.0;
        let (anchor, ac, ar): (&Finder, f32, f32) = if column > far / 2.0 + 1.5 && row < far / 2.0 {
            (&self.group.a, far, 3.0)
        } else if row > far / 2.0 + 1.5 && column < far / 2.0 {
            (&self.group.b, 3.0, far)
        } else {
            (&self.group.corner, 3.0, 3.0)
        };
        let (dc, dr) = (column - ac, row - ar);
        let (x, y) = (anchor.x + dc * self.u.0 + dr * self.v.0, anchor.y + dc * self.u.1 + dr * self.v.1);
        let inside = x >= 0.0 && y >= 0.0 && x < (self.image.width - 1) as f32 && y < (self.image.height - 1) as f32;
        inside.then_some((x, y))
    }

    /// Whether module (column, row) is dark (light, in an inverted code) by the local
    /// threshold, or None off the image.
    fn dark(&self, column: f32, row: f32) -> Option<bool> {
        let (x, y) = self.point(column, row)?;
        Some(self.image.dark_at(x, y) != self.group.inverted())
    }

    /// The module's grey value, made dark-low for inverted codes.
    fn grey(&self, column: f32, row: f32) -> Option<f32> {
        let (x, y) = self.point(column, row)?;
        let grey = self.image.grey_at(x, y);
        Some(if self.group.inverted() { 255.0 - grey } else { grey })
    }

    /// Share of timing-pattern modules right on the worse of the two sides, or None when
    /// the errors show early that this is no code (a chance triple fails within about a
    /// dozen samples, whatever the version). A module is right when it is darker or
    /// lighter than the mean of its two neighbours as the pattern says: blur at 1.25 px
    /// modules leaves the timing pattern grey on grey, but in the right order.
    fn timing(&self) -> Option<f32> {
        let end = self.side as i32 - 8;
        let mut worst: f32 = 1.0;
        let mut errors = 0u32;
        let mut seen = 0u32;
        let mut sides = [(0u32, 0u32); 2];
        for i in 8..end {
            for (n, (dc, dr)) in [(1.0, 0.0), (0.0, 1.0)].into_iter().enumerate() {
                let (column, row) = if dc > 0.0 { (i as f32, 6.0) } else { (6.0, i as f32) };
                let here = self.grey(column, row)?;
                let around = (self.grey(column - dc, row - dr)? + self.grey(column + dc, row + dr)?) / 2.0;
                let right = timing_module_right(i, here, around);
                sides[n].0 += u32::from(right);
                sides[n].1 += 1;
                errors += u32::from(!right);
                seen += 1;
                if errors as f32 > 0.3 * seen as f32 + 2.0 {
                    return None;
                }
            }
        }
        for (right, total) in sides {
            if total > 0 {
                worst = worst.min(right as f32 / total as f32);
            }
        }
        Some(worst)
    }

    /// The first four timing modules on each side, next to the corner finder, where the
    /// pitch matters least: at most two of the eight wrong. About one chance triple in
    /// seven passes this, for a fifth of the work of the full check.
    fn timing_starts(&self) -> bool {
        let mut wrong = 0;
        for i in 8..12 {
            for (column, row, dc, dr) in [(i as f32, 6.0, 1.0, 0.0), (6.0, i as f32, 0.0, 1.0)] {
                let (Some(here), Some(before), Some(after)) =
                    (self.grey(column, row), self.grey(column - dc, row - dr), self.grey(column + dc, row + dr))
                else {
                    return false;
                };
                wrong += u32::from(!timing_module_right(i, here, (before + after) / 2.0));
                if wrong > 2 {
                    return false;
                }
            }
        }
        true
    }

    /// Bits of the two copies of the format information, read as ZXing reads them.
    fn format_bits(&self) -> Option<(u16, u16)> {
        let n = self.side;
        let mut first = 0u16;
        let mut second = 0u16;
        let copy_one = [
            (0., 8.),
            (1., 8.),
            (2., 8.),
            (3., 8.),
            (4., 8.),
            (5., 8.),
            (7., 8.),
            (8., 8.),
            (8., 7.),
            (8., 5.),
            (8., 4.),
            (8., 3.),
            (8., 2.),
            (8., 1.),
            (8., 0.),
        ];
        for (column, row) in copy_one {
            first = (first << 1) | u16::from(self.dark(column, row)?);
        }
        for j in 0..7 {
            second = (second << 1) | u16::from(self.dark(8.0, n - 1.0 - j as f32)?);
        }
        for i in 0..8 {
            second = (second << 1) | u16::from(self.dark(n - 8.0 + i as f32, 8.0)?);
        }
        Some((first, second))
    }

    /// Share of the bottom-right alignment pattern's 5×5 modules right (versions 2 and up).
    fn alignment(&self) -> Option<f32> {
        let centre = self.side - 7.0;
        let mut right = 0;
        for dr in -2i32..=2 {
            for dc in -2i32..=2 {
                let ring = dr.abs().max(dc.abs());
                let dark = self.dark(centre + dc as f32, centre + dr as f32)?;
                right += u32::from(dark == (ring != 1));
            }
        }
        Some(right as f32 / 25.0)
    }
}

/// Whether a timing pattern runs between two finders on one side of a code, on either side
/// of the line joining them: what tells a code whose third finder is out of sight from two
/// finder-like letters in a line of text.
pub fn timing_between(image: &Image, p: &Finder, q: &Finder) -> bool {
    let (dx, dy) = (q.x - p.x, q.y - p.y);
    let length = (dx * dx + dy * dy).sqrt();
    let module = (p.module + q.module) / 2.0;
    let (ux, uy) = (dx / length, dy / length);
    let guess = ((length / module - 10.0) / 4.0).round() as i32;
    let grey = |x: f32, y: f32| {
        let inside = x >= 0.0 && y >= 0.0 && x < (image.width - 1) as f32 && y < (image.height - 1) as f32;
        inside.then(|| if p.inverted { 255.0 - image.grey_at(x, y) } else { image.grey_at(x, y) })
    };
    (guess - 1..=guess + 1).filter(|v| (1..=40).contains(v)).any(|version| {
        let side = (4 * version + 17) as f32;
        let pitch = length / (side - 7.0);
        [1.0f32, -1.0].into_iter().any(|normal| {
            let at = |i: f32| (p.x + (i - 3.0) * pitch * ux - normal * 3.0 * pitch * uy, p.y + (i - 3.0) * pitch * uy + normal * 3.0 * pitch * ux);
            let (mut right, mut total) = (0, 0);
            for i in 8..(side as i32 - 8) {
                let [(hx, hy), (bx, by), (ax, ay)] = [at(i as f32), at(i as f32 - 1.0), at(i as f32 + 1.0)];
                let (Some(here), Some(before), Some(after)) = (grey(hx, hy), grey(bx, by), grey(ax, ay)) else {
                    return false;
                };
                right += u32::from(timing_module_right(i, here, (before + after) / 2.0));
                total += 1;
            }
            total > 0 && right as f32 >= 0.8 * total as f32
        })
    })
}

/// Whether timing module `i` (dark at even positions) reads right: darker than the mean of
/// its two neighbours where it should be dark, lighter where it should be light.
fn timing_module_right(i: i32, here: f32, neighbours: f32) -> bool {
    (here < neighbours) == (i % 2 == 0)
}

/// The 32 valid format words (error-correction level and mask, BCH(15,5) with generator
/// 0x537, XORed with 0x5412); any two differ in at least 7 bits.
const FORMAT_WORDS: [u16; 32] = {
    let mut words = [0u16; 32];
    let mut data = 0;
    while data < 32 {
        let mut remainder = (data as u32) << 10;
        let mut bit = 14;
        while bit >= 10 {
            if remainder & (1 << bit) != 0 {
                remainder ^= 0x537 << (bit - 10);
            }
            bit -= 1;
        }
        words[data] = ((((data as u32) << 10) | remainder) ^ 0x5412) as u16;
        data += 1;
    }
    words
};

/// Bits the two copies of the format information are away from the nearest valid word
/// (0–30). A chance pattern is within 6 bits of one of 32 words about once in 3,000.
fn format_distance(first: u16, second: u16) -> u32 {
    FORMAT_WORDS.into_iter().map(|word| (first ^ word).count_ones() + (second ^ word).count_ones()).min().unwrap_or(30)
}

/// Checks one group of finders; None when its grid is not a code's.
pub fn assess(image: &Image, group: Group) -> Option<Candidate> {
    let (c, a, b) = (group.corner, group.a, group.b);
    let modules = [c.module, a.module, b.module];
    let length = |f: &Finder| ((f.x - c.x).powi(2) + (f.y - c.y).powi(2)).sqrt();
    let (small, large) = modules.iter().fold((f32::MAX, 0f32), |(lo, hi), &m| (lo.min(m), hi.max(m)));
    if large > small * 1.4 + 0.5 {
        return None;
    }
    // The side in modules is 4 × version + 17, finder centres 3.5 modules in; the module
    // size measured on the finders is rough under blur, so the neighbouring versions are
    // tried too, and the one whose timing patterns read best is kept.
    let span = (length(&a) + length(&b)) / 2.0 / group.module();
    let guess = ((span - 10.0) / 4.0).round() as i32;
    let versions = || (guess - 1..=guess + 1).filter(|v| (1..=40).contains(v)).map(|v| Grid::new(image, &group, v as u32));
    if !versions().any(|grid| grid.timing_starts()) {
        return None;
    }
    let (timing, grid) = versions().filter_map(|grid| grid.timing().map(|t| (t, grid))).max_by(|x, y| x.0.total_cmp(&y.0))?;
    if timing < 0.6 {
        return None;
    }
    let format = grid.format_bits().map_or(30, |(one, two)| format_distance(one, two));
    let alignment = if grid.side > 21.0 { grid.alignment().unwrap_or(0.0) } else { 1.0 };
    let format_score = 1.0 - (format as f32 / 10.0).min(1.0);
    let quality = 0.5 * timing + 0.35 * format_score + 0.15 * alignment;
    // Blurred 1 px modules misread a few format bits and timing modules; a code needs one
    // of the two to read well.
    let strong = format <= 4 || (format <= 6 && timing >= 0.75);
    (strong || timing >= 0.85).then_some(Candidate { group, quality, strong })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qr::binarize::Thresholds;
    use crate::qr::finder;

    /// The candidates the checks let through on a grey image.
    fn candidates(luma: &[u8], width: usize, height: usize) -> Vec<Candidate> {
        let thresholds = Thresholds::new(luma, width, height);
        let image = Image { luma, width, height, thresholds: &thresholds };
        let finders = finder::find(&image, 1);
        (0..finders.len()).flat_map(|i| finder::groups_at(&finders, i)).filter_map(|g| assess(&image, g)).collect()
    }

    /// A page of `side`×`side` pixels with `cells` (true: dark) drawn at `module` px from (20, 20).
    fn draw(cells: &[Vec<bool>], module: f32, side: usize) -> Vec<u8> {
        let mut luma = vec![255u8; side * side];
        for (y, row) in luma.chunks_mut(side).enumerate() {
            for (x, v) in row.iter_mut().enumerate() {
                let (cx, cy) = (((x as f32 - 20.0) / module).floor(), ((y as f32 - 20.0) / module).floor());
                if cx >= 0.0 && cy >= 0.0 && cells.get(cy as usize).and_then(|r| r.get(cx as usize)).copied().unwrap_or(false) {
                    *v = 0;
                }
            }
        }
        luma
    }

    fn code(text: &str) -> Vec<Vec<bool>> {
        let code = qrcode::QrCode::new(text).unwrap();
        let n = code.width();
        code.to_colors().chunks(n).map(|row| row.iter().map(|c| *c == qrcode::Color::Dark).collect()).collect()
    }

    #[test]
    fn a_real_code_is_a_strong_candidate_and_its_look_alike_is_none() {
        let cells = code("otpauth://totp/Payroll:sato?secret=JBSWY3DPEHPK3PXP&issuer=Payroll");
        let found = candidates(&draw(&cells, 3.0, 300), 300, 300);
        assert!(found.iter().any(|c| c.strong), "{found:?}");
        // The same three finders with the timing patterns and format bits scrambled, as a
        // "scan me" logo draws them.
        let mut logo = cells.clone();
        let n = logo.len();
        for (y, row) in logo.iter_mut().enumerate() {
            for (x, cell) in row.iter_mut().enumerate() {
                let in_finder = (y < 8 && (x < 8 || x >= n - 8)) || (x < 8 && y >= n - 8);
                if !in_finder {
                    *cell = (x / 3 + y / 2) % 3 == 0;
                }
            }
        }
        assert!(candidates(&draw(&logo, 3.0, 300), 300, 300).is_empty());
    }

    #[test]
    fn format_words_match_the_standard_table() {
        let words = FORMAT_WORDS;
        // ISO/IEC 18004 Table C.1: level M mask 0 (data 00000) and level H mask 7 (data 10111).
        assert_eq!(words[0], 0x5412);
        assert_eq!(words[0b10111], 0x083B);
        for (i, a) in words.iter().enumerate() {
            for b in &words[i + 1..] {
                assert!((a ^ b).count_ones() >= 7);
            }
        }
    }

    #[test]
    fn format_distance_counts_bits_off_the_nearest_word() {
        let word = FORMAT_WORDS[5];
        assert_eq!(format_distance(word, word), 0);
        assert_eq!(format_distance(word ^ 0b101, word ^ 0b1), 3);
    }
}
