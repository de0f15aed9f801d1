// Modal dialogs on the native <dialog> element: focus trapping and Esc come free.
import { h } from "../dom";
import { detailDisclosure, errorDetail, errorText } from "../errors";

export interface DialogParts {
  dialog: HTMLDialogElement;
  body: HTMLElement;
  actions: HTMLElement;
  error: HTMLElement;
  close: () => void;
  /** Asked when Esc would close the dialog: false keeps it open (it asks something first). */
  setCloseGuard: (guard: () => boolean) => void;
}

export function openDialog(title: string, className = ""): DialogParts {
  const error = h("div", { class: "form-error", role: "alert", hidden: true });
  const body = h("div", { class: "dialog-body" });
  const actions = h("div", { class: "dialog-actions" });
  const heading = h("h2", { id: "dialog-title" }, title);
  const dialog = h("dialog", { class: `dialog ${className}`, "aria-labelledby": "dialog-title" }, heading, body, error, actions);
  const close = () => {
    dialog.close();
    dialog.remove();
  };
  let guard: () => boolean = () => true;
  // Esc is taken at the key: Chromium (WebView2) lets a second Esc close a dialog natively
  // whatever the cancel event says, which would skip the guard's question.
  dialog.addEventListener("keydown", (e) => {
    if (e.key !== "Escape" || e.isComposing) return;
    e.preventDefault();
    if (guard()) close();
  });
  dialog.addEventListener("cancel", (e) => {
    e.preventDefault();
    if (guard()) close();
  });
  // However it closed, a closed dialog leaves the page (its "close" listeners still run).
  dialog.addEventListener("close", () => dialog.remove());
  document.body.appendChild(dialog);
  dialog.showModal();
  return { dialog, body, actions, error, close, setCloseGuard: (g) => (guard = g) };
}

/** Shows a command's error (a catalog key) or anything else thrown, in the dialog. */
export function showError(target: HTMLElement, e: unknown): void {
  target.hidden = false;
  target.replaceChildren(h("p", {}, errorText(e)), detailDisclosure(errorDetail(e)) ?? "");
}

export function field(label: string, input: HTMLElement, hint?: string): HTMLElement {
  const id = input.id || `f-${Math.random().toString(36).slice(2)}`;
  input.id = id;
  const hintEl = hint ? h("small", { class: "hint", id: `${id}-hint` }, hint) : null;
  if (hintEl) input.setAttribute("aria-describedby", hintEl.id);
  return h("div", { class: "field" }, h("label", { for: id }, label), input, hintEl);
}
