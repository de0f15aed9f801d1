import { beforeEach, describe, expect, it, vi } from "vitest";
import { setLanguage } from "../i18n";
import { account } from "../format.test";
import { AccountList } from "./list";

function setup() {
  const copy = vi.fn();
  const edit = vi.fn();
  const reorder = vi.fn();
  const list = new AccountList({ copy, edit, reorder });
  document.body.replaceChildren(list.root);
  return { list, copy, edit, reorder };
}

const NOW = 1_700_000_020;

describe("account list", () => {
  beforeEach(() => setLanguage("ja"));

  it("shows label, names, grouped code and seconds left", () => {
    const { list } = setup();
    list.setAccounts([account({ label: "B-ID 経理" })], NOW);
    const row = document.querySelector(".row") as HTMLElement;
    expect(row.querySelector(".primary")?.textContent).toBe("B-ID 経理");
    expect(row.querySelector(".secondary")?.textContent).toBe("給与システム · a-sato@example.co.jp");
    expect(row.querySelector(".code")?.textContent).toBe("123 456");
    expect(row.querySelector(".seconds")?.textContent).toBe("20");
    expect((row.querySelector(".next") as HTMLElement).hidden).toBe(true);
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
    expect(document.querySelector(".duplicate")?.textContent).toContain("ラベル");
  });

  it("copies with a click or Enter, but not while an IME is composing", () => {
    const { list, copy } = setup();
    list.setAccounts([account({ id: "1" }), account({ id: "2", label: "two" })], NOW);
    (document.querySelectorAll(".row")[1] as HTMLElement).click();
    expect(copy).toHaveBeenLastCalledWith(expect.objectContaining({ id: "2" }));
    const ul = document.querySelector(".accounts") as HTMLElement;
    ul.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowUp", bubbles: true }));
    ul.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    expect(copy).toHaveBeenLastCalledWith(expect.objectContaining({ id: "1" }));
    copy.mockClear();
    ul.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", isComposing: true, bubbles: true }));
    expect(copy).not.toHaveBeenCalled();
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

  it("the edit button edits instead of copying", () => {
    const { list, copy, edit } = setup();
    list.setAccounts([account()], NOW);
    (document.querySelector(".edit") as HTMLElement).click();
    expect(edit).toHaveBeenCalledTimes(1);
    expect(copy).not.toHaveBeenCalled();
  });
});
