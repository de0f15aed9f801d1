// The main list: one row per account with its code, next code and warnings, and the
// countdown. Each row's code is a button (its name: the account and the code digit by digit;
// its description: the seconds left, read on focus, never announced as they change). Arrow
// keys move the focus between rows (one tab stop for the whole list).
//
// When every time-based account changes its code on the same beat (the usual 30 s), one
// countdown under the header stands for all of them, as Aegis does: twenty rings showing the
// same number told the user nothing more and cost WebKit a repaint in every row each second.
// A vault with mixed periods gives each time-based row its own ring.
import type { AccountView } from "../api";
import { h, phraseNodes, setChildren } from "../dom";
import { t } from "../i18n";
import {
  filterAccounts,
  groupCode,
  middleCutAt,
  moved,
  spokenCode,
  primaryName,
  remainingFraction,
  secondaryName,
  secondsLeft,
  showsNextCode,
} from "../format";
import { offsetOf, rowRange } from "../window-range";
import { ring } from "./ring";

export interface ListCallbacks {
  copy: (a: AccountView) => void;
  /** The empty list's two ways to a first account. */
  scan: () => void;
  add: () => void;
  edit: (a: AccountView) => void;
  reorder: (ids: string[]) => void;
}

interface Row {
  account: AccountView;
  el: HTMLLIElement;
  tick: (now: number) => void;
}

/** What a row shows besides the code: a change in any of these builds the row anew. */
function looks(a: AccountView, ownTimer: boolean): string {
  return JSON.stringify([primaryName(a), secondaryName(a), a.pinned, a.duplicate, a.kind, ownTimer]);
}

/** The period all time-based accounts share, or null when they differ (or there are none). */
export function sharedPeriod(accounts: AccountView[]): number | null {
  let shared: number | null = null;
  for (const a of accounts) {
    if (a.period === null || a.expires_at === null) continue;
    if (shared === null) shared = a.period;
    else if (shared !== a.period) return null;
  }
  return shared;
}

const URGENT_SECONDS = 5;
/** The shared countdown's id, which every row without a ring of its own is described by. */
const SHARED_TIMER_ID = "countdown";
/** Rows are put in the page this far beyond the window's edges, so that a short list (the
 *  usual 10 to 30 accounts) is in the page whole and scrolling rarely adds rows. */
const MARGIN_PX = 1200;
/** While the user types in search, each keystroke puts in the page only the rows in view;
 *  the margin follows once typing pauses this long. Laying out the margin's rows was most
 *  of a keystroke's time (measured in the app: about 0.7 ms a row, 24 rows at the top of a
 *  long list). */
const TYPING_PAUSE_MS = 150;
/** The gap between rows (`.accounts { gap }`). */
const GAP_PX = 8;
/** A row's height before any row has been measured. */
const FIRST_ESTIMATE_PX = 80;

/** Two rows the user cannot tell apart: one short line, and the button that fixes it. */
function duplicateWarning(id: string, edit: () => void): HTMLElement {
  const nameIt = h("button", { type: "button", class: "name-it small" }, t("list.duplicate_fix"));
  nameIt.addEventListener("click", edit);
  return h("div", { class: "duplicate" }, h("span", { id }, h("span", { "aria-hidden": "true" }, "⚠ "), t("list.duplicate")), nameIt);
}

/**
 * A name as the parts that the styles cut in the middle when the row is too narrow (its
 * start and end stay in view, see `middleCutAt`) and wrap between phrases in a narrow
 * window. A short name is one part, cut at its end.
 */
function cutInMiddle(name: string): HTMLElement[] {
  const at = middleCutAt(name);
  const head = h("span", { class: "cut-head" }, phraseNodes(name, { to: at, tokens: true }));
  return at < name.length ? [head, h("span", { class: "cut-tail" }, phraseNodes(name, { from: at, tokens: true }))] : [head];
}

/** A line of the row's names: `cut` when it has a start and an end to keep in view. */
function nameLine(className: string, name: string, ...before: (HTMLElement | null)[]): HTMLElement {
  const parts = cutInMiddle(name);
  return h("div", { class: parts.length > 1 ? `${className} cut` : className }, ...before, ...parts);
}

