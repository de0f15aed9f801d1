// Export: the formats grouped by where the accounts go, encrypted ones first in each group;
// a plain one only after an explicit confirmation; Google Authenticator as QR codes.
import { api, type Exported, type FormatView } from "../api";
import { h, keyboardScrollable, setText } from "../dom";
import { t } from "../i18n";
import { choices, type Choices } from "./choices";
import { field, openDialog, showError } from "./dialog";

/** Where a format's accounts go: the export dialog's groups, in this order. */
const GROUP_OF: Record<string, "ninsho" | "extension" | "other"> = {
  ninsho: "ninsho",
  "authenticator-encrypted": "extension",
  "authenticator-json": "extension",
  "authenticator-txt": "extension",
};
const GROUPS = ["ninsho", "extension", "other"] as const;

const groupOf = (id: string) => GROUP_OF[id] ?? "other";

/** The formats as the dialog lists them: by destination, encrypted first within each, and
 *  otherwise in the Rust side's order. */
export function formatOrder(formats: readonly FormatView[]): FormatView[] {
  return formats
    .map((f, i) => ({ f, i }))
    .sort((a, b) => GROUPS.indexOf(groupOf(a.f.id)) - GROUPS.indexOf(groupOf(b.f.id)) || Number(b.f.encrypted) - Number(a.f.encrypted) || a.i - b.i)
    .map(({ f }) => f);
}

/** A file's password is named by where it will be typed in again. */
export function filePasswordLabel(format: string): string {
  if (format === "authenticator-encrypted") return t("transfer.password_extension");
  if (format === "aegis-encrypted") return t("transfer.password_aegis");
  if (format === "2fas") return t("transfer.password_2fas");
  if (format === "ente-encrypted") return t("transfer.password_ente");
  return t("transfer.password");
}

export interface PasswordFields {
  element: HTMLElement;
  /** The password, or null when the two entries differ. */
  password(): string | null;
  setFormat(format: string): void;
  clear(): void;
}

/** The new file password, typed twice, under the name of what it is for. */
export function passwordFields(format: string): PasswordFields {
  const pass = h("input", { type: "password", name: "export-password", autocomplete: "new-password" });
  const again = h("input", { type: "password", name: "export-password-again", autocomplete: "new-password" });
  const first = field(filePasswordLabel(format), pass, t("transfer.password_hint"));
  const element = h("div", { class: "panel" }, first, field(t("transfer.password_again"), again));
  const label = first.querySelector("label") as HTMLLabelElement;
  return {
    element,
    password: () => (pass.value === again.value ? pass.value : null),
    setFormat: (f) => setText(label, filePasswordLabel(f)),
    clear: () => {
      pass.value = "";
      again.value = "";
    },
  };
}

export const mismatchError = { key: "password_mismatch", params: {} };

