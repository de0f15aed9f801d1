import { beforeEach, describe, expect, it } from "vitest";
import type { ClockView } from "../api";
import { setLanguage } from "../i18n";
import { fixSentence, offsetSentence, ClockIndicator, renderBanner, signed } from "./clock-banner";

function view(over: Partial<ClockView>): ClockView {
  return {
    state: "ok",
    offset: 0.2,
    uncertainty: 0.01,
    source: "NTP ntp.nict.jp",
    checked_at: 1,
    correcting: false,
    applied_offset: 0,
    ...over,
  };
}

describe("clock banner", () => {
  beforeEach(() => setLanguage("ja"));

  it("states the offset in words, rounded, slow or fast", () => {
    expect(offsetSentence(74.4)).toBe("このPCの時計は 74 秒遅れています。");
    expect(offsetSentence(-12.6)).toBe("このPCの時計は 13 秒進んでいます。");
    setLanguage("en");
    expect(offsetSentence(74.4)).toBe("This PC's clock is 74 s slow.");
  });

  it("gives the fix for the user's OS", () => {
    expect(fixSentence("windows")).toContain("今すぐ同期");
    expect(fixSentence("macos")).toContain("日付と時刻");
    setLanguage("en");
    expect(fixSentence("windows")).toContain("Settings → Time & language → Date & time → Sync now");
    expect(fixSentence("macos")).toContain("System Settings → General → Date & Time");
  });

  it("shows nothing when the clock is fine or not yet checked", () => {
    expect(renderBanner(view({ state: "ok" }), "windows", () => {})).toBeNull();
    expect(renderBanner(view({ state: "unknown", offset: null }), "windows", () => {})).toBeNull();
  });

  it("is yellow at 10 s and red at 30 s, with the fix", () => {
    const warn = renderBanner(view({ state: "warn", offset: 20 }), "windows", () => {})!;
    expect(warn.className).toBe("banner banner-warn");
    expect(warn.textContent).toContain("20 秒遅れています。コードが受け付けられないことがあります。");
    const error = renderBanner(view({ state: "error", offset: 74 }), "macos", () => {})!;
    expect(error.className).toBe("banner banner-error");
    expect(error.textContent).toContain("このままではコードは拒否されます。");
    expect(error.textContent).toContain("システム設定");
  });

  it("says the codes are corrected instead of alarming when correction is on", () => {
    const b = renderBanner(view({ state: "error", offset: 74, correcting: true, applied_offset: 74 }), "windows", () => {})!;
    expect(b.className).toBe("banner banner-info");
    expect(b.textContent).toContain("補正している");
    expect(b.textContent).not.toContain("今すぐ同期");
  });

  it("a check that could not run is a note with a retry, not a warning", () => {
    let checked = false;
    const b = renderBanner(view({ state: "failed", offset: null }), "windows", () => (checked = true))!;
    expect(b.className).toBe("banner banner-note");
    (b.querySelector("button") as HTMLButtonElement).click();
    expect(checked).toBe(true);
  });

  it("announces politely, and only when the banner's words change", () => {
    const indicator = new ClockIndicator("windows");
    expect(indicator.banner.getAttribute("role")).toBe("status");
    indicator.update(view({ state: "error", offset: 74 }));
    const first = indicator.banner.firstChild;
    expect(first).not.toBeNull();
    indicator.update(view({ state: "error", offset: 74 }));
    expect(indicator.banner.firstChild).toBe(first);
    indicator.update(view({ state: "ok", offset: 0 }));
    expect(indicator.banner.firstChild).toBeNull();
  });

  it("signs the correction badge", () => {
    expect(signed(74)).toBe("+74");
    expect(signed(-3)).toBe("−3");
    expect(signed(0)).toBe("±0");
  });
});