export class AccountList {
  readonly root: HTMLElement;
  /** The countdown shared by all rows, for the header (it stays in view as the list scrolls). */
  readonly countdown: HTMLElement;
  private readonly countdownSeconds: HTMLElement;
  private readonly countdownBar: HTMLElement;
  private shownCountdown = "";
  /** Set while every time-based account has this period; their rows then have no ring. */
  private period: number | null = null;
  private readonly ul: HTMLUListElement;
  private readonly empty: HTMLElement;
  private readonly welcome: HTMLElement;
  private accounts: AccountView[] = [];
  /** The accounts the search matches, in order; `rows` shows matching[first…]. */
  private matching: AccountView[] = [];
  private first = 0;
  private rows: Row[] = [];
  /** Built rows by account id, kept across refreshes: a refresh every 30 s (new codes), a
   *  keystroke in search or a scroll moves existing rows instead of building them again. */
  private readonly built = new Map<string, { row: Row; looks: string }>();
  /** Measured row heights by account id; rows never laid out count as the average. */
  private readonly heights = new Map<string, number>();
  private estimate = FIRST_ESTIMATE_PX;
  /** Rows inside the window: only they tick. */
  private readonly onScreen = new Set<Element>();
  private readonly watcher: IntersectionObserver;
  private lastNow = 0;
  private scrollFrame = 0;
  private marginTimer = 0;
  private query = "";
  private selected = 0;
  private current: Row | null = null;
  private dragId: string | null = null;

  constructor(private readonly callbacks: ListCallbacks) {
    this.ul = h("ul", { class: "accounts", "aria-label": t("list.label") });
    this.empty = h("p", { class: "empty", hidden: true });
    this.welcome = this.welcomeView();
    this.root = h("section", { class: "list" }, this.ul, this.empty, this.welcome);
    this.countdownSeconds = h("span", { class: "seconds" });
    this.countdownBar = h("div", { class: "countdown-bar" });
    this.countdown = h(
      "div",
      { class: "countdown", id: SHARED_TIMER_ID, hidden: true },
      h("div", { class: "countdown-track", "aria-hidden": "true" }, this.countdownBar),
      h("span", { class: "countdown-text" }, `${t("list.shared_before")} `, this.countdownSeconds, ` ${t("list.shared_after")}`),
    );
    this.ul.addEventListener("keydown", (e) => this.onKey(e));
    this.watcher = new IntersectionObserver((entries) => this.onScroll(entries), { rootMargin: "100px 0px" });
    const follow = () => {
      if (this.scrollFrame || this.covers()) return;
      this.scrollFrame = requestAnimationFrame(() => {
        this.scrollFrame = 0;
        this.layout();
      });
    };
    window.addEventListener("scroll", follow, { passive: true });
    window.addEventListener("resize", follow);
    this.dispose = () => {
      window.removeEventListener("scroll", follow);
      window.removeEventListener("resize", follow);
      cancelAnimationFrame(this.scrollFrame);
      window.clearTimeout(this.marginTimer);
      this.watcher.disconnect();
    };
  }

  /** Stops following the window (the list is being replaced). */
  readonly dispose: () => void;

  /** No account yet: scanning the setup page's QR code comes first, typing the key second. */
  private welcomeView(): HTMLElement {
    const choice = (name: string, title: string, detail: string, run: () => void, recommended: boolean) => {
      const button = h(
        "button",
        { type: "button", name, class: recommended ? "first-choice recommended" : "first-choice" },
        h("span", { class: "choice-title" }, title),
        h("span", { class: "choice-detail" }, detail),
      );
      button.addEventListener("click", run);
      return button;
    };
    return h(
      "div",
      { class: "welcome", hidden: true },
      h("p", { class: "welcome-title" }, t("list.empty")),
      choice("first-scan", t("list.first_scan"), t("list.first_scan_detail"), () => this.callbacks.scan(), true),
      choice("first-key", t("list.first_key"), t("list.first_key_detail"), () => this.callbacks.add(), false),
    );
  }

  /** Every account shown, whatever the search. */
  all(): AccountView[] {
    return this.accounts;
  }

  setAccounts(accounts: AccountView[], now: number): void {
    const selectedId = this.matching[this.selected]?.id;
    // Moving a focused row (a reorder, a refresh) would drop the focus to the page.
    const hadFocus = this.ul.contains(document.activeElement);
    this.accounts = accounts;
    this.period = sharedPeriod(accounts);
    this.countdown.hidden = this.period === null;
    this.render(now);
    const index = this.matching.findIndex((a) => a.id === selectedId);
    this.select(index >= 0 ? index : 0, false);
    if (hadFocus && !this.ul.contains(document.activeElement)) this.focus();
  }

  setQuery(query: string, now: number): void {
    this.query = query;
    this.render(now, 0);
    this.select(0, false);
    window.clearTimeout(this.marginTimer);
    this.marginTimer = window.setTimeout(() => {
      this.marginTimer = 0;
      this.layout();
    }, TYPING_PAUSE_MS);
  }

