// Pure geometry for the area selection; tested with Vitest.

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The rectangle spanned by a drag, whichever way it went. */
export function spanned(x0: number, y0: number, x1: number, y1: number): Rect {
  return { x: Math.min(x0, x1), y: Math.min(y0, y1), width: Math.abs(x1 - x0), height: Math.abs(y1 - y0) };
}

/** Smaller than this (CSS px) is a click, not a selection. */
export const MIN_SIDE = 12;

export function isSelection(r: Rect): boolean {
  return r.width >= MIN_SIDE && r.height >= MIN_SIDE;
}
