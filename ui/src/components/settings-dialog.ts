// Preferences: moving accounts, automatic backups, language, theme, text size, clipboard
// clearing, close-to-tray, global shortcut, the clock, updates.
import { api, type AppInfo, type PolicyProblem, type PreviewView, type Settings } from "../api";
import { h } from "../dom";
import { detailDisclosure } from "../errors";
import { t } from "../i18n";
import { lockKeys } from "./app-lock";
import { backupSection, openDeletedDialog, openRestoreDialog } from "./backup";
import { choices } from "./choices";
import { correctionSentence, offsetSentence, readingsList } from "./clock-banner";
import { openProtectPrompt } from "./protect-prompt";
import { shortcutField } from "./shortcut-field";
import { updateSection, type UpdateIndicator } from "./update";
import { field, openDialog, showError } from "./dialog";

/** The sizes the app offers (src-tauri/src/text_size.rs), in percent. */
export const TEXT_SIZES = [100, 125, 150, 175, 200];

/** The next size up or down from `current` (0: the system's, counted as 100 %). */
export function stepTextSize(current: number, up: boolean): number {
  const now = current === 0 ? 100 : current;
  const index = TEXT_SIZES.indexOf(now);
  const next = TEXT_SIZES[Math.min(TEXT_SIZES.length - 1, Math.max(0, (index < 0 ? 0 : index) + (up ? 1 : -1)))];
  return next ?? 100;
}

const PLATFORM_NAMES: Record<string, string> = { windows: "Windows", macos: "macOS", linux: "Linux" };

/** The version line at the foot of Settings, for support requests. */
export function aboutLine(app: Pick<AppInfo, "version" | "commit" | "platform" | "arch">): string {
  const params = { version: app.version, commit: app.commit, platform: PLATFORM_NAMES[app.platform] ?? app.platform, arch: app.arch };
  return t(app.commit ? "settings.about" : "settings.about_no_commit", params);
}

type ManagedField = keyof AppInfo["managed"];

/**
 * Marks inputs whose setting the organization manages: disabled, and described by a line
 * that says so and where it was set.
 */
export function markManaged(app: Pick<AppInfo, "managed">, inputs: Partial<Record<ManagedField, HTMLInputElement | HTMLTextAreaElement>>): HTMLElement[] {
  const notes: HTMLElement[] = [];
  for (const [name, input] of Object.entries(inputs) as [ManagedField, HTMLInputElement | HTMLTextAreaElement][]) {
    const source = app.managed[name];
    if (source === undefined) continue;
    input.disabled = true;
    const note = h("small", { class: "hint managed", id: `managed-${name}` }, t("settings.managed", { source }));
    input.setAttribute("aria-describedby", [input.getAttribute("aria-describedby"), note.id].filter(Boolean).join(" "));
    input.closest(".field, label.check")?.after(note);
    notes.push(note);
  }
  return notes;
}

/** Without a vault passphrase the lock stays open; this says so and offers to set one. */
function needsPassphrase(closeSettings: () => void, onSet: () => void): HTMLElement {
  const set = h("button", { type: "button", name: "lock-set-passphrase" }, t("protect.set_passphrase"));
  set.addEventListener("click", () => {
    closeSettings();
    openProtectPrompt(onSet);
  });
  return h("div", { class: "lock-passphrase" }, h("p", { class: "hint warning" }, t("settings.lock_needs_passphrase")), set);
}

/** One setting the organization set that was not applied: in words, IT's detail folded. */
export function policyProblem(p: PolicyProblem): HTMLElement {
  const why = t(`policy_problems.${p.reason}`);
  const sentence = p.key ? t("policy_problems.setting", { key: p.key, why }) : t("policy_problems.source", { source: p.source, why });
  return h("li", {}, sentence, detailDisclosure(p.detail));
}

