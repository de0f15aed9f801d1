import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { setLanguage } from "../i18n";
import { account } from "../format.test";
import { AccountList, sharedPeriod } from "./list";

/** jsdom lays nothing out: rows report themselves on screen unless a test says otherwise. */
let offScreen = new Set<string>();
const watchers: FakeObserver[] = [];
class FakeObserver {
  private readonly targets = new Set<Element>();
  constructor(private readonly callback: IntersectionObserverCallback) {
    watchers.push(this);
  }
  observe(target: Element): void {
    this.targets.add(target);
    this.report([target]);
  }
  unobserve(target: Element): void {
    this.targets.delete(target);
  }
  disconnect(): void {
    this.targets.clear();
  }
  report(targets: Iterable<Element> = this.targets): void {
    const entries = [...targets].map((target) => ({ target, isIntersecting: !offScreen.has(target.id) }) as IntersectionObserverEntry);
    this.callback(entries, this as unknown as IntersectionObserver);
  }
}
vi.stubGlobal("IntersectionObserver", FakeObserver);

/** Lists built by a test, disposed after it: a pending search-pause timer must not fire after the run. */
const built: AccountList[] = [];

function setup() {
  const copy = vi.fn();
  const edit = vi.fn();
  const reorder = vi.fn();
  const scan = vi.fn();
  const add = vi.fn();
  const list = new AccountList({ copy, edit, reorder, scan, add });
  built.push(list);
  document.body.replaceChildren(list.countdown, list.root);
  return { list, copy, edit, reorder, scan, add };
}

const NOW = 1_700_000_020;

