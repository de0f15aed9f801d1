import { describe, expect, it } from "vitest";
import { h, setChildren } from "./dom";

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
