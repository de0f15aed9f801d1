// Editing an account's names, pinning it, deleting it (with a confirmation naming it),
// and revealing its key and QR code behind an explicit click.
import { api, type AccountView } from "../api";
import { h } from "../dom";
import { t } from "../i18n";
import { fullName, primaryName } from "../format";
import { field, openDialog, showError } from "./dialog";
import type { ToastAction } from "./toast";

/** How long a deletion can be undone from its toast. */
export const UNDO_MS = 10_000;

type Changed = (message: string, undo?: ToastAction) => void;

export function openEditDialog(a: AccountView, onChanged: Changed): void {
  const d = openDialog(t("edit.title"), "edit-dialog");
  const issuer = h("input", { type: "text", name: "issuer", value: a.issuer, autocomplete: "off" });
  const account = h("input", { type: "text", name: "account", value: a.account, autocomplete: "off" });
  const label = h("input", { type: "text", name: "label", value: a.label, autocomplete: "off" });
  const pinned = h("input", { type: "checkbox", name: "pinned", checked: a.pinned });
  const revealArea = h("div", { class: "reveal" });
  const reveal = h("button", { type: "button", class: "link-button" }, t("edit.show_key"));
  reveal.addEventListener("click", async () => {
    try {
      const r = await api.reveal(a.id);
      const img = h("img", { class: "qr", alt: t("edit.qr_alt"), src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(r.qr_svg)}` });
      revealArea.replaceChildren(
        h("p", { class: "warning" }, t("edit.show_key_warning")),
        img,
        field(t("edit.key"), h("input", { type: "text", readonly: true, value: r.secret, class: "mono", name: "revealed-key" })),
      );
      reveal.remove();
    } catch (err) {
      showError(d.error, err);
    }
  });
  const del = h("button", { type: "button", class: "danger" }, t("edit.delete"));
  del.addEventListener("click", () => {
    d.close();
    confirmDelete(a, onChanged);
  });

  const form = h(
    "form",
    { class: "form", id: "edit-form" },
    field(t("add.label"), label, t("add.label_hint")),
    field(t("add.issuer"), issuer),
    field(t("add.account"), account),
    h("label", { class: "check" }, pinned, t("edit.pinned")),
    reveal,
    revealArea,
    del,
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      await api.updateAccount({ id: a.id, issuer: issuer.value, account: account.value, label: label.value, pinned: pinned.checked });
      d.close();
      onChanged(t("toast.saved"));
    } catch (err) {
      showError(d.error, err);
    }
  });
  const cancel = h("button", { type: "button" }, t("common.cancel"));
  cancel.addEventListener("click", d.close);
  d.body.appendChild(form);
  d.actions.append(cancel, h("button", { type: "submit", class: "primary", form: "edit-form" }, t("common.save")));
  label.focus();
}

function confirmDelete(a: AccountView, onChanged: Changed): void {
  const d = openDialog(t("delete.title"), "delete-dialog");
  d.body.appendChild(h("p", {}, t("delete.body", { name: fullName(a) })));
  const cancel = h("button", { type: "button" }, t("common.cancel"));
  const confirm = h("button", { type: "button", class: "danger" }, t("delete.confirm"));
  cancel.addEventListener("click", d.close);
  confirm.addEventListener("click", async () => {
    try {
      await api.deleteAccount(a.id);
      d.close();
      onChanged(t("toast.deleted", { name: primaryName(a) }), {
        label: t("toast.undo"),
        run: () =>
          void api.undelete([a.id]).then(
            () => onChanged(t("toast.restored", { name: primaryName(a) })),
            (e: unknown) => showError(d.error, e),
          ),
      });
    } catch (err) {
      showError(d.error, err);
    }
  });
  d.actions.append(cancel, confirm);
  cancel.focus();
}
