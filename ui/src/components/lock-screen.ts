// Shown when the vault is not open: the reason as a plain sentence and what to do next
// (enter the passphrase, create a passphrase vault where no keychain exists, or retry).
// When this PC's keyring lost the vault's key, the other ways back follow: the last
// automatic backup, a backup file, or starting again with an import.
import { api, type Status } from "../api";
import { h } from "../dom";
import { t } from "../i18n";
import { errorText } from "../errors";
import { formatTime } from "./backup";
import { field, showError } from "./dialog";

/** What to do once the vault is open: show the list, or start with an import. */
export type Then = "list" | "import";

const KEY_GONE = new Set(["no_key_on_this_pc", "no_way_to_unlock"]);

/** The ways back when the key is gone; the unreadable vault is always kept. */
function recovery(status: Status, onOpen: (then: Then) => void): HTMLElement {
  const error = h("div", { class: "form-error", role: "alert", hidden: true });
  const password = h("input", { type: "password", name: "backup-password", autocomplete: "off" });
  const latest = status.latest_backup;
  const restoreLatest = latest ? h("button", { type: "button", class: "primary", name: "recover-latest" }, t("recover.restore_latest")) : null;
  const choose = h("button", { type: "button", name: "recover-choose" }, t("recover.choose"));
  const fresh = h("button", { type: "button", name: "recover-fresh" }, t("recover.fresh"));
  const restore = async (latest: boolean) => {
    try {
      const s = await api.recoverFromBackup(latest, password.value);
      if (s?.open) onOpen("list");
    } catch (err) {
      showError(error, err);
    }
  };
  restoreLatest?.addEventListener("click", () => void restore(true));
  choose.addEventListener("click", () => void restore(false));
  fresh.addEventListener("click", async () => {
    try {
      if ((await api.recoverFresh()).open) onOpen("import");
    } catch (err) {
      showError(error, err);
    }
  });
  return h(
    "section",
    { class: "form recovery" },
    h("h2", {}, t("recover.title")),
    latest ? h("p", {}, t("recover.latest", { time: formatTime(latest.time), n: latest.accounts })) : null,
    field(t("recover.password"), password),
    error,
    h("div", { class: "row-actions backup-actions" }, restoreLatest, choose, fresh),
    h("p", { class: "hint" }, t("recover.kept")),
  );
}

const NEEDS_PASSPHRASE = new Set(["no_key_on_this_pc", "keyring_unavailable", "wrong_passphrase"]);
const CAN_CREATE = new Set(["keyring_save"]);

export function lockScreen(status: Status, onOpen: (then: Then) => void): HTMLElement {
  const reason = status.error;
  const message = h("p", { class: "lock-message", role: "alert" }, reason ? errorText(reason) : "");
  const error = h("div", { class: "form-error", role: "alert", hidden: true });
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
        if (s.open) onOpen("list");
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
        if (s.open) onOpen("list");
      } catch (err) {
        showError(error, err);
      }
    });
    root.appendChild(form);
    queueMicrotask(() => pass.focus());
  } else if (!(reason && KEY_GONE.has(reason.key))) {
    const retry = h("button", { type: "button", class: "primary" }, t("lock.retry"));
    retry.addEventListener("click", async () => {
      try {
        const s = await api.reopen();
        if (s.open) onOpen("list");
        else if (s.error) message.textContent = errorText(s.error);
      } catch (err) {
        showError(error, err);
      }
    });
    root.appendChild(error);
    root.appendChild(retry);
  }
  if (reason && KEY_GONE.has(reason.key)) root.appendChild(recovery(status, onOpen));
  return root;
}
