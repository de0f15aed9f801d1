// The clock warning above the list: the offset in words, what it means for codes, and
// how to fix it on this OS. A check that could not run is a quiet note, never an alarm.
// With correction on, it says the codes are corrected, or why not (the Rust side applies
// a correction only when two sources agree, within a limit).
import { api, type ClockView, type NotApplied } from "../api";
import { h } from "../dom";
import { t } from "../i18n";

/** The sentence stating the offset, e.g. "This PC's clock is 74 s slow." */
export function offsetSentence(offset: number): string {
  const seconds = Math.round(Math.abs(offset));
  return t(offset > 0 ? "clock.slow" : "clock.fast", { s: seconds });
}

export function fixSentence(platform: string): string {
  return t(platform === "windows" ? "clock.fix_windows" : platform === "macos" ? "clock.fix_macos" : "clock.fix_linux");
}

/** "+74" / "−12": the correction as the header badge shows it. */
export function signed(seconds: number): string {
  return seconds > 0 ? `+${seconds}` : seconds < 0 ? `−${Math.abs(seconds)}` : "±0";
}

/** "90 s slow" for one source's offset. */
function byOffset(offset: number): string {
  return t(offset > 0 ? "clock.slow_by" : "clock.fast_by", { s: Math.round(Math.abs(offset)) });
}

export function notAppliedSentence(why: NotApplied): string {
  switch (why.reason) {
    case "one_source":
      return t("clock.not_applied_one_source", { source: why.source });
    case "disagree":
      return t("clock.not_applied_disagree", {
        s: why.spread.toFixed(1),
        tolerance: why.tolerance,
        a: why.low.source,
        a_off: byOffset(why.low.offset),
        b: why.high.source,
        b_off: byOffset(why.high.offset),
      });
    case "over_limit":
      return t(why.managed ? "clock.not_applied_over_org_limit" : "clock.not_applied_over_limit", { limit: why.limit });
  }
}

/** What correction does to the codes, when it is on and the clock was measured. */
export function correctionSentence(view: ClockView): string | null {
  if (view.correcting) return t("clock.correcting", { offset: signed(view.applied_offset) });
  return view.not_applied ? notAppliedSentence(view.not_applied) : null;
}

export function renderBanner(view: ClockView, platform: string, onCheck: () => void): HTMLElement | null {
  const again = () => {
    const button = h("button", { type: "button", class: "banner-action" }, t("clock.check_again"));
    button.addEventListener("click", () => {
      button.disabled = true;
      button.textContent = t("clock.checking");
      onCheck();
    });
    return button;
  };
  if (view.state === "failed") {
    return h("div", { class: "banner banner-note" }, h("p", {}, t("clock.failed")), again());
  }
  if ((view.state !== "warn" && view.state !== "error") || view.offset === null) return null;
  const tail = view.correcting
    ? t("clock.correcting", { offset: signed(view.applied_offset) })
    : t(view.state === "error" ? "clock.error_tail" : "clock.warn_tail");
  const detail = view.source ? t("clock.source", { source: view.source, u: (view.uncertainty ?? 0).toFixed(2) }) : "";
  return h(
    "div",
    { class: `banner banner-${view.correcting ? "info" : view.state}` },
    h("p", { class: "banner-title" }, t("clock.sentence", { offset: offsetSentence(view.offset), tail })),
    view.not_applied ? h("p", { class: "banner-reason" }, notAppliedSentence(view.not_applied)) : null,
    view.correcting ? null : h("p", {}, fixSentence(platform)),
    h("p", { class: "banner-detail" }, detail),
    again(),
  );
}

/** Keeps the banner and the header's correction badge in step with `clock-status` events.
 *  The banner sits in a polite live region: a screen reader says a new warning once, after
 *  what it is reading, and a check with the same outcome changes nothing to announce. */
export class ClockIndicator {
  readonly banner = h("div", { class: "banner-slot", role: "status" });
  readonly badge = h("span", { class: "badge", hidden: true });
  private view: ClockView | null = null;
  private shown = "";

  constructor(private readonly platform: string) {}

  update(view: ClockView): void {
    this.view = view;
    const banner = renderBanner(view, this.platform, () => void this.check());
    const text = banner?.textContent ?? "";
    if (text !== this.shown || (banner === null) !== (this.banner.firstChild === null)) {
      this.shown = text;
      this.banner.replaceChildren(...(banner ? [banner] : []));
    }
    this.badge.hidden = !view.correcting;
    this.badge.textContent = t("clock.badge", { offset: signed(view.applied_offset) });
  }

  current(): ClockView | null {
    return this.view;
  }

  async check(): Promise<void> {
    this.update(await api.checkClock());
  }
}