  tick(now: number): void {
    this.lastNow = now;
    this.tickCountdown(now);
    for (const row of this.rows) if (this.onScreen.has(row.el)) row.tick(now);
  }

  private tickCountdown(now: number): void {
    const period = this.period;
    if (period === null) return;
    // All share the period, so all share the moment their codes change.
    const expiresAt = (Math.floor(now / period) + 1) * period;
    const left = secondsLeft(expiresAt, now);
    const urgent = left <= URGENT_SECONDS;
    const shown = `${left} ${urgent}`;
    if (shown === this.shownCountdown) return;
    this.shownCountdown = shown;
    this.countdownSeconds.textContent = String(left);
    this.countdownBar.style.transform = `scaleX(${remainingFraction(expiresAt, period, now).toFixed(3)})`;
    this.countdown.classList.toggle("urgent", urgent);
  }

  /** Focuses the selected code; false when the list shows none. */
  focus(): boolean {
    const button = this.codeButton(this.selected);
    button?.focus();
    return button !== null;
  }

  /** Copies the selected row's code (Enter in the search box). */
  copySelected(): void {
    const account = this.matching[this.selected];
    if (account) this.callbacks.copy(account);
  }

  moveSelection(delta: number): void {
    this.select(this.selected + delta, true);
  }

  private render(now: number, margin = MARGIN_PX): void {
    this.lastNow = now;
    this.matching = filterAccounts(this.accounts, this.query);
    const ids = new Set(this.accounts.map((a) => a.id));
    for (const [id, { row }] of this.built) {
      if (!ids.has(id)) {
        this.watcher.unobserve(row.el);
        this.onScreen.delete(row.el);
        this.built.delete(id);
        this.heights.delete(id);
      }
    }
    this.layout(undefined, margin);
    this.welcome.hidden = this.accounts.length > 0;
    this.empty.hidden = this.matching.length > 0 || this.accounts.length === 0;
    this.empty.textContent = t("list.no_match", { query: this.query });
  }

  /** Whether the rows in the page still reach past both edges of the window. */
  private covers(): boolean {
    const box = this.ul.getBoundingClientRect();
    const rendered = this.rows.length > 0 ? this.rows[this.rows.length - 1]!.el.getBoundingClientRect().bottom : box.top;
    const firstTop = this.rows[0]?.el.getBoundingClientRect().top ?? box.top;
    const margin = MARGIN_PX / 2;
    const atStart = this.first === 0 || firstTop < -margin;
    const atEnd = this.first + this.rows.length >= this.matching.length || rendered > window.innerHeight + margin;
    return atStart && atEnd;
  }

  /** Puts in the page the rows in and within `margin` of the window, or around row `around`. */
  private layout(around?: number, margin = MARGIN_PX): void {
    const heights = this.matching.map((a) => this.heights.get(a.id) ?? this.estimate);
    const top = around === undefined ? -this.ul.getBoundingClientRect().top : offsetOf(heights, GAP_PX, around) - window.innerHeight / 2;
    const range = rowRange(heights, GAP_PX, top, top + window.innerHeight, margin);
    const rows = this.matching.slice(range.first, range.end).map((a) => this.rowFor(a));
    const hadFocus = this.ul.contains(document.activeElement);
    const kept = new Set(rows);
    for (const row of this.rows) {
      if (!kept.has(row)) {
        this.watcher.unobserve(row.el);
        this.onScreen.delete(row.el);
      }
    }
    const before = new Set(this.rows);
    for (const row of rows) if (!before.has(row)) this.watcher.observe(row.el);
    this.rows = rows;
    this.first = range.first;
    setChildren(this.ul, rows.map((r) => r.el));
    this.ul.style.paddingTop = `${range.before}px`;
    this.ul.style.paddingBottom = `${range.after}px`;
    const size = String(this.matching.length);
    rows.forEach((row, i) => {
      const position = String(range.first + i + 1);
      if (row.el.getAttribute("aria-posinset") !== position) row.el.setAttribute("aria-posinset", position);
      if (row.el.getAttribute("aria-setsize") !== size) row.el.setAttribute("aria-setsize", size);
    });
    this.measure();
    this.tick(this.lastNow);
    if (around === undefined && rows.length > 0 && (this.selected < this.first || this.selected >= this.first + rows.length)) {
      // Scrolled far from the selected row: the nearest row in the page takes over its tab
      // stop, and the focus if it had it, or Tab would skip the list.
      this.select(Math.min(Math.max(this.selected, this.first), this.first + rows.length - 1), false);
      if (hadFocus) this.codeButton(this.selected)?.focus({ preventScroll: true });
    }
  }

