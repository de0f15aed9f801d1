//! Finder patterns (the three 7×7 squares, 1:1:3:1:1 across in both directions) found
//! by scanning rows, confirmed by a column through the centre, then grouped into codes.
//! Both polarities count, so light-on-dark codes are found the same way.

use super::binarize::Thresholds;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Finder {
    pub x: f32,
    pub y: f32,
    /// Module size in pixels.
    pub module: f32,
    /// The centre is light: a light-on-dark code.
    pub inverted: bool,
    hits: u32,
}

/// Three finders of one code: `corner` is the one at the right angle, `a` the one along
/// the code's first row (top right when upright) and `b` along its first column.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Group {
    pub corner: Finder,
    pub a: Finder,
    pub b: Finder,
}

impl Group {
    pub fn module(&self) -> f32 {
        (self.corner.module + self.a.module + self.b.module) / 3.0
    }

    pub fn inverted(&self) -> bool {
        self.corner.inverted
    }

    /// The code's bounds, from the finder centres plus 3.5 modules.
    pub fn bounds(&self) -> (f32, f32, f32, f32) {
        let fourth = (self.a.x + self.b.x - self.corner.x, self.a.y + self.b.y - self.corner.y);
        let xs = [self.corner.x, self.a.x, self.b.x, fourth.0];
        let ys = [self.corner.y, self.a.y, self.b.y, fourth.1];
        let half = 3.5 * self.module();
        let min = |v: [f32; 4]| v.into_iter().fold(f32::MAX, f32::min);
        let max = |v: [f32; 4]| v.into_iter().fold(f32::MIN, f32::max);
        (min(xs) - half, min(ys) - half, max(xs) + half, max(ys) + half)
    }
}

/// Whether five runs look like 1:1:3:1:1, allowing for blur at 1–2 px modules. The
/// module size comes from the inner three runs: without a quiet zone, page content can
/// merge with the outer ring, so the outer runs only need to be long enough.
fn finder_ratio(runs: &[u32; 5]) -> Option<f32> {
    let inner = runs[1] + runs[2] + runs[3];
    if inner < 5 {
        return None;
    }
    let module = inner as f32 / 5.0;
    let slack = module * 0.6 + 0.75;
    let ok = (runs[1] as f32 - module).abs() <= slack
        && (runs[3] as f32 - module).abs() <= slack
        && (runs[2] as f32 - 3.0 * module).abs() <= 1.5 * module + 1.0
        && runs[0] as f32 >= module - slack
        && runs[4] as f32 >= module - slack;
    ok.then_some(module)
}

/// A greyscale image with its local thresholds.
pub struct Image<'a> {
    pub luma: &'a [u8],
    pub width: usize,
    pub height: usize,
    pub thresholds: &'a Thresholds,
}

impl Image<'_> {
    fn dark(&self, x: usize, y: usize) -> bool {
        self.luma[y * self.width + x] <= self.thresholds.at(x, y)
    }

    /// The grey value at a point between pixels, interpolated from the four around it
    /// (the caller keeps the point at least one pixel inside the right and bottom edges).
    pub fn grey_at(&self, x: f32, y: f32) -> f32 {
        let (x0, y0) = (x.floor() as usize, y.floor() as usize);
        let (fx, fy) = (x - x0 as f32, y - y0 as f32);
        let p = |dx: usize, dy: usize| f32::from(self.luma[(y0 + dy) * self.width + x0 + dx]);
        (p(0, 0) * (1.0 - fx) + p(1, 0) * fx) * (1.0 - fy) + (p(0, 1) * (1.0 - fx) + p(1, 1) * fx) * fy
    }

    /// Dark at a point between pixels, by the local threshold.
    pub fn dark_at(&self, x: f32, y: f32) -> bool {
        self.grey_at(x, y) <= f32::from(self.thresholds.at(x.floor() as usize, y.floor() as usize))
    }

    /// Runs along the column through (x, y): the centre run (colour `centre_dark`) and
    /// two more each way, each at most `limit` px. Also the centre band's middle row.
    fn column_runs(&self, x: usize, y: usize, centre_dark: bool, limit: u32) -> Option<([u32; 5], f32)> {
        let mut runs = [0u32; 5];
        runs[2] = 1;
        let mut top = y;
        for (slot, colour) in [(2, centre_dark), (1, !centre_dark), (0, centre_dark)] {
            while top > 0 && self.dark(x, top - 1) == colour && runs[slot] < limit {
                runs[slot] += 1;
                top -= 1;
            }
            if runs[slot] == 0 || (slot != 0 && runs[slot] >= limit) {
                return None;
            }
        }
        let mut bottom = y;
        for (slot, colour) in [(2, centre_dark), (3, !centre_dark), (4, centre_dark)] {
            while bottom + 1 < self.height && self.dark(x, bottom + 1) == colour && runs[slot] < limit {
                runs[slot] += 1;
                bottom += 1;
            }
            if runs[slot] == 0 || (slot != 4 && runs[slot] >= limit) {
                return None;
            }
        }
        let band_top = top + (runs[0] + runs[1]) as usize;
        let band_bottom = bottom - (runs[3] + runs[4]) as usize;
        Some((runs, (band_top + band_bottom) as f32 / 2.0))
    }
}

