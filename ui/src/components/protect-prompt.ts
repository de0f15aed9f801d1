// The one screen that asks for a safety net when there is none: automatic backups into a
// folder, or a vault passphrase (or both). Skippable; the Rust side decides when it is due
// (first start, after the first account, then at most monthly).
import { api } from "../api";
import { h } from "../dom";
import { t } from "../i18n";
import { backupSection } from "./backup";
import { field, openDialog, showError } from "./dialog";
import { toast } from "./toast";

/** `onPassphraseSet` runs once the vault has its passphrase (the lock can then engage). */
export function openProtectPrompt(onPassphraseSet?: () => void): void {
  const d = openDialog(t("protect.title"), "protect-dialog");
  const pass = h("input", { type: "password", name: "protect-passphrase", autocomplete: "new-password" });
  const again = h("input", { type: "password", name: "protect-passphrase-again", autocomplete: "new-password" });
  const setPass = h("button", { type: "button", name: "protect-set-passphrase" }, t("protect.set_passphrase"));
  setPass.addEventListener("click", async () => {
    if (pass.value !== again.value) return showError(d.error, { key: "passphrase_mismatch", params: {} });
    try {
      await api.setPassphrase(pass.value);
      pass.value = again.value = "";
      d.error.hidden = true;
      toast(t("protect.passphrase_set"));
      onPassphraseSet?.();
    } catch (e) {
      showError(d.error, e);
    }
  });
  const later = h("button", { type: "button", class: "primary", name: "protect-done" }, t("protect.done"));
  later.addEventListener("click", d.close);
  d.body.append(
    h("p", {}, t("protect.body")),
    backupSection(),
    h(
      "fieldset",
      { class: "group" },
      h("legend", {}, t("protect.passphrase_section")),
      h("p", { class: "hint" }, t("protect.passphrase_hint")),
      field(t("lock.passphrase"), pass),
      field(t("lock.passphrase_again"), again),
      setPass,
    ),
  );
  d.actions.append(later);
}
