// Short confirmations in a polite live region, so screen readers hear them too.
import { h } from "../dom";

let region: HTMLElement | null = null;

export function toastRegion(): HTMLElement {
  region = h("div", { class: "toasts", role: "status", "aria-live": "polite" });
  return region;
}

export function toast(message: string, kind: "info" | "warn" | "error" = "info", ms = 3500): void {
  if (!region) return;
  const item = h("div", { class: `toast toast-${kind}` }, message);
  region.appendChild(item);
  window.setTimeout(() => item.remove(), ms);
}
