// The global shortcut's field in Settings: it shows the shortcut as the OS writes it, and
// records a new one when the user presses it. The value kept is Rust's accelerator text.
// Esc puts back the shortcut there was when the field took the focus (a second Esc closes
// the dialog); Tab leaves the field. There is no clearing it: Rust refuses an empty
// shortcut, and the window must always have one way to be called.
import { h } from "../dom";
import { t } from "../i18n";
import { formatAccelerator, pressedShortcut, type Platform } from "../shortcut";

export interface ShortcutField {
  readonly element: HTMLElement;
  readonly input: HTMLInputElement;
  /** The accelerator to store ("CommandOrControl+Shift+K"). */
  readonly value: string;
}

/** Ctrl, Alt and the Windows key, or ⌘ ⌥ ⌃: what a shortcut must hold one of, by platform. */
function modifierNames(platform: Platform): string {
  return t(`settings.shortcut_modifiers_${platform === "macos" ? "macos" : platform === "windows" ? "windows" : "linux"}`);
}

export function shortcutField(initial: string, platform: Platform): ShortcutField {
  let value = initial;
  let atFocus = initial;
  const input = h("input", { type: "text", name: "shortcut", readonly: true, autocomplete: "off", "aria-describedby": "shortcut-hint shortcut-status" });
  const status = h("small", { class: "hint", id: "shortcut-status", role: "status" });
  const show = () => (input.value = formatAccelerator(value, platform));
  show();
  input.addEventListener("focus", () => {
    atFocus = value;
    status.textContent = "";
  });
  input.addEventListener("keydown", (e) => {
    if (e.isComposing || e.keyCode === 229) return;
    const bare = !e.ctrlKey && !e.altKey && !e.metaKey;
    if (e.key === "Tab" && bare) return;
    if (e.key === "Escape" && bare && !e.shiftKey) {
      if (value === atFocus) return;
      value = atFocus;
      show();
      status.textContent = t("settings.shortcut_restored", { keys: input.value });
    } else {
      const pressed = pressedShortcut(e, platform);
      if (pressed.kind === "shortcut") {
        value = pressed.accelerator;
        show();
        status.textContent = t("settings.shortcut_recorded", { keys: input.value });
      } else if (pressed.kind === "modifiers") {
        input.value = pressed.shown;
      } else {
        status.textContent = pressed.kind === "unsupported" ? t("settings.shortcut_unsupported") : t("settings.shortcut_needs_modifier", { modifiers: modifierNames(platform) });
      }
    }
    // The press is the shortcut being recorded: not Ctrl+L's lock, not text size, not
    // the dialog's Esc.
    e.preventDefault();
    e.stopPropagation();
  });
  // Modifiers let go without a key: the field shows the shortcut again.
  input.addEventListener("keyup", show);
  input.addEventListener("blur", show);
  const label = h("label", { for: "shortcut-input" }, t("settings.shortcut"));
  input.id = "shortcut-input";
  const hint = h("small", { class: "hint", id: "shortcut-hint" }, t("settings.shortcut_hint", { modifiers: modifierNames(platform) }));
  return {
    element: h("div", { class: "field" }, label, input, hint, status),
    input,
    get value() {
      return value;
    },
  };
}
