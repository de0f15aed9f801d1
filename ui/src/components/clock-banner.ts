// The clock warning above the list: what is wrong and by how much, in words; then the fixes
// as buttons: the OS's own date settings, and for PCs whose clock IT locked, Ninsho's
// correction (where the organization allows it); how it was measured is folded away. A
// check that could not run is a quiet note, never an alarm. With correction on, it says the
// codes are corrected, or why not (the Rust side applies a correction only when two sources
// agree, within a limit).
import { api, type ClockSource, type ClockView, type NotApplied } from "../api";
import { h, setText } from "../dom";
import { errorText } from "../errors";
import { t } from "../i18n";
import { toast } from "./toast";

/** The sentence stating the offset, e.g. "This PC's clock is 74 s slow." */
export function offsetSentence(offset: number): string {
  const seconds = Math.round(Math.abs(offset));
  if (seconds === 0) return t("clock.accurate");
  return t(offset > 0 ? "clock.slow" : "clock.fast", { s: seconds });
}

/** How to fix the clock on this OS: in its date and time settings, or, on a Linux desktop
 *  whose settings Ninsho does not know (`ClockView.date_settings` false), by hand. */
export function fixSentence(platform: string, settingsOpen = false): string {
  if (platform === "windows") return t("clock.fix_windows");
  if (platform === "macos") return t("clock.fix_macos");
  return t(settingsOpen ? "clock.fix_linux" : "clock.fix_linux_manual");
}

/** "+74" / "−12": the correction as the banner states it. */
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
      return t("clock.not_applied_one_source");
    case "disagree":
      return t("clock.not_applied_disagree", { s: why.spread.toFixed(1), tolerance: why.tolerance });
    case "over_limit":
      return t(why.managed ? "clock.not_applied_over_org_limit" : "clock.not_applied_over_limit", { limit: why.limit });
  }
}

/** What correction does to the codes, when it is on and the clock was measured. */
export function correctionSentence(view: ClockView): string | null {
  if (view.correcting) return t("clock.correcting", { offset: signed(view.applied_offset) });
  return view.not_applied ? notAppliedSentence(view.not_applied) : null;
}

/** One source's reading in words: who, how far off, how precisely. A reading finer than a
 *  hundredth of a second is stated as ±0.01 s, the bound it is within, not as ±0.00. */
export function readingLine(source: ClockSource): string {
  const name = t(source.kind === "ntp" ? "clock.source_ntp" : "clock.source_https", { host: source.host });
  return t("clock.reading", { source: name, off: byOffset(source.offset), u: Math.max(source.uncertainty, 0.01).toFixed(2) });
}

/** Each source's reading, for the banner's details and Settings' check. */
export function readingsList(view: ClockView): HTMLUListElement | null {
  if (view.sources.length === 0) return null;
  return h("ul", { class: "readings" }, ...view.sources.map((source) => h("li", {}, readingLine(source))));
}

/** How the clock was measured, folded away, between `lead` and `tail` if given. */
function measurementDetails(view: ClockView, lead: HTMLElement | null = null, tail: HTMLElement | null = null): HTMLDetailsElement | null {
  const list = readingsList(view);
  return list && h("details", { class: "banner-details" }, h("summary", {}, t("clock.details")), lead, h("p", {}, t("clock.compared")), list, tail);
}

export interface BannerHooks {
  platform: string;
  onCheck: () => void;
  /** Turns correction on (through the settings, so the policy holds on the Rust side). */
  onCorrect: () => Promise<void>;
}

/** A button that stays pressed while `run` works, and says why if it failed. */
function action(label: string, name: string, run: () => Promise<void>): HTMLButtonElement {
  const button = h("button", { type: "button", class: "banner-action", name }, label);
  button.addEventListener("click", () => {
    button.disabled = true;
    run()
      .catch((err: unknown) => toast(errorText(err), "error", 8000))
      .finally(() => (button.disabled = false));
  });
  return button;
}

export function renderBanner(view: ClockView, hooks: BannerHooks): HTMLElement | null {
  const again = () => {
    const button = h("button", { type: "button", class: "banner-action", name: "clock-check" }, t("clock.check_again"));
    button.addEventListener("click", () => {
      button.disabled = true;
      setText(button, t("clock.checking"));
      hooks.onCheck();
    });
    return button;
  };
  if (view.state === "failed") {
    return h("div", { class: "banner banner-note" }, h("p", {}, t("clock.failed")), again());
  }
  if (view.correcting && view.applied_offset !== 0) {
    // The lasting state of a PC whose clock IT locked: one line above the list (at 200 %
    // text too), and the offset itself with the measurement.
    const offset = view.offset === null ? null : h("p", {}, offsetSentence(view.offset));
    return h(
      "div",
      { class: "banner banner-info" },
      h("p", {}, t("clock.corrected_note", { offset: signed(view.applied_offset) })),
      measurementDetails(view, offset, again()),
    );
  }
  if ((view.state !== "warn" && view.state !== "error") || view.offset === null || view.correcting) return null;
  const tail = t(view.state === "error" ? "clock.error_tail" : "clock.warn_tail");
  return h(
    "div",
    { class: `banner banner-${view.state}` },
    h("p", { class: "banner-title" }, t("clock.sentence", { offset: offsetSentence(view.offset), tail })),
    view.not_applied ? h("p", { class: "banner-reason" }, notAppliedSentence(view.not_applied)) : null,
    h("p", {}, fixSentence(hooks.platform, view.date_settings)),
    h(
      "div",
      { class: "banner-actions" },
      view.date_settings ? action(t("clock.open_settings"), "open-date-settings", api.openDateSettings) : null,
      view.correction === "off" ? action(t("clock.correct"), "correct-clock", hooks.onCorrect) : null,
      again(),
    ),
    view.correction === "forbidden" ? h("p", { class: "banner-hint" }, t("clock.correction_forbidden")) : null,
    measurementDetails(view),
  );
}

/** What a screen reader hears of a banner: all but the folded details. */
function spoken(banner: HTMLElement): string {
  return Array.from(banner.children, (child) => (child.tagName === "DETAILS" ? "" : child.textContent)).join("\n");
}

/** Keeps the banner in step with `clock-status` events. It sits in a polite live region: a
 *  screen reader says a new warning once, after what it is reading, and a check with the
 *  same outcome changes nothing to announce (only the folded figures are brought up to
 *  date, left open if the user opened them). */
export class ClockIndicator {
  readonly banner = h("div", { class: "banner-slot", role: "status" });
  private shown = "";

  constructor(
    private readonly platform: string,
    private readonly correct: () => Promise<void>,
  ) {}

  update(view: ClockView): void {
    const banner = renderBanner(view, { platform: this.platform, onCheck: () => void this.check(), onCorrect: this.correct });
    const text = banner ? spoken(banner) : "";
    if (text !== this.shown || (banner === null) !== (this.banner.firstChild === null)) {
      this.shown = text;
      this.banner.replaceChildren(...(banner ? [banner] : []));
      return;
    }
    const before = this.banner.querySelector("details");
    const after = banner?.querySelector("details");
    if (before && after) {
      after.open = before.open;
      before.replaceWith(after);
    }
    const checkAgain = this.banner.querySelector<HTMLButtonElement>("button[name=clock-check]");
    if (checkAgain) {
      checkAgain.disabled = false;
      setText(checkAgain, t("clock.check_again"));
    }
  }

  async check(): Promise<void> {
    this.update(await api.checkClock());
  }
}
