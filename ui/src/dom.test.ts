import { describe, expect, it } from "vitest";
import { h, keyboardScrollable, phraseNodes, phrases, setChildren, setText } from "./dom";

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

/** The pieces as text: "|" for a <wbr>, [brackets] around what stays on one line. */
const marked = (text: string) => phrases(text).map((p) => ("wbr" in p ? "|" : "glued" in p ? `[${p.glued}]` : p.text)).join("");

describe("phrases", () => {
  it("breaks Japanese between phrases, never inside a word ICU does not know", () => {
    expect(marked("インポート…")).toBe("インポート…");
    expect(marked("アカウント名の")).toBe("アカウント名の");
    expect(marked("時刻サーバー")).toBe("時刻サーバー");
    // A long compound still breaks between its words, not wherever the line ends.
    expect(marked("経費精算クラウドサービス")).toBe("経費精算|クラウドサービス");
    expect(marked("ネットワーク時刻でコードを補正する")).toBe("ネットワーク|時刻で|コードを|補正する");
    expect(marked("削除したアカウント…")).toBe("削除した|アカウント…");
    expect(marked("ウィンドウを閉じてもタスクトレイ（メニューバー）で動作を続ける")).toBe("ウィンドウを|閉じても|タスクトレイ|（メニューバー[）で]|動作を|続ける");
    expect(marked("同じサービス名・アカウント名のアカウントが他にもあります。ラベルを付けて区別してください。")).toBe(
      "同じ|サービス名・|アカウント名の|アカウントが|他にもあります。|ラベルを|付けて|区別してください。",
    );
  });

  it("keeps a number with its counter and a word with its particle across the space", () => {
    expect(marked("12 件をインポート")).toBe("1[2 件]を|インポート");
    expect(marked("Ninsho を表示")).toBe("Ninsh[o を]|表示");
    expect(marked("「設定」から")).toBe("「設定[」か]ら");
  });

  it("breaks an address where addresses break, never after its hyphen", () => {
    expect(marked("a-sato@example.co.jp")).toBe("a|[-s]ato|@example|.co|.jp");
  });

  it("puts the same text in the page, with <wbr> and unbreakable spans", () => {
    const label = h("label", {}, "12 件をインポート");
    expect(label.textContent).toBe("12 件をインポート");
    expect(label.querySelectorAll("wbr")).toHaveLength(1);
    expect(label.querySelector(".nobr")?.textContent).toBe("2 件");
    setText(label, "削除したアカウント…");
    expect([label.textContent, label.querySelectorAll("wbr").length]).toEqual(["削除したアカウント…", 1]);
    // One node beside a checkbox: a flex container makes each child an item of its own.
    expect(h("label", {}, h("input", { type: "checkbox" }), "席を離れたら Ninsho をロックする").childNodes).toHaveLength(2);
    // English stays plain text; an option cannot hold a <wbr>.
    expect(h("button", {}, "Import…").childNodes).toHaveLength(1);
    expect(h("option", {}, "削除したアカウント").childNodes).toHaveLength(1);
  });

  it("renders a part of a text broken as the whole is, each address in a token", () => {
    const text = "給与システム · a-sato@example.co.jp";
    const tail = h("span", {}, phraseNodes(text, { from: 23, tokens: true }));
    expect(tail.textContent).toBe(".co.jp");
    expect(tail.querySelector(".token")?.firstChild?.nodeName).toBe("WBR");
    const head = h("span", {}, phraseNodes(text, { to: 23, tokens: true }));
    expect([head.textContent, head.querySelector(".token")?.textContent]).toEqual(["給与システム · a-sato@example", "a-sato@example"]);
    expect(head.querySelector(".token .nobr")?.textContent).toBe("-s");
  });
});
