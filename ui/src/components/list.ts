// The main list: one row per account with its code, countdown, next code and warnings.
// Each row's code is a button (its name: the account and the code digit by digit; its
// description: the seconds left, read on focus, never announced as they change). Arrow
// keys move the focus between rows (one tab stop for the whole list).
import type { AccountView } from "../api";
import { h } from "../dom";
import { t } from "../i18n";
import {
  filterAccounts,
  groupCode,
  moved,
  spokenCode,
  primaryName,
  remainingFraction,
  secondaryName,
  secondsLeft,
  showsNextCode,
} from "../format";
import { ring } from "./ring";

export interface ListCallbacks {
  copy: (a: AccountView) => void;
  edit: (a: AccountView) => void;
  reorder: (ids: string[]) => void;
}

interface Row {
  account: AccountView;
  el: HTMLLIElement;
  tick: (now: number) => void;
}

/** What a row shows besides the code: a change in any of these builds the row anew. */
function looks(a: AccountView): string {
  return JSON.stringify([primaryName(a), secondaryName(a), a.pinned, a.duplicate, a.kind]);
}

const URGENT_SECONDS = 5;
/** Rows built before the first frame when many are new (a start with 1,000 accounts): more
 *  than a window shows; the rest are built right after that frame is painted. */
const FIRST_ROWS = 40;

export class AccountList {
  readonly root: HTMLElement;
  private readonly ul: HTMLUListElement;
  private readonly empty: HTMLElement;
  private accounts: AccountView[] = [];
  private rows: Row[] = [];
  /** Built rows by account id, kept across refreshes: a refresh every 30 s (new codes) or a
   *  keystroke in search moves existing rows instead of building hundreds again. */
  private readonly built = new Map<string, { row: Row; looks: string }>();
  /** Rows inside the scrolled area: only they tick. */
  private readonly onScreen = new Set<Element>();
  private readonly watcher: IntersectionObserver;
  private lastNow = 0;
  private rest = 0;
  private query = "";
  private selected = 0;
  private current: Row | null = null;
  private dragId: string | null = null;

  constructor(private readonly callbacks: ListCallbacks) {
    this.ul = h("ul", { class: "accounts", "aria-label": t("list.label") });
    this.empty = h("p", { class: "empty", hidden: true });
    this.root = h("section", { class: "list" }, this.ul, this.empty);
    this.ul.addEventListener("keydown", (e) => this.onKey(e));
    this.watcher = new IntersectionObserver((entries) => this.onScroll(entries), { root: this.root, rootMargin: "100px 0px" });
  }

  setAccounts(accounts: AccountView[], now: number): void {
    const selectedId = this.rows[this.selected]?.account.id;
    // Moving a focused row (a reorder, a refresh) would drop the focus to the page.
    const hadFocus = this.ul.contains(document.activeElement);
    this.accounts = accounts;
    this.render(now);
    const index = this.rows.findIndex((r) => r.account.id === selectedId);
    this.select(index >= 0 ? index : 0, false);
    if (hadFocus && !this.ul.contains(document.activeElement)) this.focus();
  }

  setQuery(query: string, now: number): void {
    this.query = query;
    this.render(now);
    this.select(0, false);
  }

  tick(now: number): void {
    this.lastNow = now;
    for (const row of this.rows) if (this.onScreen.has(row.el)) row.tick(now);
  }

  focus(): void {
    this.codeButton(this.selected)?.focus();
  }

  /** Copies the selected row's code (Enter in the search box). */
  copySelected(): void {
    const row = this.rows[this.selected];
    if (row) this.callbacks.copy(row.account);
  }

  moveSelection(delta: number): void {
    this.select(this.selected + delta, true);
  }

  private render(now: number, everything = false): void {
    window.clearTimeout(this.rest);
    const matching = filterAccounts(this.accounts, this.query);
    const unbuilt = everything ? 0 : matching.filter((a) => !this.built.has(a.id)).length;
    const visible = unbuilt > FIRST_ROWS ? matching.slice(0, FIRST_ROWS) : matching;
    if (visible.length < matching.length) {
      requestAnimationFrame(() => {
        this.rest = window.setTimeout(() => this.render(this.lastNow, true), 0);
      });
    }
    const ids = new Set(this.accounts.map((a) => a.id));
    for (const [id, { row }] of this.built) {
      if (!ids.has(id)) {
        this.watcher.unobserve(row.el);
        this.onScreen.delete(row.el);
        this.built.delete(id);
      }
    }
    this.rows = visible.map((a) => this.rowFor(a));
    const order = this.rows.map((r) => r.el);
    const children = this.ul.children;
    if (order.length !== children.length || order.some((el, i) => children[i] !== el)) this.ul.replaceChildren(...order);
    this.empty.hidden = matching.length > 0;
    this.empty.textContent = this.accounts.length === 0 ? t("list.empty") : t("list.no_match", { query: this.query });
    this.tick(now);
  }

