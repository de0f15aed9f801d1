// Which rows of a long list to put in the page: those in view and a margin either side.
// With 1,000 accounts, laying out every row made each search keystroke and each scrolled
// frame cost tens of milliseconds; a windowful costs the same at any length.

export interface RowRange {
  /** First row to put in the page. */
  first: number;
  /** One past the last row to put in the page. */
  end: number;
  /** Space standing in for the rows before `first`, in pixels. */
  before: number;
  /** Space standing in for the rows from `end` on. */
  after: number;
}

/**
 * The rows overlapping [top − margin, bottom + margin], given every row's height and the gap
 * between rows. `top` and `bottom` are measured from the top of the first row.
 */
export function rowRange(heights: readonly number[], gap: number, top: number, bottom: number, margin: number): RowRange {
  const from = top - margin;
  const to = bottom + margin;
  let first = heights.length;
  let end = heights.length;
  let before = 0;
  let offset = 0;
  for (let i = 0; i < heights.length; i++) {
    const height = heights[i] ?? 0;
    const rowEnd = offset + height;
    if (first === heights.length && rowEnd >= from) {
      first = i;
      before = offset;
    }
    if (offset > to) {
      end = i;
      break;
    }
    offset = rowEnd + gap;
  }
  if (first > end) first = end;
  let after = 0;
  for (let i = end; i < heights.length; i++) after += gap + (heights[i] ?? 0);
  return { first, end, before: first === end && end === heights.length ? offset : before, after };
}

/** Pixels from the top of the first row to the top of row `index`. */
export function offsetOf(heights: readonly number[], gap: number, index: number): number {
  let offset = 0;
  for (let i = 0; i < index && i < heights.length; i++) offset += (heights[i] ?? 0) + gap;
  return offset;
}