impl Image<'_> {
    /// The 7×7 pattern sampled at module centres matches a finder's rings (dark, light,
    /// dark centre) in all but a few cells. Row and column ratios alone also match noise
    /// in photos and strokes of small text.
    fn looks_like_finder(&self, x: f32, y: f32, module: f32, centre_dark: bool) -> bool {
        let mut wrong = 0;
        for j in -3i32..=3 {
            for i in -3i32..=3 {
                let (px, py) = ((x + i as f32 * module).round(), (y + j as f32 * module).round());
                if px < 0.0 || py < 0.0 || px >= self.width as f32 || py >= self.height as f32 {
                    return false;
                }
                let ring = i.abs().max(j.abs());
                let dark = (ring != 2) == centre_dark;
                if self.dark(px as usize, py as usize) != dark {
                    wrong += 1;
                    if wrong > 5 {
                        return false;
                    }
                }
            }
        }
        true
    }
}

/// Scans every other row of `rows` (a finder's centre band is at least 3 px tall).
fn scan_rows(image: &Image, rows: std::ops::Range<usize>) -> Vec<Finder> {
    let mut found = Vec::new();
    for y in rows.step_by(2) {
        let mut runs = [0u32; 5];
        let mut count = 0usize;
        let mut colour = image.dark(0, y);
        let mut run = 0u32;
        for x in 0..=image.width {
            let here = x < image.width && image.dark(x, y);
            if x < image.width && here == colour {
                run += 1;
                continue;
            }
            runs.rotate_left(1);
            runs[4] = run;
            count += 1;
            // Runs alternate, so the centre run (runs[2]) has the colour of the one that
            // just ended.
            if count >= 5
                && let Some(module) = finder_ratio(&runs)
            {
                let centre_start = x - (runs[4] + runs[3] + runs[2]) as usize;
                let cx = centre_start + runs[2] as usize / 2;
                let limit = (module * 4.0 + 3.0) as u32;
                if let Some((column, cy)) = image.column_runs(cx, y, colour, limit)
                    && let Some(vertical) = finder_ratio(&column)
                    && (vertical - module).abs() <= module * 0.5 + 0.75
                    && image.looks_like_finder(centre_start as f32 + (runs[2] as f32 - 1.0) / 2.0, cy, (module + vertical) / 2.0, colour)
                {
                    found.push(Finder {
                        x: centre_start as f32 + (runs[2] as f32 - 1.0) / 2.0,
                        y: cy,
                        module: (module + vertical) / 2.0,
                        inverted: !colour,
                        hits: 1,
                    });
                }
            }
            colour = here;
            run = 1;
        }
    }
    found
}

/// Merges the hits of one finder (several rows cross its centre band).
fn cluster(mut hits: Vec<Finder>) -> Vec<Finder> {
    hits.sort_by(|a, b| a.y.total_cmp(&b.y));
    let mut finders: Vec<Finder> = Vec::new();
    for hit in hits {
        let same = finders.iter_mut().rev().take(64).find(|f| {
            f.inverted == hit.inverted
                && (f.x - hit.x).abs() <= f.module * 1.5 + 1.0
                && (f.y - hit.y).abs() <= f.module * 1.5 + 1.0
                && (f.module - hit.module).abs() <= f.module * 0.5 + 0.75
        });
        match same {
            Some(f) => {
                let n = f.hits as f32;
                f.x = (f.x * n + hit.x) / (n + 1.0);
                f.y = (f.y * n + hit.y) / (n + 1.0);
                f.module = (f.module * n + hit.module) / (n + 1.0);
                f.hits += 1;
            }
            None => finders.push(hit),
        }
    }
    finders
}

