import { beforeEach, describe, expect, it, vi } from "vitest";
import { api, type ClockView } from "../api";
import { setLanguage } from "../i18n";
import { correctionSentence, fixSentence, offsetSentence, ClockIndicator, readingLine, renderBanner, signed, type BannerHooks } from "./clock-banner";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn(() => Promise.resolve()) }));

const NICT = { kind: "ntp", host: "ntp.nict.jp", offset: -45.2, uncertainty: 0.004 } as const;

function view(over: Partial<ClockView>): ClockView {
  return {
    state: "ok",
    offset: 0.2,
    sources: [NICT],
    checked_at: 1,
    correction: "off",
    correcting: false,
    applied_offset: 0,
    not_applied: null,
    date_settings: true,
    ...over,
  };
}

function hooks(over: Partial<BannerHooks> = {}): BannerHooks {
  return { platform: "windows", onCheck: () => {}, onCorrect: () => Promise.resolve(), ...over };
}

const button = (banner: HTMLElement, name: string) => banner.querySelector<HTMLButtonElement>(`button[name=${name}]`);

describe("clock banner", () => {
  beforeEach(() => setLanguage("ja"));

  it("states the offset in words, rounded, slow or fast", () => {
    expect(offsetSentence(74.4)).toBe("この PC の時計が 74 秒遅れています。");
    expect(offsetSentence(-12.6)).toBe("この PC の時計が 13 秒進んでいます。");
    expect(offsetSentence(0.3)).toBe("この PC の時計は合っています（ずれは 1 秒未満）。");
    setLanguage("en");
    expect(offsetSentence(74.4)).toBe("This PC's clock is 74 s slow.");
  });

  it("gives the fix for the user's OS, by hand where Ninsho cannot open the settings", () => {
    expect(fixSentence("windows", true)).toContain("［今すぐ同期］");
    expect(fixSentence("macos", true)).toContain("時刻と日付を自動的に設定");
    expect(fixSentence("linux", true)).toContain("日付と時刻の自動設定");
    expect(fixSentence("linux", false)).toContain("timedatectl set-ntp true");
    setLanguage("en");
    expect(fixSentence("windows", true)).toBe("To fix it, press Sync now in the date & time settings.");
  });

  it("shows nothing when the clock is fine or not yet checked", () => {
    expect(renderBanner(view({ state: "ok" }), hooks())).toBeNull();
    expect(renderBanner(view({ state: "unknown", offset: null, sources: [] }), hooks())).toBeNull();
  });

  it("says what is wrong first, then the fixes as buttons, then the measurement folded away", () => {
    const b = renderBanner(view({ state: "error", offset: -45.2 }), hooks())!;
    expect(b.className).toBe("banner banner-error");
    const parts = Array.from(b.children, (c) => c.className || c.tagName);
    expect(parts).toEqual(["banner-title", "P", "banner-actions", "banner-details"]);
    expect(b.querySelector(".banner-title")!.textContent).toBe("この PC の時計が 45 秒進んでいます。このままではコードは拒否されます。");
    expect(Array.from(b.querySelectorAll(".banner-actions button"), (x) => x.textContent)).toEqual([
      "日付と時刻の設定を開く",
      "時計を直せない場合は Ninsho で補正する",
      "再確認",
    ]);
    const details = b.querySelector("details")!;
    expect(details.open).toBe(false);
    expect(details.querySelector("summary")!.textContent).toBe("測定の詳細");
    expect(details.querySelector("li")!.textContent).toBe("時刻サーバー ntp.nict.jp：45 秒進み（誤差 ±0.01 秒）");
    expect(b.textContent).not.toMatch(/NTP|Date|:\d+/);
  });

  it("is yellow from 10 s", () => {
    const warn = renderBanner(view({ state: "warn", offset: 20 }), hooks())!;
    expect(warn.className).toBe("banner banner-warn");
    expect(warn.textContent).toContain("20 秒遅れています。コードが受け付けられないことがあります。");
  });

  it("names each source by its host, a time server or a web server's clock", () => {
    expect(readingLine({ kind: "https", host: "www.google.com", offset: 90.4, uncertainty: 0.61 })).toBe("Web サーバー www.google.com：90 秒遅れ（誤差 ±0.61 秒）");
    setLanguage("en");
    expect(readingLine(NICT)).toBe("Time server ntp.nict.jp: 45 s fast (±0.01 s)");
  });

  it("opens the OS's date settings through the Rust side, and offers no button where it cannot", async () => {
    const open = vi.spyOn(api, "openDateSettings").mockResolvedValue();
    const b = renderBanner(view({ state: "error", offset: -45 }), hooks())!;
    button(b, "open-date-settings")!.click();
    expect(open).toHaveBeenCalledOnce();
    const linux = renderBanner(view({ state: "error", offset: -45, date_settings: false }), hooks({ platform: "linux" }))!;
    expect(button(linux, "open-date-settings")).toBeNull();
    expect(linux.textContent).toContain("timedatectl");
  });

  it("turns correction on from the banner, unless the organization forbids it", async () => {
    let corrected = 0;
    const b = renderBanner(view({ state: "error", offset: -45 }), hooks({ onCorrect: async () => void corrected++ }))!;
    const correct = button(b, "correct-clock")!;
    correct.click();
    expect([corrected, correct.disabled]).toEqual([1, true]);
    await vi.waitFor(() => expect(correct.disabled).toBe(false));

    const forbidden = renderBanner(view({ state: "error", offset: -45, correction: "forbidden" }), hooks())!;
    expect(button(forbidden, "correct-clock")).toBeNull();
    expect(forbidden.querySelector(".banner-hint")!.textContent).toBe(
      "時計を直せない場合は IT 担当者に相談してください。組織の設定により、この PC では Ninsho でコードを補正できません。",
    );
    const on = renderBanner(view({ state: "error", offset: -45, correction: "on", not_applied: { reason: "one_source" } }), hooks())!;
    expect(button(on, "correct-clock")).toBeNull();
    expect(button(on, "open-date-settings")).not.toBeNull();
  });

  it("says in one line that the codes are corrected, by how much, instead of alarming", () => {
    const b = renderBanner(view({ state: "error", offset: 74, correction: "on", correcting: true, applied_offset: 74 }), hooks())!;
    expect(b.className).toBe("banner banner-info");
    expect(Array.from(b.children, (c) => c.tagName)).toEqual(["P", "DETAILS"]);
    expect(b.firstElementChild!.textContent).toBe("ネットワーク時刻に合わせて、コードを +74 秒補正しています。表示中のコードはそのまま使えます。");
    const details = b.querySelector("details")!;
    expect(details.open).toBe(false);
    expect(details.querySelector("p")!.textContent).toBe("この PC の時計が 74 秒遅れています。");
    expect(Array.from(b.querySelectorAll("button"), (x) => x.name)).toEqual(["clock-check"]);
    setLanguage("en");
    expect(correctionSentence(view({ correcting: true, applied_offset: -45 }))).toBe(
      "Codes are corrected by −45 s using network time (two time sources agree), so the codes shown can be used as they are.",
    );
  });

  it("a correction too small to warn about still says so; none at all says nothing", () => {
    const b = renderBanner(view({ state: "ok", offset: -4, correction: "on", correcting: true, applied_offset: -4 }), hooks())!;
    expect([b.className, b.firstElementChild!.textContent]).toEqual([
      "banner banner-info",
      "ネットワーク時刻に合わせて、コードを −4 秒補正しています。表示中のコードはそのまま使えます。",
    ]);
    expect(renderBanner(view({ state: "ok", offset: 0.3, correction: "on", correcting: true, applied_offset: 0 }), hooks())).toBeNull();
  });

  it("an uncorrected offset stays an alarm, with the fix and why it is not corrected", () => {
    const one = view({ state: "error", offset: -45, correction: "on", not_applied: { reason: "one_source" } });
    const b = renderBanner(one, hooks())!;
    expect(b.className).toBe("banner banner-error");
    expect(b.querySelector(".banner-reason")!.textContent).toBe(
      "コードは補正していません。補正には一致する 2 つの時刻の情報源が必要ですが、応答したのは 1 つだけでした。",
    );
    expect(b.textContent).toContain("［今すぐ同期］");
    setLanguage("en");
    expect(correctionSentence(one)).toBe("Codes are not corrected: only one time source answered, and a correction needs two that agree.");
  });

  it("names the spread when the sources disagree, each figure in the details", () => {
    const disagree = view({
      state: "error",
      offset: 90,
      correction: "on",
      sources: [
        { kind: "ntp", host: "a.example", offset: 90.1, uncertainty: 0.01 },
        { kind: "ntp", host: "b.example", offset: 110.2, uncertainty: 0.01 },
      ],
      not_applied: { reason: "disagree", spread: 20.04, tolerance: 3 },
    });
    const b = renderBanner(disagree, hooks({ platform: "linux" }))!;
    expect(b.querySelector(".banner-reason")!.textContent).toBe(
      "コードは補正していません。時刻の情報源どうしで 20.0 秒食い違っており、許容範囲の 3 秒を超えています。",
    );
    expect(Array.from(b.querySelectorAll("details li"), (li) => li.textContent)).toEqual([
      "時刻サーバー a.example：90 秒遅れ（誤差 ±0.01 秒）",
      "時刻サーバー b.example：110 秒遅れ（誤差 ±0.01 秒）",
    ]);
    setLanguage("en");
    expect(correctionSentence(disagree)).toBe("Codes are not corrected: the time sources differ by 20.0 s, more than the 3 s allowed.");
  });

  it("says whose limit an offset is over", () => {
    const over = (managed: boolean) =>
      view({ state: "error", offset: -3600, correction: "on", not_applied: { reason: "over_limit", offset: -3600, limit: managed ? 60 : 300, managed } });
    expect(correctionSentence(over(true))).toBe("コードは補正していません。ずれが組織の定めた補正の上限（60 秒）を超えています。");
    expect(correctionSentence(over(false))).toBe("コードは補正していません。ずれが Ninsho の補正の上限（300 秒）を超えています。");
    setLanguage("en");
    expect(correctionSentence(over(true))).toBe(
      "Codes are not corrected: the offset is more than the largest correction your organization allows (60 s).",
    );
    expect(renderBanner(over(false), hooks({ platform: "macos" }))!.textContent).toContain(
      "Codes are not corrected: the offset is more than the largest correction Ninsho makes (300 s).",
    );
    expect(correctionSentence(view({}))).toBeNull();
  });

  it("a years-off clock still gets the red banner with its figure", () => {
    const years = 3 * 365 * 86400;
    const why = { reason: "over_limit", offset: years, limit: 300, managed: false } as const;
    const b = renderBanner(view({ state: "error", offset: years, correction: "on", not_applied: why }), hooks())!;
    expect(b.className).toBe("banner banner-error");
    expect(b.textContent).toContain(`この PC の時計が ${years} 秒遅れています。`);
  });

  it("a check that could not run is a note with a retry, not a warning", () => {
    let checked = false;
    const b = renderBanner(view({ state: "failed", offset: null, sources: [] }), hooks({ onCheck: () => (checked = true) }))!;
    expect(b.className).toBe("banner banner-note");
    (b.querySelector("button") as HTMLButtonElement).click();
    expect(checked).toBe(true);
  });

  it("announces politely, and only when the banner's words change", () => {
    const indicator = new ClockIndicator("windows", () => Promise.resolve());
    expect(indicator.banner.getAttribute("role")).toBe("status");
    indicator.update(view({ state: "error", offset: 74 }));
    const first = indicator.banner.firstChild as HTMLElement;
    expect(first).not.toBeNull();
    // The same outcome with other figures in the folded details: the banner stays, the
    // details open as the user left them, with the new figures.
    first.querySelector("details")!.open = true;
    indicator.update(view({ state: "error", offset: 74, sources: [{ ...NICT, uncertainty: 0.02 }] }));
    expect(indicator.banner.firstChild).toBe(first);
    const details = first.querySelector("details")!;
    expect([details.open, details.querySelector("li")!.textContent]).toEqual([true, "時刻サーバー ntp.nict.jp：45 秒進み（誤差 ±0.02 秒）"]);
    indicator.update(view({ state: "ok", offset: 0 }));
    expect(indicator.banner.firstChild).toBeNull();
  });

  it("a check again with the same outcome gives the button back", async () => {
    vi.spyOn(api, "checkClock").mockResolvedValue(view({ state: "error", offset: 74 }));
    const indicator = new ClockIndicator("windows", () => Promise.resolve());
    indicator.update(view({ state: "error", offset: 74 }));
    const again = button(indicator.banner, "clock-check")!;
    again.click();
    expect([again.disabled, again.textContent]).toEqual([true, "確認中…"]);
    await vi.waitFor(() => expect([again.disabled, again.textContent]).toEqual([false, "再確認"]));
  });

  it("signs the correction", () => {
    expect(signed(74)).toBe("+74");
    expect(signed(-3)).toBe("−3");
    expect(signed(0)).toBe("±0");
  });
});