export function openSettingsDialog(
  app: AppInfo,
  updates: UpdateIndicator,
  onSaved: (info: AppInfo) => void,
  onTransfer: (kind: "move" | "import" | "export") => void,
  onRestored: (message: string) => void,
  onRestorePreview: (preview: PreviewView) => void,
): void {
  const current: Settings = app.settings;
  const d = openDialog(t("settings.title"), "settings-dialog");
  const language = choices(
    "language",
    t("settings.language"),
    [
      { value: "auto", label: t("settings.language_auto") },
      // Each language by its own name, in both catalogs.
      { value: "ja", label: t("settings.language_ja") },
      { value: "en", label: t("settings.language_en") },
    ],
    current.language,
  );
  const theme = choices(
    "theme",
    t("settings.theme"),
    [
      { value: "auto", label: t("settings.theme_auto") },
      { value: "light", label: t("settings.theme_light") },
      { value: "dark", label: t("settings.theme_dark") },
    ],
    current.theme,
  );
  const textSize = choices(
    "text_size",
    t("settings.text_size"),
    [{ value: "0", label: t("settings.text_size_auto") }, ...TEXT_SIZES.map((p) => ({ value: String(p), label: `${p} %` }))],
    String(current.text_size),
    { hint: t("settings.text_size_hint") },
  );
  const clear = h("input", { type: "number", name: "clipboard", min: 0, max: 3600, value: current.clipboard_clear_seconds });
  const tray = h("input", { type: "checkbox", name: "close_to_tray", checked: current.close_to_tray });
  const shareHint = h("p", { class: "hint", id: "screen-share-hint" }, t("settings.screen_share_protection_hint"));
  const share = h("input", {
    type: "checkbox",
    name: "screen_share_protection",
    checked: current.screen_share_protection,
    "aria-describedby": "screen-share-hint",
  });
  // The OS holds this setting; the box is usable once it has answered.
  const login = h("input", { type: "checkbox", name: "start_at_login", disabled: true });
  let loginWas = false;
  void api.startAtLogin().then((enabled) => {
    loginWas = enabled;
    login.checked = enabled;
    login.disabled = false;
  });
  const shortcut = shortcutField(current.shortcut, app.platform);
  const correction = h("input", { type: "checkbox", name: "clock_correction", checked: current.clock_correction });
  const servers = h("textarea", { name: "clock_servers", rows: 3, class: "mono", spellcheck: "false" });
  servers.value = current.clock_servers.join("\n");
  const httpsUrl = h("input", { type: "url", name: "clock_https_url", value: current.clock_https_url, class: "mono" });
  const warn = h("input", { type: "number", name: "clock_warn", min: 1, value: current.clock_warn_seconds });
  const error = h("input", { type: "number", name: "clock_error", min: 1, value: current.clock_error_seconds });
  const interval = h("input", { type: "number", name: "clock_interval", min: 1, max: 1440, value: current.clock_check_minutes });
  const lockOn = h("input", { type: "checkbox", name: "lock_enabled", checked: current.lock_enabled });
  const lockMinutes = h("input", { type: "number", name: "lock_minutes", min: 1, max: 1440, value: current.lock_minutes });
  const updateCheck = h("input", { type: "checkbox", name: "update_check", checked: current.update_check });
  const update = updateSection(updates, updateCheck);
  d.dialog.addEventListener("close", update.stop);
  const result = h("div", { class: "hint clock-result", role: "status" });
  const checkNow = h("button", { type: "button", name: "clock-check-now" }, t("settings.clock_check_now"));
  checkNow.addEventListener("click", async () => {
    checkNow.disabled = true;
    result.textContent = t("clock.checking");
    const view = await api.checkClock();
    const sentence = view.offset === null ? t("clock.failed") : t("clock.sentence", { offset: offsetSentence(view.offset), tail: correctionSentence(view) ?? "" });
    result.replaceChildren(h("p", {}, sentence), readingsList(view) ?? "");
    checkNow.disabled = false;
  });
  const moveButton = h("button", { type: "button", name: "move" }, t("move.open"));
  const importButton = h("button", { type: "button", name: "import" }, t("transfer.import"));
  const exportButton = h("button", { type: "button", name: "export" }, t("transfer.export"));
  moveButton.addEventListener("click", () => {
    d.close();
    onTransfer("move");
  });
  importButton.addEventListener("click", () => {
    d.close();
    onTransfer("import");
  });
  exportButton.addEventListener("click", () => {
    d.close();
    onTransfer("export");
  });
  const deletedButton = h("button", { type: "button", name: "deleted" }, t("deleted.open"));
  deletedButton.addEventListener("click", () => {
    d.close();
    openDeletedDialog(onRestored);
  });
  const form = h(
    "form",
    { class: "form", id: "settings-form" },
    // Moving accounts is what staff come here for most, so it comes first, and the guided
    // move before the bare import and export.
    h(
      "fieldset",
      { class: "group" },
      h("legend", {}, t("transfer.section")),
      h("div", { class: "row-actions" }, moveButton),
      h("div", { class: "row-actions" }, importButton, exportButton, deletedButton),
    ),
    backupSection((folder) => {
      d.close();
      openRestoreDialog(folder, onRestorePreview, onRestored);
    }),
    language.element,
    theme.element,
    textSize.element,
    field(t("settings.clipboard_clear"), clear),
    h("label", { class: "check" }, tray, t("settings.close_to_tray")),
    h("label", { class: "check" }, share, t("settings.screen_share_protection")),
    shareHint,
    h("label", { class: "check" }, login, t("settings.start_at_login")),
    shortcut.element,
    h(
      "fieldset",
      { class: "group lock-group" },
      h("legend", {}, t("settings.lock_section")),
      h("label", { class: "check" }, lockOn, t("settings.lock_enabled")),
      field(t("settings.lock_minutes"), lockMinutes),
      h("p", { class: "hint" }, t("settings.lock_hint", { keys: lockKeys(app.platform) })),
      app.lock.passphrase ? null : needsPassphrase(d.close, () => void api.appInfo().then(onSaved)),
      h("p", { class: "hint lock-note" }, t("settings.lock_note")),
    ),
    h(
      "fieldset",
      { class: "group" },
      h("legend", {}, t("settings.clock_section")),
      h("label", { class: "check" }, correction, t("settings.clock_correction")),
      field(t("settings.clock_servers"), servers),
      field(t("settings.clock_https_url"), httpsUrl),
      field(t("settings.clock_warn"), warn),
      field(t("settings.clock_error"), error),
      field(t("settings.clock_interval"), interval),
      h("div", { class: "row-actions" }, checkNow),
      result,
    ),
    update.element,
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const next: Settings = {
      language: language.value as Settings["language"],
      theme: theme.value as Settings["theme"],
      clipboard_clear_seconds: Math.max(0, Math.floor(Number(clear.value) || 0)),
      close_to_tray: tray.checked,
      screen_share_protection: share.checked,
      shortcut: shortcut.value,
      clock_servers: servers.value.split("\n").map((x) => x.trim()).filter(Boolean),
      clock_https_url: httpsUrl.value.trim(),
      clock_warn_seconds: Number(warn.value) || current.clock_warn_seconds,
      clock_error_seconds: Number(error.value) || current.clock_error_seconds,
      clock_check_minutes: Math.max(1, Math.floor(Number(interval.value) || current.clock_check_minutes)),
      clock_correction: correction.checked,
      text_size: Number(textSize.value),
      lock_enabled: lockOn.checked,
      lock_minutes: Math.min(Number(lockMinutes.max), Math.max(1, Math.floor(Number(lockMinutes.value) || current.lock_minutes))),
      update_check: updateCheck.checked,
    };
    try {
      if (!login.disabled && login.checked !== loginWas) loginWas = await api.setStartAtLogin(login.checked);
      const info = await api.saveSettings(next);
      d.close();
      onSaved(info);
    } catch (err) {
      showError(d.error, err);
    }
  });
  const cancel = h("button", { type: "button" }, t("common.cancel"));
  cancel.addEventListener("click", d.close);
  const problems =
    app.policy_problems.length > 0
      ? h("div", { class: "policy-problems", role: "note" }, h("p", {}, t("settings.policy_problems")), h("ul", {}, ...app.policy_problems.map(policyProblem)))
      : null;
  d.body.append(...[form, problems, h("p", { class: "hint about" }, aboutLine(app))].filter((x) => x !== null));
  markManaged(app, {
    clock_servers: servers,
    clock_https_url: httpsUrl,
    clock_correction: correction,
    lock_enabled: lockOn,
    update_check: updateCheck,
  });
  // The organization's maximum caps the field; a shorter time is still the user's choice.
  const max = app.lock.max_minutes;
  if (max !== null && app.managed.lock_minutes !== undefined) {
    lockMinutes.max = String(max);
    const note = h("small", { class: "hint managed", id: "managed-lock_minutes" }, t("settings.lock_max", { n: max, source: app.managed.lock_minutes }));
    lockMinutes.setAttribute("aria-describedby", note.id);
    lockMinutes.closest(".field")?.after(note);
  }
  d.actions.append(cancel, h("button", { type: "submit", class: "primary", form: "settings-form" }, t("common.save")));
  language.focus();
}
