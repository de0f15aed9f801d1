import { describe, expect, it } from "vitest";
import type { ClockView } from "../api";
import { setLanguage } from "../i18n";
import { clockLine } from "./finish-setup";

function view(over: Partial<ClockView>): ClockView {
  return { state: "ok", offset: 0.2, sources: [], checked_at: 1, correction: "off", correcting: false, applied_offset: 0, not_applied: null, date_settings: false, ...over };
}

describe("finish setup's clock line", () => {
  it("warns with the figure and the fix when codes may be refused", () => {
    setLanguage("ja");
    const line = clockLine(view({ state: "error", offset: -95 }), "windows");
    expect(line.warn).toBe(true);
    expect(line.text).toMatch(/95 秒進んでいます/);
    expect(line.text).toMatch(/日付と時刻/);
  });

  it("joins its sentences as each language does", () => {
    setLanguage("en");
    const line = clockLine(view({ state: "error", offset: 95 }), "windows");
    expect(line.text).toMatch(/slow\. Codes may be refused as it is\. \S/);
    setLanguage("ja");
    expect(clockLine(view({ state: "error", offset: 95 }), "windows").text).not.toMatch(/。 /);
  });

  it("does not warn when the clock is right or Ninsho corrects it", () => {
    setLanguage("ja");
    expect(clockLine(view({}), "windows").warn).toBe(false);
    expect(clockLine(view({ state: "warn", offset: 45, correcting: true, applied_offset: 45 }), "macos")).toEqual({ text: "この PC の時計のずれは、Ninsho が補正しています。", warn: false });
    expect(clockLine(view({ state: "unknown", offset: null }), "linux").warn).toBe(false);
  });
});