  /** Learns the heights of the rows in the page (a duplicate warning or large text makes a
   *  row taller), so the space standing in for the others stays close to the truth. */
  private measure(): void {
    for (const row of this.rows) {
      const height = row.el.offsetHeight;
      // Nothing laid out (a hidden window) measures 0: keep what was known.
      if (height > 0) this.heights.set(row.account.id, height);
    }
    if (this.heights.size > 0) {
      let sum = 0;
      for (const height of this.heights.values()) sum += height;
      this.estimate = sum / this.heights.size;
    }
  }

  /** The account's row, reused when only its codes changed. */
  private rowFor(a: AccountView): Row {
    const ownTimer = this.period === null;
    const key = looks(a, ownTimer);
    const known = this.built.get(a.id);
    if (known && known.looks === key) {
      known.row.account = a;
      return known.row;
    }
    if (known) {
      this.watcher.unobserve(known.row.el);
      this.onScreen.delete(known.row.el);
    }
    const row = this.row(a, ownTimer);
    // Filled in before it is in the page: the list takes the focus at start, before the
    // rows in view first tick, and Orca announced an empty code.
    row.tick(this.lastNow);
    this.built.set(a.id, { row, looks: key });
    return row;
  }

  private onScroll(entries: IntersectionObserverEntry[]): void {
    for (const entry of entries) {
      if (entry.isIntersecting) {
        // A row scrolled into view shows this second's state at once.
        if (!this.onScreen.has(entry.target)) this.rows.find((r) => r.el === entry.target)?.tick(this.lastNow);
        this.onScreen.add(entry.target);
      } else {
        this.onScreen.delete(entry.target);
      }
    }
  }

  private codeButton(index: number): HTMLButtonElement | null {
    return this.rows[index - this.first]?.el.querySelector<HTMLButtonElement>("button.code") ?? null;
  }

  private select(index: number, scroll: boolean): void {
    if (this.matching.length === 0) return;
    const hadFocus = this.ul.contains(document.activeElement);
    // The row selected before, wherever a refresh or a search put it (or took it out).
    if (this.current) {
      this.current.el.classList.remove("selected");
      this.current.el.querySelector("button.code")?.setAttribute("tabindex", "-1");
    }
    this.selected = Math.min(this.matching.length - 1, Math.max(0, index));
    // End, or ↓ held down, can reach a row far outside the page.
    if (this.selected < this.first || this.selected >= this.first + this.rows.length) this.layout(this.selected);
    const row = this.rows[this.selected - this.first];
    this.current = row ?? null;
    if (!row) return;
    row.el.classList.add("selected");
    const button = this.codeButton(this.selected);
    button?.setAttribute("tabindex", "0");
    if (hadFocus) button?.focus({ preventScroll: scroll });
    if (scroll) row.el.scrollIntoView?.({ block: "nearest" });
  }

