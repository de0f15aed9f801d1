// Automatic backups in the window: the banner when one failed, the Settings section that
// turns them on, and the list of recently deleted accounts.
import { api, isUiError, type BackupFileView, type BackupView, type DeletedView, type PreviewView } from "../api";
import { h, setText } from "../dom";
import { language, t } from "../i18n";
import { detailDisclosure } from "../errors";
import { field, openDialog, showError } from "./dialog";
import { toast } from "./toast";

/** A backup's or deletion's time as people read it: "2026/12/01 12:03:04" in Japanese.
 *  Seconds included: two backups a minute apart must not look the same. */
export function formatTime(unixSeconds: number, lang: string = language()): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "medium" }).format(new Date(unixSeconds * 1000));
}

/** What failed and what to do, in one sentence; `null` when nothing failed. */
export function failureSentence(view: BackupView): string | null {
  if (!view.failure) return null;
  const reason = t(`backup.reasons.${view.failure.reason}`, { folder: view.folder ?? "" });
  return t("backup.failed_title", { reason });
}

/** Where backups go, then when the last one was written: one line each. */
export function statusLines(view: BackupView): string[] {
  if (!view.on) return [t("backup.off")];
  const where = t("backup.on", { folder: view.folder ?? "" });
  const last = view.last_success
    ? t("backup.last", { time: formatTime(view.last_success.time), n: view.last_success.accounts })
    : t("backup.none_yet");
  return [where, last];
}

export function renderBackupBanner(view: BackupView, onRetry: () => void): HTMLElement | null {
  if (!view.on && view.required_by) {
    return h("div", { class: "banner banner-warn backup-banner", role: "status" }, h("p", { class: "banner-title" }, t("backup.required")));
  }
  const sentence = failureSentence(view);
  if (!view.on || sentence === null) return null;
  const retry = h("button", { type: "button", class: "banner-action" }, t("backup.retry"));
  retry.addEventListener("click", () => {
    retry.disabled = true;
    onRetry();
  });
  return h(
    "div",
    { class: "banner banner-error backup-banner", role: "alert" },
    h("p", { class: "banner-title" }, sentence),
    h("p", {}, t("backup.retry_note")),
    detailDisclosure(view.failure?.detail ?? null),
    retry,
  );
}

/** Keeps the failure banner in step with `backup-status` events. */
export class BackupIndicator {
  readonly banner = h("div", { class: "banner-slot" });

  update(view: BackupView): void {
    this.banner.replaceChildren(...[renderBackupBanner(view, () => void this.retry())].filter((x) => x !== null));
  }

  async retry(): Promise<void> {
    this.update(await api.backupNow());
  }
}

/** The Settings section: state, then turning on (folder and password), now, off, and
 *  restore when `onRestore` is given. */
