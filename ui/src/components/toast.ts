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

export function toast(message: string, kind: "info" | "warn" | "error" = "info", ms = 3500, action?: ToastAction): void {
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
  window.setTimeout(() => item.remove(), ms);
}
