import { describe, expect, it } from "vitest";
import { h, keyboardScrollable, setChildren } from "./dom";

function listOf(...ids: string[]): { ul: HTMLUListElement; items: Map<string, HTMLLIElement> } {
  const items = new Map(ids.map((id) => [id, h("li", { id })]));
  return { ul: h("ul", {}, ...items.values()), items };
}

const ids = (ul: Element) => Array.from(ul.children, (c) => c.id);

describe("setChildren", () => {
  it("leaves in place the children that stay, in order, while others come and go", () => {
    const { ul, items } = listOf("a", "b", "c", "d", "e");
    const fresh = h("li", { id: "x" });
    const moved: string[] = [];
    new MutationObserver((records) => {
      for (const r of records) r.addedNodes.forEach((n) => moved.push((n as Element).id));
    }).observe(ul, { childList: true });
    setChildren(ul, [items.get("b")!, fresh, items.get("d")!]);
    expect(ids(ul)).toEqual(["b", "x", "d"]);
    return Promise.resolve().then(() => expect(moved).toEqual(["x"]));
  });

  it("puts children into any new order and empties the parent", () => {
    const { ul, items } = listOf("a", "b", "c");
    setChildren(ul, [items.get("c")!, items.get("a")!, items.get("b")!]);
    expect(ids(ul)).toEqual(["c", "a", "b"]);
    setChildren(ul, [items.get("b")!, items.get("c")!]);
    expect(ids(ul)).toEqual(["b", "c"]);
    setChildren(ul, []);
    expect(ids(ul)).toEqual([]);
  });

  it("keeps the focus on a row that stays while rows before it are removed", () => {
    const buttons = ["a", "b", "c"].map((id) => h("li", { id }, h("button", { type: "button" })));
    const ul = h("ul", {}, ...buttons);
    document.body.append(ul);
    buttons[2]!.querySelector("button")!.focus();
    setChildren(ul, [buttons[2]!]);
    expect(document.activeElement).toBe(buttons[2]!.querySelector("button"));
    ul.remove();
  });
});

describe("keyboardScrollable", () => {
  const box = (scrollHeight: number, clientHeight: number) => {
    const el = h("div", {});
    Object.defineProperty(el, "scrollHeight", { configurable: true, value: scrollHeight });
    Object.defineProperty(el, "clientHeight", { configurable: true, value: clientHeight });
    return el;
  };

  it("puts an overflowing box in the tab order as a named region, and takes it out again", () => {
    const el = box(900, 400);
    keyboardScrollable(el, "Results");
    expect([el.tabIndex, el.getAttribute("role"), el.getAttribute("aria-label")]).toEqual([0, "region", "Results"]);
    Object.defineProperty(el, "scrollHeight", { configurable: true, value: 300 });
    keyboardScrollable(el, "Results");
    expect([el.hasAttribute("tabindex"), el.hasAttribute("role"), el.hasAttribute("aria-label")]).toEqual([false, false, false]);
  });

  it("leaves a box that fits alone", () => {
    const el = box(400, 400);
    keyboardScrollable(el, "Results");
    expect(el.hasAttribute("tabindex")).toBe(false);
  });
});