export function backupSection(onRestore?: (folder: string) => void): HTMLElement {
  const status = h("div", { class: "hint backup-status", role: "status" });
  const choose = h("button", { type: "button", name: "backup-choose" }, t("backup.choose"));
  const now = h("button", { type: "button", name: "backup-now" }, t("backup.now"));
  const off = h("button", { type: "button", name: "backup-off" }, t("backup.turn_off"));
  const restore = h("button", { type: "button", name: "backup-restore" }, t("restore.open"));
  let folder = "";
  restore.addEventListener("click", () => onRestore?.(folder));
  const error = h("div", { class: "form-error", role: "alert", hidden: true });
  const managedNote = h("p", { class: "hint managed", hidden: true });
  const setup = h("div", { class: "backup-setup", hidden: true });
  const show = (view: BackupView) => {
    status.replaceChildren(...statusLines(view).map((line) => h("p", {}, line)));
    const failure = failureSentence(view);
    error.hidden = failure === null;
    error.textContent = failure ?? "";
    setText(choose, t(view.on ? "backup.change" : "backup.choose"));
    now.hidden = !view.on;
    off.hidden = !view.on || view.required_by !== null;
    managedNote.hidden = view.required_by === null && view.folder_managed_by === null;
    managedNote.textContent = [
      view.required_by ? t("settings.managed", { source: view.required_by }) : "",
      view.folder_managed_by ? t("backup.folder_managed", { source: view.folder_managed_by }) : "",
    ].filter(Boolean).join(" ");
    restore.hidden = !view.on || !onRestore;
    folder = view.folder ?? "";
  };
  const run = async (action: () => Promise<BackupView>) => {
    try {
      show(await action());
    } catch (e) {
      showError(error, e);
    }
  };
  choose.addEventListener("click", async () => {
    let picked: string | null;
    try {
      picked = await api.backupPickFolder();
    } catch (err) {
      showError(error, err);
      return;
    }
    if (picked === null) return;
    const password = h("input", { type: "password", name: "backup-password", autocomplete: "new-password" });
    const again = h("input", { type: "password", name: "backup-password-again", autocomplete: "new-password" });
    const confirm = h("button", { type: "button", class: "primary", name: "backup-turn-on" }, t("backup.turn_on"));
    confirm.addEventListener("click", async () => {
      if (password.value !== again.value) {
        showError(error, { key: "password_mismatch", params: {} });
        return;
      }
      confirm.disabled = true;
      await run(() => api.backupEnable(password.value));
      password.value = again.value = "";
      confirm.disabled = false;
      if (error.hidden) setup.hidden = true;
    });
    setup.replaceChildren(
      h("p", { class: "mono" }, picked),
      field(t("backup.password"), password, t("backup.password_hint")),
      field(t("backup.password_again"), again),
      confirm,
    );
    setup.hidden = false;
    password.focus();
  });
  now.addEventListener("click", async () => {
    now.disabled = true;
    await run(api.backupNow);
    now.disabled = false;
  });
  off.addEventListener("click", () => void run(api.backupDisable));
  void api.backupStatus().then(show);
  return h(
    "fieldset",
    { class: "group backup-group" },
    h("legend", {}, t("backup.section")),
    status,
    managedNote,
    error,
    h("div", { class: "row-actions backup-actions" }, choose, now, off, restore),
    setup,
  );
}

function deletedName(d: DeletedView): string {
  if (d.label) return d.label;
  if (d.issuer && d.account) return `${d.issuer} (${d.account})`;
  return d.issuer || d.account;
}

/** Accounts deleted in the last 30 days, each with Restore; forgetting them asks first. */
export function openDeletedDialog(onRestored: (message: string) => void): void {
  const d = openDialog(t("deleted.title"), "deleted-dialog");
  const list = h("ul", { class: "deleted-list" });
  const empty = h("button", { type: "button", class: "danger", name: "deleted-empty" }, t("deleted.empty"));
  const render = (items: DeletedView[]) => {
    empty.hidden = items.length === 0;
    if (items.length === 0) {
      list.replaceChildren(h("li", { class: "hint" }, t("deleted.none")));
      return;
    }
    list.replaceChildren(
      ...items.map((item) => {
        const restore = h("button", { type: "button", name: "deleted-restore" }, t("deleted.restore"));
        restore.addEventListener("click", async () => {
          try {
            await api.undelete([item.id]);
            onRestored(t("toast.restored", { name: deletedName(item) }));
            render(await api.deletedList());
          } catch (e) {
            showError(d.error, e);
          }
        });
        return h(
          "li",
          {},
          h("span", { class: "name" }, deletedName(item)),
          h("span", { class: "when" }, t("deleted.when", { time: formatTime(item.deleted_at) })),
          restore,
        );
      }),
    );
  };
  // Forgetting cannot be undone: the first click asks, in the dialog itself.
  const warning = h("p", { class: "form-error", role: "alert", hidden: true }, t("deleted.empty_confirm"));
  empty.addEventListener("click", async () => {
    if (warning.hidden) {
      warning.hidden = false;
      empty.name = "deleted-empty-confirm";
      return;
    }
    try {
      await api.emptyDeleted();
      toast(t("deleted.emptied"));
      warning.hidden = true;
      render([]);
    } catch (e) {
      showError(d.error, e);
    }
  });
  const close = h("button", { type: "button" }, t("common.close"));
  close.addEventListener("click", d.close);
  d.body.append(h("p", { class: "hint" }, t("deleted.hint")), list, warning);
  d.actions.append(empty, close);
  void api.deletedList().then(render, (e) => showError(d.error, e));
  close.focus();
}

