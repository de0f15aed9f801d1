// Preferences: language, theme, clipboard clearing, close-to-tray, global shortcut.
import { api, type AppInfo, type Settings } from "../api";
import { h } from "../dom";
import { t } from "../i18n";
import { field, openDialog, showError } from "./dialog";

export function openSettingsDialog(current: Settings, onSaved: (info: AppInfo) => void): void {
  const d = openDialog(t("settings.title"), "settings-dialog");
  const option = (value: string, label: string, selected: string) => h("option", { value, selected: value === selected }, label);
  const language = h(
    "select",
    { name: "language" },
    option("auto", t("settings.language_auto"), current.language),
    option("ja", "日本語", current.language),
    option("en", "English", current.language),
  );
  const theme = h(
    "select",
    { name: "theme" },
    option("auto", t("settings.theme_auto"), current.theme),
    option("light", t("settings.theme_light"), current.theme),
    option("dark", t("settings.theme_dark"), current.theme),
  );
  const clear = h("input", { type: "number", name: "clipboard", min: 0, max: 3600, value: current.clipboard_clear_seconds });
  const tray = h("input", { type: "checkbox", name: "close_to_tray", checked: current.close_to_tray });
  const shortcut = h("input", { type: "text", name: "shortcut", value: current.shortcut, class: "mono", autocomplete: "off" });
  const form = h(
    "form",
    { class: "form", id: "settings-form" },
    field(t("settings.language"), language),
    field(t("settings.theme"), theme),
    field(t("settings.clipboard_clear"), clear),
    h("label", { class: "check" }, tray, t("settings.close_to_tray")),
    field(t("settings.shortcut"), shortcut, t("settings.shortcut_hint")),
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const next: Settings = {
      language: language.value as Settings["language"],
      theme: theme.value as Settings["theme"],
      clipboard_clear_seconds: Math.max(0, Math.floor(Number(clear.value) || 0)),
      close_to_tray: tray.checked,
      shortcut: shortcut.value.trim(),
    };
    try {
      const info = await api.saveSettings(next);
      d.close();
      onSaved(info);
    } catch (err) {
      showError(d.error, err);
    }
  });
  const cancel = h("button", { type: "button" }, t("common.cancel"));
  cancel.addEventListener("click", d.close);
  d.body.appendChild(form);
  d.actions.append(cancel, h("button", { type: "submit", class: "primary", form: "settings-form" }, t("common.save")));
  language.focus();
}
