// The screen of a locked Ninsho: nothing of an account, the OS's own check, and the vault
// passphrase that always works.
import { api, type LockView } from "../api";
import { h } from "../dom";
import { t } from "../i18n";
import { field, showError } from "./dialog";

/** Ctrl+L, or ⌘L on a Mac: what the Lock button's hint and Settings name. */
export function lockKeys(platform: string): string {
  return platform === "macos" ? "⌘L" : "Ctrl+L";
}

export function appLockScreen(lock: LockView, onUnlocked: () => void): HTMLElement {
  const error = h("div", { class: "form-error", role: "alert", hidden: true });
  const os = h("button", { type: "button", class: "primary", name: "unlock-os" }, t(`applock.os_${lock.os_check}`));
  os.addEventListener("click", async () => {
    os.disabled = true;
    try {
      await api.unlockWithOs();
      onUnlocked();
    } catch (err) {
      showError(error, err);
    } finally {
      os.disabled = false;
    }
  });
  const pass = h("input", { type: "password", name: "lock-passphrase", autocomplete: "current-password" });
  const submit = h("button", { type: "submit" }, t("applock.unlock"));
  const form = h("form", { class: "form" }, field(t("lock.passphrase"), pass), h("div", { class: "row-actions" }, submit));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    submit.disabled = true;
    try {
      await api.unlockWithPassphrase(pass.value);
      pass.value = "";
      onUnlocked();
    } catch (err) {
      showError(error, err);
      pass.select();
    } finally {
      submit.disabled = false;
    }
  });
  // Locked by the organization's rule on a vault with no passphrase: the OS check is
  // the only way in, and the screen says how to add the other.
  const withPassphrase = lock.passphrase;
  queueMicrotask(() => (withPassphrase ? pass : os).focus());
  return h(
    "main",
    { class: "lock app-lock" },
    h("h1", {}, t("applock.title")),
    h("p", {}, t("applock.body")),
    withPassphrase ? null : h("p", { class: "hint" }, t("applock.required_no_passphrase")),
    error,
    h("div", { class: "row-actions" }, os),
    withPassphrase ? h("h2", {}, t("applock.or_passphrase")) : null,
    withPassphrase ? form : null,
  );
}
