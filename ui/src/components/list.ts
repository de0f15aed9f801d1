// The main list: one row per account with its code, countdown, next code and warnings.
import type { AccountView } from "../api";
import { h } from "../dom";
import { t } from "../i18n";
import {
  filterAccounts,
  groupCode,
  moved,
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

const URGENT_SECONDS = 5;

export class AccountList {
  readonly root: HTMLElement;
  private readonly ul: HTMLUListElement;
  private readonly empty: HTMLElement;
  private accounts: AccountView[] = [];
  private rows: Row[] = [];
  private query = "";
  private selected = 0;
  private dragId: string | null = null;

  constructor(private readonly callbacks: ListCallbacks) {
    this.ul = h("ul", { class: "accounts", role: "listbox", "aria-label": t("app.title"), tabindex: 0 });
    this.empty = h("p", { class: "empty", hidden: true });
    this.root = h("section", { class: "list" }, this.ul, this.empty);
    this.ul.addEventListener("keydown", (e) => this.onKey(e));
  }

  setAccounts(accounts: AccountView[], now: number): void {
    const selectedId = this.rows[this.selected]?.account.id;
    this.accounts = accounts;
    this.render(now);
    const index = this.rows.findIndex((r) => r.account.id === selectedId);
    this.select(index >= 0 ? index : 0, false);
  }

  setQuery(query: string, now: number): void {
    this.query = query;
    this.render(now);
    this.select(0, false);
  }

  tick(now: number): void {
    for (const row of this.rows) row.tick(now);
  }

  focus(): void {
    this.ul.focus();
  }

  /** Copies the selected row's code (Enter in the search box). */
  copySelected(): void {
    const row = this.rows[this.selected];
    if (row) this.callbacks.copy(row.account);
  }

  moveSelection(delta: number): void {
    this.select(this.selected + delta, true);
  }

  private render(now: number): void {
    const visible = filterAccounts(this.accounts, this.query);
    this.rows = visible.map((a) => this.row(a));
    this.ul.replaceChildren(...this.rows.map((r) => r.el));
    this.empty.hidden = visible.length > 0;
    this.empty.textContent = this.accounts.length === 0 ? t("list.empty") : t("list.no_match", { query: this.query });
    this.tick(now);
  }

  private select(index: number, scroll: boolean): void {
    if (this.rows.length === 0) return;
    this.selected = Math.min(this.rows.length - 1, Math.max(0, index));
    this.rows.forEach((r, i) => r.el.setAttribute("aria-selected", String(i === this.selected)));
    const el = this.rows[this.selected]?.el;
    if (el) {
      this.ul.setAttribute("aria-activedescendant", el.id);
      if (scroll) el.scrollIntoView?.({ block: "nearest" });
    }
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
    } else if (e.key === "Enter" && row) {
      this.callbacks.copy(row.account);
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
    const codeButton = h("button", { class: "code", type: "button", title: t("list.copy_hint") });
    const next = h("div", { class: "next", hidden: true });
    const seconds = h("span", { class: "seconds" });
    const countdown = ring();
    const timer = h("div", { class: "timer", role: "timer" }, countdown.root, seconds);
    const names = h(
      "div",
      { class: "names" },
      h("div", { class: "primary" }, a.pinned ? h("span", { class: "pin", title: t("list.pinned") }, "📌") : null, primaryName(a)),
      h("div", { class: "secondary" }, secondaryName(a)),
    );
    const edit = h("button", { class: "edit icon-button", type: "button", "aria-label": `${t("list.edit")}: ${primaryName(a)}`, title: t("list.edit") }, "✎");
    const el = h(
      "li",
      { id: `acct-${a.id}`, class: "row", role: "option", "data-id": a.id, draggable: "true", title: t("list.drag") },
      names,
      h("div", { class: "code-area" }, codeButton, next),
      a.kind === "hotp" ? h("div", { class: "timer hotp" }, t("list.counter_based")) : timer,
      edit,
      a.duplicate ? h("div", { class: "duplicate", role: "note" }, `⚠ ${t("list.duplicate")}`) : null,
    );
    el.addEventListener("click", (e) => {
      if ((e.target as HTMLElement).closest(".edit")) return;
      this.select(this.rows.findIndex((r) => r.account.id === a.id), false);
      this.callbacks.copy(a);
    });
    edit.addEventListener("click", () => this.callbacks.edit(a));
    this.wireDrag(el, a.id);

    let shownCode = "";
    const tick = (now: number) => {
      if (shownCode !== a.code) {
        shownCode = a.code;
        codeButton.textContent = groupCode(a.code);
      }
      if (a.expires_at === null || a.period === null) return;
      const left = secondsLeft(a.expires_at, now);
      const urgent = left <= URGENT_SECONDS;
      seconds.textContent = String(left);
      timer.setAttribute("aria-label", t("list.seconds_left", { s: left }));
      countdown.set(remainingFraction(a.expires_at, a.period, now), urgent);
      const showNext = showsNextCode(a, now);
      next.hidden = !showNext;
      if (showNext && a.next_code) next.textContent = `${t("list.next")} ${groupCode(a.next_code)}`;
      el.classList.toggle("urgent", urgent);
    };
    return { account: a, el, tick };
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