/// Every finder pattern in the image; the rows are split among `threads` threads.
pub fn find(image: &Image, threads: usize) -> Vec<Finder> {
    let height = image.height;
    let stripe = height.div_ceil(threads.max(1)).next_multiple_of(2);
    let hits: Vec<Finder> = std::thread::scope(|scope| {
        let workers: Vec<_> =
            (0..height).step_by(stripe.max(2)).map(|top| scope.spawn(move || scan_rows(image, top..(top + stripe).min(height)))).collect();
        workers.into_iter().flat_map(|w| w.join().expect("finder scan")).collect()
    });
    cluster(hits)
}

/// Code sides in modules run from 21 (version 1) to 177 (version 40); finder centres sit
/// 3.5 modules in from the edges.
const MIN_SPAN: f32 = 21.0 - 7.0;
const MAX_SPAN: f32 = 177.0 - 7.0;

fn similar(a: &Finder, b: &Finder) -> bool {
    a.inverted == b.inverted && (a.module - b.module).abs() <= 0.35 * a.module.max(b.module) + 0.5
}

/// Triples of finders with `finders[i]` at the corner that could form a code: two others
/// at the same distance from it, at a right angle, that distance a possible code size.
pub fn groups_at(finders: &[Finder], i: usize) -> Vec<Group> {
    let corner = &finders[i];
    let mut arms: Vec<(usize, f32, f32, f32)> = finders
        .iter()
        .enumerate()
        .filter(|(j, f)| *j != i && similar(corner, f))
        .filter_map(|(j, f)| {
            let (dx, dy) = (f.x - corner.x, f.y - corner.y);
            let length = (dx * dx + dy * dy).sqrt();
            let span = length / ((corner.module + f.module) / 2.0);
            (MIN_SPAN * 0.8..=MAX_SPAN * 1.2).contains(&span).then_some((j, dx, dy, length))
        })
        .collect();
    // Sorted by length, each arm meets only the arms of about its own length: on a page
    // of text hundreds of finders lie around each one.
    arms.sort_by(|a, b| a.3.total_cmp(&b.3));
    let mut groups = Vec::new();
    for (n, &(j, ax, ay, al)) in arms.iter().enumerate() {
        for &(k, bx, by, bl) in arms[n + 1..].iter().take_while(|arm| arm.3 - al <= 0.12 * arm.3) {
            let cos = (ax * bx + ay * by) / (al * bl);
            if cos.abs() < 0.15 {
                // In image coordinates (y down) the first row turns clockwise into the
                // first column; a mirrored code would fail the format check anyway.
                let (a, b) = if ax * by - ay * bx > 0.0 { (finders[j], finders[k]) } else { (finders[k], finders[j]) };
                groups.push(Group { corner: *corner, a, b });
            }
        }
    }
    groups
}

/// Two finders on one axis whose code's third finder would lie off the image, and that
/// `joined` says belong together: the code is cut off at the screen's edge.
pub fn cut_off(finders: &[Finder], width: usize, height: usize, joined: impl Fn(&Finder, &Finder) -> bool) -> bool {
    let outside = |x: f32, y: f32, m: f32| x < 3.0 * m || y < 3.0 * m || x > width as f32 - 3.0 * m || y > height as f32 - 3.0 * m;
    finders.iter().enumerate().any(|(i, a)| {
        finders[i + 1..].iter().any(|b| {
            let (dx, dy) = (b.x - a.x, b.y - a.y);
            let length = (dx * dx + dy * dy).sqrt();
            let m = (a.module + b.module) / 2.0;
            let aligned = dx.abs() < 0.05 * length || dy.abs() < 0.05 * length;
            aligned && similar(a, b) && (MIN_SPAN..=MAX_SPAN).contains(&(length / m)) && {
                // The third finder is at a right angle from either one, on either side.
                let (px, py) = (-dy, dx);
                [(a, 1.0), (a, -1.0), (b, 1.0), (b, -1.0)].iter().any(|(f, s)| outside(f.x + s * px, f.y + s * py, m))
                    && ![(a, 1.0), (a, -1.0), (b, 1.0), (b, -1.0)].iter().any(|(f, s)| {
                        let (x, y) = (f.x + s * px, f.y + s * py);
                        finders.iter().any(|c| (c.x - x).abs() < 2.0 * m && (c.y - y).abs() < 2.0 * m)
                    })
                    && joined(a, b)
            }
        })
    })
}