  private onKey(e: KeyboardEvent): void {
    // Keys pressed while a Japanese IME is composing belong to the IME.
    if (e.isComposing || e.keyCode === 229) return;
    const account = this.matching[this.selected];
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      const delta = e.key === "ArrowDown" ? 1 : -1;
      if (e.altKey && account) {
        this.reorderBy(account.id, delta);
      } else {
        this.select(this.selected + delta, true);
      }
      e.preventDefault();
    } else if (e.key === "Home" || e.key === "End") {
      this.select(e.key === "Home" ? 0 : this.matching.length - 1, true);
      e.preventDefault();
    } else if ((e.key === "e" || e.key === "F2") && account) {
      this.callbacks.edit(account);
      e.preventDefault();
    }
  }

  private reorderBy(id: string, delta: number): void {
    const ids = this.accounts.map((a) => a.id);
    const from = ids.indexOf(id);
    if (from < 0) return;
    this.callbacks.reorder(moved(ids, from, delta));
    this.select(this.selected + delta, true);
  }

  private row(a: AccountView, ownTimer: boolean): Row {
    const counterBased = a.kind === "hotp";
    const timerId = ownTimer || counterBased ? `left-${a.id}` : SHARED_TIMER_ID;
    // Seen as "355 986"; named "<account>: 3 5 5, 9 8 6", so a screen reader says the
    // account and then each digit rather than "three hundred fifty-five thousand…".
    const digits = h("span", { class: "digits", "aria-hidden": "true" });
    const spoken = h("span", { class: "sr-only" });
    // The duplicate warning is read with the code too: a screen reader user moves from code
    // to code and would otherwise never meet it. (WebKitGTK leaves a role="note" out of a
    // description, so the warning has no role; Orca heard only the seconds with one.)
    const duplicateId = `dup-${a.id}`;
    const describedBy = a.duplicate ? `${timerId} ${duplicateId}` : timerId;
    const codeButton = h("button", { class: "code", type: "button", tabindex: -1, title: t("list.copy_hint"), "aria-describedby": describedBy }, digits, spoken);
    const next = h("div", { class: "next", hidden: true });
    // The row's own ring and seconds, when the shared countdown does not stand for it.
    const own = ownTimer && !counterBased ? { ring: ring(), seconds: h("span", { class: "seconds" }) } : null;
    const timer = counterBased
      ? h("div", { class: "timer hotp", id: timerId }, t("list.counter_based"))
      : own
        ? h(
            "div",
            { class: "timer", id: timerId },
            own.ring.root,
            h("span", { class: "sr-only" }, t("list.seconds_before")),
            own.seconds,
            h("span", { class: "sr-only" }, t("list.seconds_after")),
          )
        : null;
    const names = h(
      "div",
      { class: "names" },
      nameLine("primary", primaryName(a), a.pinned ? h("span", { class: "pin", role: "img", "aria-label": t("list.pinned"), title: t("list.pinned") }, "📌") : null),
      nameLine("secondary", secondaryName(a)),
    );
    // A name cut to fit is there whole on hover.
    names.title = [primaryName(a), secondaryName(a)].filter(Boolean).join("\n");
    const edit = h("button", { class: "edit icon-button", type: "button", "aria-label": `${t("list.edit")}: ${primaryName(a)}`, title: t("list.edit") }, "✎");
    const el = h(
      "li",
      { id: `acct-${a.id}`, class: timer ? "row" : "row shared-timer", "data-id": a.id, draggable: "true", title: t("list.drag") },
      names,
      h("div", { class: "code-area" }, codeButton, next),
      timer,
      edit,
      a.duplicate ? duplicateWarning(duplicateId, () => this.callbacks.edit(row.account)) : null,
    );
    el.addEventListener("click", (e) => {
      if ((e.target as HTMLElement).closest(".edit, .name-it")) return;
      this.select(this.first + this.rows.indexOf(row), false);
      this.callbacks.copy(row.account);
    });
    edit.addEventListener("click", () => this.callbacks.edit(row.account));
    this.wireDrag(el, a.id);

    // Each tick writes only what changed: an unchanged text or attribute written again
    // would still cost WebKit a style and layout pass for the row.
    let shownCode = "";
    let shownLeft = -1;
    let shownNext: string | null = null;
    let shownUrgent = false;
    const tick = (now: number) => {
      const a = row.account;
      if (shownCode !== a.code) {
        shownCode = a.code;
        digits.textContent = groupCode(a.code);
        spoken.textContent = `${primaryName(a)}: ${spokenCode(a.code)}`;
      }
      if (a.expires_at === null || a.period === null) return;
      const left = secondsLeft(a.expires_at, now);
      if (left === shownLeft) return;
      shownLeft = left;
      const urgent = left <= URGENT_SECONDS;
      if (own) {
        own.seconds.textContent = String(left);
        own.ring.set(remainingFraction(a.expires_at, a.period, now), urgent);
      }
      const nextText = showsNextCode(a, now) && a.next_code ? `${t("list.next")} ${groupCode(a.next_code)}` : null;
      if (nextText !== shownNext) {
        shownNext = nextText;
        next.hidden = nextText === null;
        if (nextText !== null) next.textContent = nextText;
      }
      if (urgent !== shownUrgent) {
        shownUrgent = urgent;
        el.classList.toggle("urgent", urgent);
      }
    };
    const row: Row = { account: a, el, tick };
    return row;
  }

  private wireDrag(el: HTMLLIElement, id: string): void {
    el.addEventListener("dragstart", (e) => {
      this.dragId = id;
      e.dataTransfer?.setData("text/plain", id);
      el.classList.add("dragging");
    });
    el.addEventListener("dragend", () => {
      this.dragId = null;
      el.classList.remove("dragging");
    });
    el.addEventListener("dragover", (e) => {
      if (this.dragId && this.dragId !== id) e.preventDefault();
    });
    el.addEventListener("drop", (e) => {
      e.preventDefault();
      if (!this.dragId || this.dragId === id) return;
      const ids = this.accounts.map((a) => a.id);
      const from = ids.indexOf(this.dragId);
      const to = ids.indexOf(id);
      if (from >= 0 && to >= 0) this.callbacks.reorder(moved(ids, from, to - from));
    });
  }
}
