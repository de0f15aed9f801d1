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

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  }
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
