// Export: encrypted formats by default; a plain one only after an explicit confirmation;
// Google Authenticator as QR codes for the phone; and the steps for moving to another PC.
import { api, type Exported } from "../api";
import { h } from "../dom";
import { t } from "../i18n";
import { choices, type Choices } from "./choices";
import { field, openDialog, showError } from "./dialog";

export function openExportDialog(onExported: (message: string) => void): void {
  const d = openDialog(t("transfer.export_title"), "export-dialog");
  // The formats come from the Rust side; the group is filled in when they arrive.
  const formatSlot = h("div", { class: "format-slot" });
  let format: Choices | null = null;
  const chosen = () => format?.value ?? "";
  const pass = h("input", { type: "password", name: "export-password", autocomplete: "new-password" });
  const again = h("input", { type: "password", name: "export-password-again", autocomplete: "new-password" });
  const passFields = h("div", { class: "panel" }, field(t("transfer.password"), pass), field(t("transfer.password_again"), again));
  const confirm = h("input", { type: "checkbox", name: "plaintext-confirm" });
  const plainWarning = h(
    "div",
    { class: "panel", hidden: true },
    h("p", { class: "warning" }, t("transfer.plaintext_warning")),
    h("label", { class: "check" }, confirm, t("transfer.plaintext_confirm")),
  );
  const guide = h("details", { class: "move-guide", open: true }, h("summary", {}, t("transfer.move_title")), h("p", {}, t("transfer.move_steps")));
  d.body.append(h("form", { class: "form", id: "export-form" }, formatSlot, passFields, plainWarning, guide));
  const cancel = h("button", { type: "button" }, t("common.cancel"));
  const submit = h("button", { type: "submit", class: "primary", form: "export-form" }, t("transfer.export_button"));
  d.actions.append(cancel, submit);
  cancel.addEventListener("click", d.close);

  let encrypted = new Map<string, boolean>();
  const update = () => {
    const enc = encrypted.get(chosen()) ?? true;
    const google = chosen() === "google-migration";
    passFields.hidden = !enc;
    plainWarning.hidden = enc || google;
    guide.hidden = chosen() !== "ninsho";
  };
  submit.disabled = true;
  void api.formats().then((formats) => {
    encrypted = new Map(formats.map((f) => [f.id, f.encrypted]));
    // Encrypted formats first: they are the safe default. Formats the organization does
    // not allow stay in the list, greyed, so the user sees why they are missing.
    const sorted = [...formats].sort((a, b) => Number(b.allowed) - Number(a.allowed) || Number(b.encrypted) - Number(a.encrypted));
    const initial = sorted.find((f) => f.id === "ninsho" && f.allowed)?.id ?? sorted.find((f) => f.allowed)?.id ?? "";
    const options = sorted.map((f) => ({
      value: f.id,
      label: f.allowed ? t(`formats.${f.id}`) : t("transfer.not_allowed", { name: t(`formats.${f.id}`) }),
      disabled: !f.allowed,
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
    if (enc && pass.value !== again.value) return showError(d.error, { key: "passphrase_mismatch", params: {} });
    try {
      const done = await api.exportAccounts(chosen(), enc ? pass.value : null, confirm.checked);
      pass.value = "";
      again.value = "";
      if (!done) return;
      if (done.qr_svgs.length) {
        d.close();
        showQrCodes(done);
        return;
      }
      d.close();
      onExported(exportedMessage(done));
    } catch (err) {
      showError(d.error, err);
    }
  });
}

function skippedList(done: Exported): string {
  return t("transfer.skipped", { list: done.skipped.map(([name, why]) => `${name} (${t(`transfer.remarks.${why}`)})`).join(", ") });
}

export function exportedMessage(done: Exported): string {
  const parts = [t("transfer.exported", { n: done.count, file: done.file ?? "" })];
  if (done.skipped.length) parts.push(skippedList(done));
  if (done.note) parts.push(t(`transfer.remarks.${done.note}`));
  return parts.join(" ");
}

function showQrCodes(done: Exported): void {
  const d = openDialog(t("transfer.qr_title"), "qr-dialog");
  let index = 0;
  const img = h("img", { class: "qr big" });
  const step = h("p", { class: "qr-step" });
  const skipped = done.skipped.length
    ? h("p", { class: "warning" }, skippedList(done))
    : null;
  d.body.append(img, step);
  if (skipped) d.body.append(skipped);
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
}