describe("account list", () => {
  beforeEach(() => {
    setLanguage("ja");
    offScreen = new Set();
    watchers.length = 0;
  });
  afterEach(() => {
    for (const list of built.splice(0)) list.dispose();
  });

  it("shows label, names, grouped code and seconds left", () => {
    const { list } = setup();
    list.setAccounts([account({ label: "B-ID 経理" })], NOW);
    const row = document.querySelector(".row") as HTMLElement;
    expect(row.querySelector(".primary")?.textContent).toBe("B-ID 経理");
    expect(row.querySelector(".secondary")?.textContent).toBe("給与システム · a-sato@example.co.jp");
    expect(row.querySelector(".code .digits")?.textContent).toBe("123 456");
    expect(document.querySelector("#countdown .seconds")?.textContent).toBe("20");
    expect((row.querySelector(".next") as HTMLElement).hidden).toBe(true);
  });

  it("counts down once, under the header, when every code changes on the same beat", () => {
    const { list } = setup();
    list.setAccounts([account({ id: "1" }), account({ id: "2", label: "B" }), account({ id: "3", kind: "hotp", period: null, expires_at: null, next_code: null })], NOW);
    const countdown = document.getElementById("countdown") as HTMLElement;
    expect(countdown.hidden).toBe(false);
    expect(document.querySelectorAll(".row .ring").length).toBe(0);
    expect(document.querySelectorAll(".row.shared-timer").length).toBe(2);
    const codes = [...document.querySelectorAll("button.code")];
    expect(codes.map((c) => c.getAttribute("aria-describedby"))).toEqual(["countdown", "countdown", "left-3"]);
    expect(document.getElementById("left-3")?.textContent).toBe("カウンター方式");
    list.tick(NOW + 16);
    expect(countdown.textContent).toBe("コードの残り 4 秒");
    expect(countdown.classList.contains("urgent")).toBe(true);
    expect((countdown.querySelector(".countdown-bar") as HTMLElement).style.transform).toBe("scaleX(0.133)");
    expect([...document.querySelectorAll(".row.urgent")].map((r) => r.id)).toEqual(["acct-1", "acct-2"]);
  });

  it("gives each time-based row its own ring when the periods differ, and back", () => {
    const { list } = setup();
    list.setAccounts([account({ id: "1" }), account({ id: "2", period: 60 })], NOW);
    const countdown = document.getElementById("countdown") as HTMLElement;
    expect(countdown.hidden).toBe(true);
    expect(document.querySelectorAll(".row .ring").length).toBe(2);
    expect([...document.querySelectorAll("button.code")].map((c) => c.getAttribute("aria-describedby"))).toEqual(["left-1", "left-2"]);
    list.setAccounts([account({ id: "1" })], NOW);
    expect(countdown.hidden).toBe(false);
    expect(document.querySelectorAll(".row .ring").length).toBe(0);
  });

  it("fills a row in before the browser says it is on screen", () => {
    // The list takes the focus at start; a code without a name then was announced empty.
    offScreen = new Set(["acct-1"]);
    const { list } = setup();
    list.setAccounts([account({ id: "1" })], NOW);
    expect(document.querySelector(".code .sr-only")?.textContent).toBe("給与システム: 1 2 3, 4 5 6");
    expect(document.querySelector("#countdown .seconds")?.textContent).toBe("20");
  });

  it("shows the next code and turns urgent in the last seconds", () => {
    const { list } = setup();
    list.setAccounts([account()], NOW);
    list.tick(1_700_000_036);
    const row = document.querySelector(".row") as HTMLElement;
    const next = row.querySelector(".next") as HTMLElement;
    expect(next.hidden).toBe(false);
    expect(next.textContent).toBe("次のコード 654 321");
    expect(row.classList.contains("urgent")).toBe(true);
  });

  it("warns about accounts that cannot be told apart", () => {
    const { list } = setup();
    list.setAccounts([account({ id: "1", duplicate: true }), account({ id: "2", duplicate: true, label: "x" })], NOW);
    expect(document.querySelectorAll(".duplicate").length).toBe(2);
    expect(document.querySelector(".duplicate")?.textContent).toContain("同じ名前のアカウントがあります");
    // Read with the code, after the seconds left, by a screen reader moving from code to code
    // (the warning's sentence, not its button).
    const described = document.querySelector(".row button.code")?.getAttribute("aria-describedby")?.split(" ") ?? [];
    expect(described.map((id) => document.getElementById(id)?.textContent)).toEqual([expect.stringContaining("秒"), "⚠ 同じ名前のアカウントがあります"]);
  });

  it("the duplicate warning's button opens Edit for that account, and copies nothing", () => {
    const { list, copy, edit } = setup();
    list.setAccounts([account({ id: "1", duplicate: true }), account({ id: "2", duplicate: true })], NOW);
    document.querySelectorAll<HTMLButtonElement>(".row .name-it")[1]?.click();
    expect(edit).toHaveBeenCalledWith(expect.objectContaining({ id: "2" }));
    expect(copy).not.toHaveBeenCalled();
  });

  it("copies with a click; arrow keys move the focus from code to code", () => {
    const { list, copy } = setup();
    list.setAccounts([account({ id: "1" }), account({ id: "2", label: "two" })], NOW);
    (document.querySelectorAll(".row")[1] as HTMLElement).click();
    expect(copy).toHaveBeenLastCalledWith(expect.objectContaining({ id: "2" }));
    const codes = [...document.querySelectorAll("button.code")] as HTMLButtonElement[];
    expect(codes.map((c) => c.tabIndex)).toEqual([-1, 0]);
    list.focus();
    expect(document.activeElement).toBe(codes[1]);
    codes[1]?.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowUp", bubbles: true }));
    expect(document.activeElement).toBe(codes[0]);
    expect(codes.map((c) => c.tabIndex)).toEqual([0, -1]);
    codes[0]?.click();
    expect(copy).toHaveBeenLastCalledWith(expect.objectContaining({ id: "1" }));
    copy.mockClear();
    codes[0]?.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", isComposing: true, bubbles: true }));
    expect(document.activeElement).toBe(codes[0]);
  });

  it("names each code digit by digit, with the seconds left as its description", () => {
    const { list } = setup();
    list.setAccounts([account({ label: "B-ID 経理" })], NOW);
    const code = document.querySelector("button.code") as HTMLElement;
    expect(code.querySelector(".digits")?.getAttribute("aria-hidden")).toBe("true");
    expect(code.querySelector(".sr-only")?.textContent).toBe("B-ID 経理: 1 2 3, 4 5 6");
    const described = document.getElementById(code.getAttribute("aria-describedby") ?? "");
    expect(described?.textContent).toBe("コードの残り 20 秒");
  });

  it("reorders with Alt+arrow keys", () => {
    const { list, reorder } = setup();
    list.setAccounts([account({ id: "1" }), account({ id: "2" }), account({ id: "3" })], NOW);
    const ul = document.querySelector(".accounts") as HTMLElement;
    ul.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", altKey: true, bubbles: true }));
    expect(reorder).toHaveBeenCalledWith(["2", "1", "3"]);
  });

  it("filters as the user types and says when nothing matches", () => {
    const { list } = setup();
    list.setAccounts([account({ id: "1", label: "人事" }), account({ id: "2", label: "経理" })], NOW);
    list.setQuery("経理", NOW);
    expect(document.querySelectorAll(".row").length).toBe(1);
    list.setQuery("営業", NOW);
    expect(document.querySelectorAll(".row").length).toBe(0);
    expect(document.querySelector(".empty")?.textContent).toBe("「営業」に一致するアカウントはありません");
  });

  it("offers scanning first and typing the key second while there is no account", () => {
    const { list, scan, add } = setup();
    list.setAccounts([], NOW);
    const welcome = document.querySelector<HTMLElement>(".welcome");
    expect(welcome?.hidden).toBe(false);
    const choices = [...document.querySelectorAll<HTMLButtonElement>(".welcome button")];
    expect(choices.map((b) => b.name)).toEqual(["first-scan", "first-key"]);
    expect(document.querySelector<HTMLElement>(".empty")?.hidden).toBe(true);
    choices[0]?.click();
    expect(scan).toHaveBeenCalledOnce();
    choices[1]?.click();
    expect(add).toHaveBeenCalledOnce();
    list.setAccounts([account()], NOW);
    expect(welcome?.hidden).toBe(true);
  });

  it("the edit button edits instead of copying", () => {
    const { list, copy, edit } = setup();
    list.setAccounts([account()], NOW);
    (document.querySelector(".edit") as HTMLElement).click();
    expect(edit).toHaveBeenCalledTimes(1);
    expect(copy).not.toHaveBeenCalled();
  });
  it("ticks only the rows on screen, and a row scrolled into view catches up at once", () => {
    const { list } = setup();
    // Periods that differ: each row has its own ring.
    list.setAccounts([account({ id: "1" }), account({ id: "2", period: 60 })], NOW);
    const [first, second] = [...document.querySelectorAll(".row")] as HTMLElement[];
    offScreen = new Set(["acct-2"]);
    watchers.forEach((w) => w.report());
    list.tick(NOW + 5);
    expect(first?.querySelector(".seconds")?.textContent).toBe("15");
    expect(second?.querySelector(".seconds")?.textContent).toBe("20");
    offScreen = new Set();
    watchers.forEach((w) => w.report());
    expect(second?.querySelector(".seconds")?.textContent).toBe("15");
  });

  it("keeps its rows across refreshes and searches, rebuilding only a renamed one", () => {
    const { list } = setup();
    list.setAccounts([account({ id: "1", label: "人事" }), account({ id: "2", label: "経理" })], NOW);
    const [first, second] = [...document.querySelectorAll(".row")];
    list.setAccounts([account({ id: "1", label: "人事", code: "111111" }), account({ id: "2", label: "経理 B" })], NOW);
    const after = [...document.querySelectorAll(".row")];
    expect(after[0]).toBe(first);
    expect(after[0]?.querySelector(".code .digits")?.textContent).toBe("111 111");
    expect(after[1]).not.toBe(second);
    list.setQuery("人事", NOW);
    list.setQuery("", NOW);
    expect(document.querySelectorAll(".row")[0]).toBe(first);
  });
  it("keeps the focus on the same account when a refresh moves its row", () => {
    const { list } = setup();
    list.setAccounts([account({ id: "1" }), account({ id: "2", label: "two" })], NOW);
    list.focus();
    expect(document.activeElement?.closest(".row")?.id).toBe("acct-1");
    list.setAccounts([account({ id: "2", label: "two" }), account({ id: "1" })], NOW);
    expect(document.activeElement?.closest(".row")?.id).toBe("acct-1");
  });
  it("with 1,000 accounts puts only the rows near the window in the page, and keys reach the rest", () => {
    const { list } = setup();
    const many = Array.from({ length: 1000 }, (_, i) => account({ id: String(i), label: `ID ${i}` }));
    list.setAccounts(many, NOW);
    const rows = () => [...document.querySelectorAll<HTMLElement>(".row")];
    // jsdom's window is 768 px high and lays nothing out: rows count as 80 px and 8 px apart.
    expect(rows().length).toBeLessThan(40);
    expect(rows()[0]?.getAttribute("aria-setsize")).toBe("1000");
    const ul = document.querySelector(".accounts") as HTMLElement;
    expect(parseInt(ul.style.paddingBottom)).toBeGreaterThan(900 * 88);
    list.focus();
    ul.dispatchEvent(new KeyboardEvent("keydown", { key: "End", bubbles: true }));
    expect(document.activeElement?.closest(".row")?.id).toBe("acct-999");
    expect(document.activeElement?.closest(".row")?.getAttribute("aria-posinset")).toBe("1000");
    expect(rows().length).toBeLessThan(40);
    list.setQuery("ID 998", NOW);
    expect(rows().map((r) => r.id)).toEqual(["acct-998"]);
    expect(ul.style.paddingTop).toBe("0px");
  });
  it("scrolled far from the focused row, hands its tab stop and focus to a row in the page", () => {
    vi.useFakeTimers({ toFake: ["requestAnimationFrame"] });
    try {
      const { list } = setup();
      list.setAccounts(Array.from({ length: 1000 }, (_, i) => account({ id: String(i), label: `ID ${i}` })), NOW);
      list.focus();
      const ul = document.querySelector(".accounts") as HTMLElement;
      ul.getBoundingClientRect = () => ({ top: -44_000 }) as DOMRect;
      window.dispatchEvent(new Event("scroll"));
      vi.runAllTimers();
      const focused = document.activeElement?.closest(".row");
      expect(Number(focused?.getAttribute("aria-posinset"))).toBeGreaterThan(450);
      expect(document.querySelectorAll('button.code[tabindex="0"]').length).toBe(1);
      expect(document.querySelector("#acct-0")).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });
  it("while the user types, lays out only the rows in view; the margin follows when typing pauses", () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const { list } = setup();
      list.setAccounts(
        Array.from({ length: 1000 }, (_, i) => account({ id: String(i), label: `ID ${i}` })),
        NOW,
      );
      const rows = () => document.querySelectorAll(".row").length;
      // 768 px of window at 88 px a row.
      expect(rows()).toBeGreaterThan(20);
      list.setQuery("I", NOW);
      expect(rows()).toBe(9);
      vi.advanceTimersByTime(100);
      list.setQuery("ID", NOW);
      vi.advanceTimersByTime(100);
      expect(rows()).toBe(9);
      vi.advanceTimersByTime(100);
      expect(rows()).toBeGreaterThan(20);
      expect(document.querySelectorAll(".row.selected").length).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });
  it("keeps one selected row and one tab stop through searches", () => {
    const { list } = setup();
    list.setAccounts([account({ id: "1", label: "人事" }), account({ id: "2", label: "経理" }), account({ id: "3", label: "経理 B" })], NOW);
    list.moveSelection(2);
    list.setQuery("経理", NOW);
    list.setQuery("", NOW);
    expect(document.querySelectorAll(".row.selected").length).toBe(1);
    expect(document.querySelectorAll('button.code[tabindex="0"]').length).toBe(1);
  });
});

describe("shared period", () => {
  it("is the period every time-based account has, counters aside", () => {
    expect(sharedPeriod([account(), account({ id: "2" })])).toBe(30);
    expect(sharedPeriod([account(), account({ id: "2", kind: "hotp", period: null, expires_at: null })])).toBe(30);
    expect(sharedPeriod([account(), account({ id: "2", period: 60 })])).toBeNull();
    expect(sharedPeriod([account({ kind: "hotp", period: null, expires_at: null })])).toBeNull();
    expect(sharedPeriod([])).toBeNull();
  });
});
