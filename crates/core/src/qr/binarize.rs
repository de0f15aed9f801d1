//! Local thresholds: one per 8×8 block, from the block's contrast and its neighbours',
//! averaged over a 5×5 block window. Screens mix dark and light themes, photos and
//! JPEG noise, so no single global threshold separates a code's modules everywhere.

pub const BLOCK: usize = 8;
/// Below this range a block is flat (one colour), and takes its neighbours' threshold.
const MIN_CONTRAST: u8 = 24;

/// Per-block thresholds for a greyscale image; a pixel is dark when `<= at(x, y)`.
pub struct Thresholds {
    columns: usize,
    values: Vec<u8>,
}

impl Thresholds {
    pub fn new(luma: &[u8], width: usize, height: usize) -> Self {
        let columns = width.div_ceil(BLOCK);
        let rows = height.div_ceil(BLOCK);
        let mut black = vec![0u8; columns * rows];
        for by in 0..rows {
            for bx in 0..columns {
                let (mut sum, mut min, mut max, mut count) = (0u32, 255u8, 0u8, 0u32);
                for y in by * BLOCK..((by + 1) * BLOCK).min(height) {
                    let row = &luma[y * width + bx * BLOCK..y * width + ((bx + 1) * BLOCK).min(width)];
                    for &v in row {
                        sum += u32::from(v);
                        min = min.min(v);
                        max = max.max(v);
                    }
                    count += row.len() as u32;
                }
                let mut point = (sum / count) as u8;
                if max - min <= MIN_CONTRAST {
                    // A flat block inside a large module: assume it is background unless the
                    // neighbours already seen say the area is darker than it.
                    point = min / 2;
                    if by > 0 && bx > 0 {
                        let i = by * columns + bx;
                        let neighbours = (u32::from(black[i - columns]) + 2 * u32::from(black[i - 1]) + u32::from(black[i - columns - 1])) / 4;
                        if u32::from(min) < neighbours {
                            point = neighbours as u8;
                        }
                    }
                }
                black[by * columns + bx] = point;
            }
        }
        let mut values = vec![0u8; columns * rows];
        for by in 0..rows {
            let (top, bottom) = (by.saturating_sub(2), (by + 2).min(rows - 1));
            for bx in 0..columns {
                let (left, right) = (bx.saturating_sub(2), (bx + 2).min(columns - 1));
                let mut sum = 0u32;
                for y in top..=bottom {
                    sum += black[y * columns + left..=y * columns + right].iter().map(|&v| u32::from(v)).sum::<u32>();
                }
                values[by * columns + bx] = (sum / ((bottom - top + 1) * (right - left + 1)) as u32) as u8;
            }
        }
        Thresholds { columns, values }
    }

    pub fn at(&self, x: usize, y: usize) -> u8 {
        self.values[(y / BLOCK) * self.columns + x / BLOCK]
    }
}
