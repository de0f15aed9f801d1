// A small element builder: enough for this app without a framework.

type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | number | boolean | EventListener | null | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === "function") {
      el.addEventListener(name.replace(/^on/, "").toLowerCase(), value);
    } else if (value === true) {
      el.setAttribute(name, "");
    } else {
      el.setAttribute(name, String(value));
    }
  }
  append(el, ...children);
  return el;
}

/** Elements whose content is text only: a <wbr> in them would be lost or shown. */
const TEXT_ONLY = new Set(["OPTION", "TEXTAREA", "TITLE", "STYLE", "SCRIPT"]);

export function append(parent: Node, ...children: Child[]): void {
  const phrased = !TEXT_ONLY.has(parent.nodeName);
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (typeof child !== "string") parent.appendChild(child);
    else if (phrased && JAPANESE.test(child)) parent.appendChild(phrasedText(child));
    else parent.appendChild(document.createTextNode(child));
  }
}

/**
 * A Japanese string broken between phrases, as one node: in a flex container (a checkbox's
 * label) each element of it would otherwise be an item of its own, laid out side by side.
 */
function phrasedText(text: string): Node {
  const nodes = phraseNodes(text);
  if (nodes.childNodes.length === 1 && nodes.firstChild) return nodes.firstChild;
  const span = document.createElement("span");
  span.appendChild(nodes);
  return span;
}

/** Replaces an element's text, broken between phrases as `h()` breaks it. */
export function setText(el: Element, text: string): void {
  el.replaceChildren();
  append(el, text);
}

const SVG = "http://www.w3.org/2000/svg";

export function svg(tag: string, attrs: Record<string, string | number>, ...children: SVGElement[]): SVGElement {
  const el = document.createElementNS(SVG, tag) as SVGElement;
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  for (const child of children) el.appendChild(child);
  return el;
}

/**
 * Makes `parent`'s children exactly `order`, moving as few nodes as it can: children that
 * stay, in the same order, are left where they are: a node taken out and put back is styled
 * and laid out anew, and loses the focus.
 */
export function setChildren(parent: Element, order: readonly Element[]): void {
  const wanted = new Set<Node>(order);
  for (const child of Array.from(parent.children)) if (!wanted.has(child)) child.remove();
  let cursor = parent.firstElementChild;
  for (const el of order) {
    if (el === cursor) cursor = cursor.nextElementSibling;
    else parent.insertBefore(el, cursor);
  }
}

/**
 * A box that scrolls can be scrolled from the keyboard only when it can take the focus:
 * while its content overflows it is a named region in the tab order (arrow keys scroll it).
 */
export function keyboardScrollable(box: HTMLElement, name: string): void {
  if (box.scrollHeight > box.clientHeight) {
    box.tabIndex = 0;
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", name);
  } else {
    box.removeAttribute("tabindex");
    box.removeAttribute("role");
    box.removeAttribute("aria-label");
  }
}

/**
 * Japanese breaks between phrases (docs/typesetting.md): in a button or a short label a word
 * cut in two ("インポ|ート…") reads as two words. The engine's segmenter (ICU's dictionary)
 * finds the words, and a phrase keeps together what Japanese typesetting keeps together.
 * Where CSS has `word-break: auto-phrase` (Chromium: WebView2) the engine finds the phrases
 * itself and adds no <wbr>; the glue (below) is still needed there.
 */
// Intl.Segmenter is in ES2022's lib, newer than the ES2021 this bundle targets (Safari 14).
const Segmenter = (Intl as unknown as { Segmenter?: new (locale: string, options: { granularity: "word" }) => { segment(text: string): Iterable<{ index: number }> } }).Segmenter;
const segmenter = Segmenter ? new Segmenter("ja", { granularity: "word" }) : null;
const autoPhrase = typeof CSS !== "undefined" && typeof CSS.supports === "function" && CSS.supports("word-break", "auto-phrase");
// Short labels break only at <wbr> (`word-break: keep-all` in the styles) where there are any.
if (segmenter && !autoPhrase) document.documentElement.dataset.phrases = "wbr";

