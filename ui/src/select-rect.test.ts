import { describe, expect, it } from "vitest";
import { isSelection, spanned } from "./select-rect";

describe("area selection", () => {
  it("spans the drag in any direction", () => {
    expect(spanned(10, 20, 110, 70)).toEqual({ x: 10, y: 20, width: 100, height: 50 });
    expect(spanned(110, 70, 10, 20)).toEqual({ x: 10, y: 20, width: 100, height: 50 });
  });

  it("a click or a thin line is not a selection", () => {
    expect(isSelection(spanned(5, 5, 6, 6))).toBe(false);
    expect(isSelection(spanned(5, 5, 300, 8))).toBe(false);
    expect(isSelection(spanned(5, 5, 60, 60))).toBe(true);
  });
});
