// Modal dialogs on the native <dialog> element: focus trapping and Esc come free.
import { h } from "../dom";
import { errorText } from "../errors";

export interface DialogParts {
  dialog: HTMLDialogElement;
  body: HTMLElement;
  actions: HTMLElement;
  error: HTMLElement;
  close: () => void;
}

export function openDialog(title: string, className = ""): DialogParts {
  const error = h("p", { class: "form-error", role: "alert", hidden: true });
  const body = h("div", { class: "dialog-body" });
  const actions = h("div", { class: "dialog-actions" });
  const heading = h("h2", { id: "dialog-title" }, title);
  const dialog = h("dialog", { class: `dialog ${className}`, "aria-labelledby": "dialog-title" }, heading, body, error, actions);
  const close = () => {
    dialog.close();
    dialog.remove();
  };
  dialog.addEventListener("cancel", (e) => {
    e.preventDefault();
    close();
  });
  document.body.appendChild(dialog);
  dialog.showModal();
  return { dialog, body, actions, error, close };
}

/** Shows a command's error (a catalog key) or anything else thrown, in the dialog. */
export function showError(target: HTMLElement, e: unknown): void {
  target.hidden = false;
  target.textContent = errorText(e);
}

export function field(label: string, input: HTMLElement, hint?: string): HTMLElement {
  const id = input.id || `f-${Math.random().toString(36).slice(2)}`;
  input.id = id;
  const hintEl = hint ? h("small", { class: "hint", id: `${id}-hint` }, hint) : null;
  if (hintEl) input.setAttribute("aria-describedby", hintEl.id);
  return h("div", { class: "field" }, h("label", { for: id }, label), input, hintEl);
}