  /** The account's row, reused when only its codes changed. */
  private rowFor(a: AccountView): Row {
    const key = looks(a);
    const known = this.built.get(a.id);
    if (known && known.looks === key) {
      known.row.account = a;
      return known.row;
    }
    if (known) {
      this.watcher.unobserve(known.row.el);
      this.onScreen.delete(known.row.el);
    }
    const row = this.row(a);
    this.built.set(a.id, { row, looks: key });
    this.watcher.observe(row.el);
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
    return this.rows[index]?.el.querySelector<HTMLButtonElement>("button.code") ?? null;
  }

  private select(index: number, scroll: boolean): void {
    if (this.rows.length === 0) return;
    const hadFocus = this.ul.contains(document.activeElement);
    // The row selected before, wherever a refresh or a search put it (or took it out).
    if (this.current) {
      this.current.el.classList.remove("selected");
      this.current.el.querySelector("button.code")?.setAttribute("tabindex", "-1");
    }
    this.selected = Math.min(this.rows.length - 1, Math.max(0, index));
    const row = this.rows[this.selected];
    this.current = row ?? null;
    if (!row) return;
    row.el.classList.add("selected");
    const button = this.codeButton(this.selected);
    button?.setAttribute("tabindex", "0");
    if (hadFocus) button?.focus();
    if (scroll) row.el.scrollIntoView?.({ block: "nearest" });
  }

  private onKey(e: KeyboardEvent): void {
    // Keys pressed while a Japanese IME is composing belong to the IME.
    if (e.isComposing || e.keyCode === 229) return;
    const row = this.rows[this.selected];
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      const delta = e.key === "ArrowDown" ? 1 : -1;
      if (e.altKey && row) {
        this.reorderBy(row.account.id, delta);
      } else {
        this.select(this.selected + delta, true);
      }
      e.preventDefault();
    } else if (e.key === "Home" || e.key === "End") {
      this.select(e.key === "Home" ? 0 : this.rows.length - 1, true);
      e.preventDefault();
    } else if ((e.key === "e" || e.key === "F2") && row) {
      this.callbacks.edit(row.account);
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

  private row(a: AccountView): Row {
    const timerId = `left-${a.id}`;
    // Seen as "355 986"; named "<account>: 3 5 5, 9 8 6", so a screen reader says the
    // account and then each digit rather than "three hundred fifty-five thousand…".
    const digits = h("span", { class: "digits", "aria-hidden": "true" });
    const spoken = h("span", { class: "sr-only" });
    const codeButton = h("button", { class: "code", type: "button", tabindex: -1, title: t("list.copy_hint"), "aria-describedby": timerId }, digits, spoken);
    const next = h("div", { class: "next", hidden: true });
    const seconds = h("span", { class: "seconds" });
    const countdown = ring();
    const timer = h(
      "div",
      { class: "timer", id: timerId },
      countdown.root,
      h("span", { class: "sr-only" }, t("list.seconds_before")),
      seconds,
      h("span", { class: "sr-only" }, t("list.seconds_after")),
    );
    const names = h(
      "div",
      { class: "names" },
      h("div", { class: "primary" }, a.pinned ? h("span", { class: "pin", role: "img", "aria-label": t("list.pinned"), title: t("list.pinned") }, "📌") : null, primaryName(a)),
      h("div", { class: "secondary" }, secondaryName(a)),
    );
    const edit = h("button", { class: "edit icon-button", type: "button", "aria-label": `${t("list.edit")}: ${primaryName(a)}`, title: t("list.edit") }, "✎");
    const el = h(
      "li",
      { id: `acct-${a.id}`, class: "row", "data-id": a.id, draggable: "true", title: t("list.drag") },
      names,
      h("div", { class: "code-area" }, codeButton, next),
      a.kind === "hotp" ? h("div", { class: "timer hotp" }, t("list.counter_based")) : timer,
      edit,
      a.duplicate ? h("div", { class: "duplicate", role: "note" }, `⚠ ${t("list.duplicate")}`) : null,
    );
    el.addEventListener("click", (e) => {
      if ((e.target as HTMLElement).closest(".edit")) return;
      this.select(this.rows.indexOf(row), false);
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
      seconds.textContent = String(left);
      countdown.set(remainingFraction(a.expires_at, a.period, now), urgent);
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