const JAPANESE = /[\u3041-\u30ff\u3400-\u9fff\uf900-\ufaff]/;
const HIRAGANA = /[\u3041-\u3096]/;
const KANJI = /[\u3005\u3400-\u9fff\uf900-\ufaff]/;
const KATAKANA = /[\u30a1-\u30fa]/;
/** Kanji, katakana and Latin letters and digits: what a compound word is made of. */
const CONTENT = /[A-Za-z0-9\u30a1-\u30fa\u30fc\u3005\u3400-\u9fff\uf900-\ufaff]/;
/** What may not start a line (kinsoku): small kana, ー, closing punctuation. */
const NO_START = /[ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰ-ㇿー々ゝゞヽヾ、。，．：；！？）」』】〕〉》…‥・),\]!?]/;
const OPENING = /[（「『【〔〈《([]/;
const CLOSING_BRACKET = /[）」』】〕〉》]/;
const SENTENCE_END = /[、。，．！？!?]/;
const WORD = /[A-Za-z0-9\u3041-\u30ff\u3400-\u9fff\uf900-\ufaff]/;
/** A Latin word, address or path: kept whole but for where an address may break. */
const LATIN = /[A-Za-z0-9@._\-/:+#%&=~'’]/;
const DIGIT = /[0-9]/;
const SPACE = /\s/;

/** A phrase-broken text: text, a break opportunity, or text kept on one line. */
export type Piece = { text: string } | { wbr: true } | { glued: string };

/** Whether a line may start at `i` in Japanese typesetting (given a word starts there). */
function mayStartLine(text: string, i: number): boolean {
  const ch = text.charAt(i);
  let q = i - 1;
  while (q >= 0 && SPACE.test(text.charAt(q))) q--;
  const spaced = q < i - 1;
  const before = q >= 0 ? text.charAt(q) : "";
  if (!before || SPACE.test(ch) || NO_START.test(ch) || OPENING.test(before)) return false;
  // A particle or an ending stays with its word, a number with its counter.
  if (HIRAGANA.test(ch) && (WORD.test(before) || CLOSING_BRACKET.test(before)) && !SENTENCE_END.test(before)) return false;
  if (spaced) return !(DIGIT.test(before) && JAPANESE.test(ch));
  if (LATIN.test(before) && LATIN.test(ch)) return false;
  // A compound stays whole ("アカウント名", "時刻サーバー"), and ICU cuts loanwords it does not
  // know ("イン|ポート"): a phrase starts after its particles and endings. A long compound
  // may break where kanji meet katakana ("経費精算|クラウドサービス", "ネットワーク|時刻"),
  // or it would break wherever the line ends.
  if (!(CONTENT.test(before) && CONTENT.test(ch))) return true;
  const scripts = (KANJI.test(before) && KATAKANA.test(ch)) || (KATAKANA.test(before) && KANJI.test(ch));
  return scripts && compoundLength(text, i) >= LONG_COMPOUND;
}

/** A compound this long (in characters) may break between its kanji and its katakana. */
const LONG_COMPOUND = 7;

function compoundLength(text: string, i: number): number {
  let from = i;
  let to = i;
  while (from > 0 && CONTENT.test(text.charAt(from - 1))) from--;
  while (to < text.length && CONTENT.test(text.charAt(to))) to++;
  return to - from;
}

/** Inside a Latin word a line may start before . @ / _ - or after : or /, as an address does. */
function latinBreak(text: string, i: number): boolean {
  const ch = text.charAt(i);
  const before = text.charAt(i - 1);
  return LATIN.test(before) && LATIN.test(ch) && (/[.@/_-]/.test(ch) || /[:/]/.test(before));
}

/**
 * `text` as pieces for the page: a <wbr> where a phrase ends, and glued (kept on one line)
 * the few characters around each break the engine would make there but typesetting forbids:
 * a space between a number and its counter or a word and its particle, a particle after a
 * closing bracket, and the end of a line after an address's hyphen ("a-|sato"). The pieces'
 * text is `text` unchanged: copying, searching and screen readers meet the same words.
 */
export function phrases(text: string): Piece[] {
  const wbr = new Set<number>();
  if (segmenter && !autoPhrase) {
    for (const { index } of segmenter.segment(text)) {
      if (index > 0 && !SPACE.test(text.charAt(index - 1)) && mayStartLine(text, index)) wbr.add(index);
    }
  }
  const glue: [number, number][] = [];
  for (let i = 1; i < text.length; i++) {
    const ch = text.charAt(i);
    const before = text.charAt(i - 1);
    if (latinBreak(text, i)) wbr.add(i);
    let range: [number, number] | null = null;
    if (i >= 2 && SPACE.test(before) && !SPACE.test(ch) && !SPACE.test(text.charAt(i - 2))) {
      if ((JAPANESE.test(ch) || JAPANESE.test(text.charAt(i - 2))) && !mayStartLine(text, i)) range = [i - 2, i + 1];
    } else if (CLOSING_BRACKET.test(before) && HIRAGANA.test(ch)) {
      range = [i - 1, i + 1];
    } else if (before === "-" && LATIN.test(ch) && LATIN.test(text.charAt(i - 2))) {
      range = [i - 1, i + 1];
    }
    if (!range) continue;
    const last = glue[glue.length - 1];
    if (last && range[0] <= last[1]) last[1] = range[1];
    else glue.push(range);
  }
  const pieces: Piece[] = [];
  let at = 0;
  const upTo = (end: number) => {
    for (const point of [...wbr].filter((w) => w > at && w <= end).sort((a, b) => a - b)) {
      if (point > at) pieces.push({ text: text.slice(at, point) });
      pieces.push({ wbr: true });
      at = point;
    }
    if (end > at) pieces.push({ text: text.slice(at, end) });
    at = end;
  };
  for (const [from, to] of glue) {
    upTo(from);
    pieces.push({ glued: text.slice(from, to) });
    if (wbr.has(to)) pieces.push({ wbr: true });
    at = to;
  }
  upTo(text.length);
  return pieces;
}

/** A Latin word that breaks like an address ("a-sato@example.co.jp"), as [from, to) runs. */
function addresses(text: string): [number, number][] {
  return [...text.matchAll(/[A-Za-z0-9@._\-/:+#%&=~'’]+/g)]
    .filter((m) => m[0].length > 1 && /[A-Za-z0-9][.@/_-]/.test(m[0]))
    .map((m) => [m.index, m.index + m[0].length]);
}

/**
 * `phrases(text)` as nodes: text, <wbr> and `<span class="nobr">`; only the part from `from`
 * to `to` (UTF-16 indexes), for a text shown in two parts broken as the whole is. With
 * `tokens`, each address is a `<span class="token">`, which the styles can keep off a line
 * it does not fit the rest of (a line ending "a-" before "sato@…").
 */
export function phraseNodes(text: string, { from = 0, to = text.length, tokens = false } = {}): DocumentFragment {
  const fragment = document.createDocumentFragment();
  const runs = tokens ? addresses(text) : [];
  const boxes = new Map<[number, number], HTMLElement>();
  /** Where the character at `position` goes: its address's token, else the fragment. */
  const parentAt = (position: number): Node => {
    const run = runs.find(([a, b]) => position >= a && position < b);
    if (!run) return fragment;
    let box = boxes.get(run);
    if (!box) {
      box = h("span", { class: "token" });
      boxes.set(run, box);
      fragment.appendChild(box);
    }
    return box;
  };
  const edges = runs.flat();
  let at = 0;
  for (const piece of phrases(text)) {
    if ("wbr" in piece) {
      // Inside the token only when the characters on both sides are.
      if (at >= from && at < to) parentAt(at - 1).appendChild(document.createElement("wbr"));
      continue;
    }
    const start = Math.max(at, from);
    at += "glued" in piece ? piece.glued.length : piece.text.length;
    const end = Math.min(at, to);
    // A piece is cut where an address starts or ends: each part has one parent.
    const cuts = [start, ...edges.filter((c) => c > start && c < end), end];
    for (let i = 0; i + 1 < cuts.length; i++) {
      const a = cuts[i] ?? 0;
      const b = cuts[i + 1] ?? 0;
      if (b <= a) continue;
      const part = document.createTextNode(text.slice(a, b));
      parentAt(a).appendChild("glued" in piece ? h("span", { class: "nobr" }, part) : part);
    }
  }
  return fragment;
}
