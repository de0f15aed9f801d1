import { describe, expect, it } from "vitest";
import { offsetOf, rowRange } from "./window-range";

const rows = (n: number, height = 80) => Array.from({ length: n }, () => height);

describe("rowRange", () => {
  it("puts every row of a short list in the page", () => {
    expect(rowRange(rows(5), 8, 0, 640, 400)).toEqual({ first: 0, end: 5, before: 0, after: 0 });
  });

  it("keeps a long list to the rows in view and the margin, with space for the rest", () => {
    const heights = rows(1000);
    const range = rowRange(heights, 8, 8800, 9440, 400);
    // Rows are 88 px apart: row 95 ends at 8440 (the margin's edge), row 112 starts at 9856, past it.
    expect(range).toEqual({ first: 95, end: 112, before: 95 * 88, after: (1000 - 112) * 88 });
    const total = heights.reduce((a, b) => a + b, 0) + 8 * 999;
    const shown = offsetOf(heights, 8, range.end) - range.before - 8;
    expect(range.before + shown + range.after).toBe(total);
  });

  it("follows rows of different heights", () => {
    const heights = [80, 200, 80, 80, 80];
    expect(rowRange(heights, 10, 300, 320, 0)).toMatchObject({ first: 2, end: 3, before: 300 });
  });

  it("has nothing to show past the end or for no rows", () => {
    expect(rowRange(rows(3), 8, 5000, 5640, 100)).toMatchObject({ first: 3, end: 3, after: 0 });
    expect(rowRange([], 8, 0, 640, 100)).toEqual({ first: 0, end: 0, before: 0, after: 0 });
  });
});

describe("offsetOf", () => {
  it("adds heights and gaps above a row", () => {
    expect(offsetOf([80, 200, 80], 10, 2)).toBe(300);
    expect(offsetOf([80], 10, 0)).toBe(0);
  });
});
