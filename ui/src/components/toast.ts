// Short confirmations in a polite live region, so screen readers hear them too.
import { h } from "../dom";

let region: HTMLElement | null = null;

export function toastRegion(): HTMLElement {
  region = h("div", { class: "toasts", role: "status", "aria-live": "polite" });
  return region;
}

/** A button in the toast, e.g. "Undo"; the toast goes once it is used. */
export interface ToastAction {
  label: string;
  run: () => void;
}

/** Time to notice a toast before reading it. */
const NOTICE_MS = 1500;
/** Per character: Japanese is read at about 400 to 600 characters a minute, English about
 *  twice as fast; the slower end of each, for a message met in the middle of other work. */
const WIDE_CHAR_MS = 150;
const NARROW_CHAR_MS = 60;
/** No toast goes sooner than this (the old fixed time was 3.5 s), nor stays longer. */
const MIN_MS = 4000;
const MAX_MS = 30_000;
const WIDE = /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/;

/** How long a toast stays: time to notice it, then to read each character of it. */
export function readingTime(message: string): number {
  let ms = NOTICE_MS;
  for (const ch of message) if (!/\s/.test(ch)) ms += WIDE.test(ch) ? WIDE_CHAR_MS : NARROW_CHAR_MS;
  return Math.min(MAX_MS, Math.max(MIN_MS, ms));
}

/**
 * Shows `message` for its reading time, or for `atLeast` ms when that is longer (an undo
 * that stays open). The toast waits while the pointer or the focus is on it.
 */
export function toast(message: string, kind: "info" | "warn" | "error" = "info", atLeast = 0, action?: ToastAction): void {
  if (!region) return;
  const item = h("div", { class: `toast toast-${kind}` }, h("span", {}, message));
  if (action) {
    const button = h("button", { type: "button", class: "toast-action" }, action.label);
    button.addEventListener("click", () => {
      item.remove();
      action.run();
    });
    item.appendChild(button);
  }
  region.appendChild(item);
  const ms = Math.max(atLeast, readingTime(message));
  let timer = window.setTimeout(() => item.remove(), ms);
  const hold = () => window.clearTimeout(timer);
  const release = () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => item.remove(), ms);
  };
  item.addEventListener("pointerenter", hold);
  item.addEventListener("focusin", hold);
  item.addEventListener("pointerleave", release);
  item.addEventListener("focusout", release);
}
