import { beforeEach, describe, expect, it } from "vitest";
import type { ClockView } from "../api";
import { setLanguage } from "../i18n";
import { correctionSentence, fixSentence, offsetSentence, ClockIndicator, renderBanner, signed } from "./clock-banner";

function view(over: Partial<ClockView>): ClockView {
  return {
    state: "ok",
    offset: 0.2,
    uncertainty: 0.01,
    source: "NTP ntp.nict.jp",
    checked_at: 1,
    correcting: false,
    applied_offset: 0,
    not_applied: null,
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

  it("says the codes are corrected, by how much, instead of alarming when correction is on", () => {
    const b = renderBanner(view({ state: "error", offset: 74, correcting: true, applied_offset: 74 }), "windows", () => {})!;
    expect(b.className).toBe("banner banner-info");
    expect(b.textContent).toContain("一致した 2 つの情報源）でコードを +74 秒補正しているので");
    expect(b.textContent).not.toContain("今すぐ同期");
    setLanguage("en");
    expect(correctionSentence(view({ correcting: true, applied_offset: -45 }))).toBe(
      "Codes are corrected by −45 s using network time (two time sources agree), so the codes shown can be used as they are.",
    );
  });

  it("an uncorrected offset stays an alarm, with the fix and why it is not corrected", () => {
    const one = view({ state: "error", offset: -45, not_applied: { reason: "one_source", source: "NTP 127.0.0.1:123" } });
    const b = renderBanner(one, "windows", () => {})!;
    expect(b.className).toBe("banner banner-error");
    expect(b.textContent).toContain("このPCの時計は 45 秒進んでいます。このままではコードは拒否されます。");
    expect(b.querySelector(".banner-reason")!.textContent).toBe(
      "コードは補正していません。応答した時刻の情報源が 1 つ（NTP 127.0.0.1:123）だけで、補正には一致する 2 つの情報源が必要です。",
    );
    expect(b.textContent).toContain("今すぐ同期");
    setLanguage("en");
    expect(correctionSentence(one)).toBe(
      "Codes are not corrected: only one time source answered (NTP 127.0.0.1:123), and a correction needs two that agree.",
    );
  });

  it("names both figures when the sources disagree", () => {
    const disagree = view({
      state: "error",
      offset: 90,
      not_applied: {
        reason: "disagree",
        spread: 20.04,
        tolerance: 3,
        low: { source: "NTP a", offset: 90.1 },
        high: { source: "NTP b", offset: 110.2 },
      },
    });
    expect(renderBanner(disagree, "linux", () => {})!.querySelector(".banner-reason")!.textContent).toBe(
      "コードは補正していません。時刻の情報源どうしで 20.0 秒食い違っており、許容範囲の 3 秒を超えています（NTP a では 90 秒遅れ、NTP b では 110 秒遅れ）。",
    );
    setLanguage("en");
    expect(correctionSentence(disagree)).toBe(
      "Codes are not corrected: the time sources differ by 20.0 s, more than the 3 s allowed (by NTP a this PC is 90 s slow, by NTP b 110 s slow).",
    );
  });

  it("says whose limit an offset is over", () => {
    const over = (managed: boolean) =>
      view({ state: "error", offset: -3600, not_applied: { reason: "over_limit", offset: -3600, limit: managed ? 60 : 300, managed } });
    expect(correctionSentence(over(true))).toBe("コードは補正していません。ずれが組織の定めた補正の上限（60 秒）を超えています。");
    expect(correctionSentence(over(false))).toBe("コードは補正していません。ずれが Ninsho の補正の上限（300 秒）を超えています。");
    setLanguage("en");
    expect(correctionSentence(over(true))).toBe(
      "Codes are not corrected: the offset is more than the largest correction your organization allows (60 s).",
    );
    expect(renderBanner(over(false), "macos", () => {})!.textContent).toContain(
      "Codes are not corrected: the offset is more than the largest correction Ninsho makes (300 s).",
    );
    expect(correctionSentence(view({}))).toBeNull();
  });

  it("a years-off clock still gets the red banner with its figure", () => {
    const years = 3 * 365 * 86400;
    const why = { reason: "over_limit", offset: years, limit: 300, managed: false } as const;
    const b = renderBanner(view({ state: "error", offset: years, not_applied: why }), "windows", () => {})!;
    expect(b.className).toBe("banner banner-error");
    expect(b.textContent).toContain(`このPCの時計は ${years} 秒遅れています。`);
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

  it("shows the correction badge only while codes are corrected", () => {
    const indicator = new ClockIndicator("windows");
    indicator.update(view({ state: "error", offset: -45, correcting: true, applied_offset: -45 }));
    expect([indicator.badge.hidden, indicator.badge.textContent]).toEqual([false, "補正中 −45 秒"]);
    indicator.update(view({ state: "error", offset: -45, not_applied: { reason: "one_source", source: "NTP a" } }));
    expect(indicator.badge.hidden).toBe(true);
  });

  it("signs the correction badge", () => {
    expect(signed(74)).toBe("+74");
    expect(signed(-3)).toBe("−3");
    expect(signed(0)).toBe("±0");
  });
});
