// Shown when the vault is not open: the reason as a plain sentence and what to do next
// (enter the passphrase, create a passphrase vault where no keychain exists, or retry).
import { api, type Status } from "../api";
import { h } from "../dom";
import { t } from "../i18n";
import { field, showError } from "./dialog";

const NEEDS_PASSPHRASE = new Set(["no_key_on_this_pc", "keyring_unavailable", "wrong_passphrase"]);
const CAN_CREATE = new Set(["keyring_save"]);

export function lockScreen(status: Status, onOpen: () => void): HTMLElement {
  const reason = status.error;
  const message = h("p", { class: "lock-message", role: "alert" }, reason ? t(`errors.${reason.key}`, reason.params) : "");
  const error = h("p", { class: "form-error", role: "alert", hidden: true });
  const root = h("main", { class: "lock" }, h("h1", {}, t("lock.title")), message);

  if (reason && CAN_CREATE.has(reason.key) && !status.vault_exists) {
    const pass = h("input", { type: "password", name: "new-passphrase", autocomplete: "new-password" });
    const again = h("input", { type: "password", name: "new-passphrase-again", autocomplete: "new-password" });
    const form = h(
      "form",
      { class: "form" },
      h("h2", {}, t("lock.create_title")),
      h("p", {}, t("lock.create_body")),
      field(t("lock.passphrase"), pass),
      field(t("lock.passphrase_again"), again),
      error,
      h("button", { type: "submit", class: "primary" }, t("lock.create")),
    );
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      if (pass.value !== again.value) return showError(error, { key: "passphrase_mismatch", params: {} });
      try {
        const s = await api.createWithPassphrase(pass.value);
        if (s.open) onOpen();
      } catch (err) {
        showError(error, err);
      }
    });
    root.appendChild(form);
  } else if (reason && NEEDS_PASSPHRASE.has(reason.key)) {
    const pass = h("input", { type: "password", name: "passphrase", autocomplete: "current-password" });
    const form = h("form", { class: "form" }, field(t("lock.passphrase"), pass), error, h("button", { type: "submit", class: "primary" }, t("lock.unlock")));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      try {
        const s = await api.unlock(pass.value);
        pass.value = "";
        if (s.open) onOpen();
      } catch (err) {
        showError(error, err);
      }
    });
    root.appendChild(form);
    queueMicrotask(() => pass.focus());
  } else {
    const retry = h("button", { type: "button", class: "primary" }, t("lock.retry"));
    retry.addEventListener("click", async () => {
      try {
        const s = await api.reopen();
        if (s.open) onOpen();
        else if (s.error) message.textContent = t(`errors.${s.error.key}`, s.error.params);
      } catch (err) {
        showError(error, err);
      }
    });
    root.appendChild(error);
    root.appendChild(retry);
  }
  return root;
}
