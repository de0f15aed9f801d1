import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { readingTime, toast, toastRegion } from "./toast";

describe("reading time", () => {
  it("gives a short confirmation the minimum, and a long one time for each character", () => {
    expect(readingTime("保存しました")).toBe(4000);
    expect(readingTime("Saved")).toBe(4000);
    // 1.5 s to notice it, 150 ms for each of its 51 Japanese characters, 60 ms for each of its 4 digits.
    const near = "残り時間が少ないため、次のコードをコピーしました（25 秒後から有効）。30 秒後にクリップボードから消去します。";
    expect(readingTime(near)).toBe(1500 + 51 * 150 + 4 * 60);
    // The same message in English is read faster, character for character.
    const english = "Only seconds were left, so the next code was copied (valid in 25 s). It will be cleared from the clipboard in 30 s.";
    expect(readingTime(english)).toBe(1500 + english.replace(/\s/g, "").length * 60);
    expect(readingTime("あ".repeat(1000))).toBe(30_000);
  });
});

describe("toast", () => {
  let region: HTMLElement;
  beforeEach(() => {
    vi.useFakeTimers();
    region = toastRegion();
    document.body.append(region);
  });
  afterEach(() => {
    vi.useRealTimers();
    region.remove();
  });

  it("stays for its reading time, or longer when asked", () => {
    const message = "残り時間が少ないため、次のコードをコピーしました（25 秒後から有効）。30 秒後にクリップボードから消去します。";
    toast(message, "warn");
    toast("保存しました", "info", 10_000);
    vi.advanceTimersByTime(readingTime(message) - 1);
    expect(region.children).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect([...region.children].map((c) => c.textContent)).toEqual(["保存しました"]);
    vi.advanceTimersByTime(10_000);
    expect(region.children).toHaveLength(0);
  });

  it("waits while the pointer is on it, then gives its time again", () => {
    toast("Saved");
    const item = region.firstElementChild!;
    vi.advanceTimersByTime(3000);
    item.dispatchEvent(new Event("pointerenter"));
    vi.advanceTimersByTime(60_000);
    expect(region.children).toHaveLength(1);
    item.dispatchEvent(new Event("pointerleave"));
    vi.advanceTimersByTime(3999);
    expect(region.children).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(region.children).toHaveLength(0);
  });
});