/**
 * The backups in the folder, newest first: add what is missing (through the import
 * preview) or replace every account with a backup's, after asking. A backup made with an
 * earlier password asks for it.
 */
export function openRestoreDialog(
  folder: string,
  onPreview: (preview: PreviewView) => void,
  onReplaced: (message: string) => void,
): void {
  const d = openDialog(t("restore.title"), "restore-dialog");
  const list = h("ul", { class: "deleted-list restore-list" });
  const passwordArea = h("div", { class: "restore-password" });
  // Backups this vault wrote open with its stored key; others ask for their password here.
  const attempt = async <T>(password: string | null, action: (password: string | null) => Promise<T>, done: (result: T) => void) => {
    try {
      const result = await action(password);
      passwordArea.replaceChildren();
      done(result);
    } catch (e) {
      if (password !== null || !isUiError(e) || e.key !== "backup_needs_password") {
        showError(d.error, e);
        return;
      }
      const input = h("input", { type: "password", name: "restore-password", autocomplete: "off" });
      const open = h("button", { type: "button", class: "primary" }, t("restore.open_with_password"));
      open.addEventListener("click", () => void attempt(input.value, action, done));
      passwordArea.replaceChildren(field(t("restore.password"), input), open);
      input.focus();
    }
  };
  const row = (file: BackupFileView, current: number) => {
    const add = h("button", { type: "button", name: "restore-add" }, t("restore.add"));
    const replace = h("button", { type: "button", class: "danger", name: "restore-replace" }, t("restore.replace"));
    const warning = h("p", { class: "form-error", role: "alert", hidden: true }, t("restore.replace_confirm", { current }));
    add.addEventListener("click", () =>
      void attempt(null, (password) => api.restorePreview(file.path, password), (preview) => {
        d.close();
        onPreview(preview);
      }),
    );
    replace.addEventListener("click", async () => {
      if (warning.hidden) {
        warning.hidden = false;
        replace.name = "restore-replace-confirm";
        return;
      }
      await attempt(null, (password) => api.restoreReplace(file.path, password), (done) => {
        d.close();
        onReplaced(t("restore.replaced", { n: done.accounts, copy: done.copy }));
      });
    });
    const count = file.accounts === null ? t("restore.other_password") : t("restore.accounts", { n: file.accounts });
    return h(
      "li",
      { class: "restore-item" },
      h("span", { class: "name" }, formatTime(file.time)),
      h("span", { class: "when" }, count),
      add,
      replace,
      warning,
    );
  };
  // Backups under an earlier password stay readable by whoever knows it: offered for
  // deletion after a second press, as Replace is.
  const forget = h("button", { type: "button", class: "danger", name: "restore-forget-earlier", hidden: true }, t("restore.forget_earlier"));
  const forgetWarning = h("p", { class: "form-error", role: "alert", hidden: true }, t("restore.forget_confirm"));
  const forgotten = h("p", { class: "hint", role: "status", hidden: true });
  const close = h("button", { type: "button" }, t("common.close"));
  close.addEventListener("click", d.close);
  d.body.append(h("p", { class: "hint" }, t("restore.hint", { folder })), list, passwordArea, forget, forgetWarning, forgotten);
  d.actions.append(close);
  const fill = () =>
    Promise.all([api.backupList(), api.list()]).then(
      ([files, current]) => {
        list.replaceChildren(...(files.length ? files.map((f) => row(f, current.accounts.length)) : [h("li", { class: "hint" }, t("restore.none"))]));
        forget.hidden = !files.some((f) => f.accounts === null);
      },
      (e) => showError(d.error, e),
    );
  forget.addEventListener("click", async () => {
    if (forgetWarning.hidden) {
      forgetWarning.hidden = false;
      forget.name = "restore-forget-earlier-confirm";
      return;
    }
    try {
      const n = await api.backupForgetEarlier();
      forgetWarning.hidden = true;
      forget.name = "restore-forget-earlier";
      forgotten.textContent = t("restore.forgotten", { n });
      forgotten.hidden = false;
      await fill();
    } catch (e) {
      showError(d.error, e);
    }
  });
  void fill();
  close.focus();
}