export function openExportDialog(onExported: (message: string) => void): void {
  const d = openDialog(t("transfer.export_title"), "export-dialog");
  // The formats come from the Rust side; the group is filled in when they arrive.
  const formatSlot = h("div", { class: "format-slot" });
  let format: Choices | null = null;
  const chosen = () => format?.value ?? "";
  const passFields = passwordFields("ninsho");
  const confirm = h("input", { type: "checkbox", name: "plaintext-confirm" });
  const plainWarning = h(
    "div",
    { class: "panel", hidden: true },
    h("p", { class: "warning" }, t("transfer.plaintext_warning")),
    h("label", { class: "check" }, confirm, t("transfer.plaintext_confirm")),
  );
  d.body.append(h("form", { class: "form", id: "export-form" }, formatSlot, passFields.element, plainWarning));
  const cancel = h("button", { type: "button" }, t("common.cancel"));
  const submit = h("button", { type: "submit", class: "primary", form: "export-form" }, t("transfer.export_button"));
  d.actions.append(cancel, submit);
  cancel.addEventListener("click", d.close);

  let encrypted = new Map<string, boolean>();
  const update = () => {
    const enc = encrypted.get(chosen()) ?? true;
    passFields.element.hidden = !enc;
    passFields.setFormat(chosen());
    plainWarning.hidden = enc || chosen() === "google-migration";
  };
  submit.disabled = true;
  void api.formats().then((formats) => {
    encrypted = new Map(formats.map((f) => [f.id, f.encrypted]));
    // Formats the organization does not allow stay in the list, greyed, so the user sees
    // why they are missing.
    const sorted = formatOrder(formats);
    const initial = sorted.find((f) => f.id === "ninsho" && f.allowed)?.id ?? sorted.find((f) => f.allowed)?.id ?? "";
    const options = sorted.map((f) => ({
      value: f.id,
      label: f.allowed ? t(`formats.${f.id}`) : t("transfer.not_allowed", { name: t(`formats.${f.id}`) }),
      disabled: !f.allowed,
      group: t(`transfer.format_groups.${groupOf(f.id)}`),
    }));
    const group = choices("format", t("transfer.format"), options, initial, { layout: "column" });
    group.onChange(update);
    formatSlot.replaceChildren(group.element);
    format = group;
    submit.disabled = chosen() === "";
    update();
    group.focus();
  });

  d.dialog.querySelector("form")?.addEventListener("submit", async (e) => {
    e.preventDefault();
    const enc = encrypted.get(chosen()) ?? true;
    const password = enc ? passFields.password() : null;
    if (enc && password === null) return showError(d.error, mismatchError);
    try {
      const done = await api.exportAccounts(chosen(), password, confirm.checked);
      passFields.clear();
      if (!done) return;
      d.close();
      if (done.qr_svgs.length) showQrCodes(done);
      else onExported(exportedMessage(done));
    } catch (err) {
      showError(d.error, err);
    }
  });
}

function skippedList(done: Exported): string {
  const items = done.skipped.map(([name, why]) => t("transfer.skipped_item", { name, why: t(`transfer.remarks.${why}`) }));
  return t("transfer.skipped", { list: items.join(t("transfer.skipped_joiner")) });
}

/** What the export did, in sentences joined as the language joins them (no space in Japanese). */
export function exportedMessage(done: Exported): string {
  const parts = [t("transfer.exported", { n: done.count, file: done.file ?? "" })];
  if (done.skipped.length) parts.push(skippedList(done));
  if (done.note) parts.push(t(`transfer.remarks.${done.note}`));
  return parts.reduce((first, second) => t("common.two_sentences", { first, second }));
}

/** The Google Authenticator export's QR codes, one at a time; `guide` is what to do on the
 *  phone, beside them. */
export function showQrCodes(done: Exported, guide?: HTMLElement): void {
  const d = openDialog(t("transfer.qr_title"), "qr-dialog");
  let index = 0;
  const img = h("img", { class: "qr big" });
  const step = h("p", { class: "qr-step" });
  d.body.append(img, step);
  if (done.skipped.length) d.body.append(h("p", { class: "warning" }, skippedList(done)));
  if (done.note) d.body.append(h("p", { class: "warning" }, t(`transfer.remarks.${done.note}`)));
  if (guide) d.body.append(guide);
  const next = h("button", { type: "button", class: "primary" }, t("transfer.qr_next"));
  const close = h("button", { type: "button" }, t("common.close"));
  const show = () => {
    img.setAttribute("src", `data:image/svg+xml;charset=utf-8,${encodeURIComponent(done.qr_svgs[index] ?? "")}`);
    img.setAttribute("alt", t("transfer.qr_step", { i: index + 1, n: done.qr_svgs.length }));
    step.textContent = t("transfer.qr_step", { i: index + 1, n: done.qr_svgs.length });
    next.hidden = index + 1 >= done.qr_svgs.length;
  };
  next.addEventListener("click", () => {
    index += 1;
    show();
  });
  close.addEventListener("click", d.close);
  d.actions.append(close, next);
  show();
  // With the phone's steps the body may outgrow the window, and nothing in it takes the
  // focus that would let the keyboard scroll it.
  keyboardScrollable(d.body, t("transfer.qr_title"));
}
