import { afterEach, describe, expect, it } from "vitest";
import { setLanguage } from "../i18n";
import { shortcutField } from "./shortcut-field";

function key(input: HTMLElement, init: KeyboardEventInit): KeyboardEvent {
  const e = new KeyboardEvent("keydown", { bubbles: true, cancelable: true, ...init });
  input.dispatchEvent(e);
  return e;
}

describe("the shortcut recorder", () => {
  afterEach(() => {
    document.body.replaceChildren();
    setLanguage("en");
  });

  function mounted(initial = "CommandOrControl+Shift+K", platform = "windows") {
    const field = shortcutField(initial, platform);
    document.body.append(field.element);
    field.input.focus();
    return field;
  }

  it("shows the stored shortcut as the OS writes it", () => {
    expect(mounted().input.value).toBe("Ctrl+Shift+K");
    document.body.replaceChildren();
    expect(mounted("CommandOrControl+Shift+K", "macos").input.value).toBe("⇧⌘K");
  });

  it("records a pressed combination, keeps it from the rest of the page, and says so", () => {
    setLanguage("ja");
    const field = mounted();
    let reachedPage = false;
    document.addEventListener("keydown", () => (reachedPage = true), { once: true });
    const e = key(field.input, { key: "j", code: "KeyJ", ctrlKey: true, altKey: true });
    expect(field.value).toBe("CommandOrControl+Alt+J");
    expect(field.input.value).toBe("Ctrl+Alt+J");
    expect([e.defaultPrevented, reachedPage]).toEqual([true, false]);
    expect(field.element.querySelector("[role=status]")?.textContent).toBe("Ctrl+Alt+J を記録しました。［保存］で使えるようになります。");
  });

  it("shows held modifiers while they are down, and the shortcut again when they are let go", () => {
    const field = mounted();
    key(field.input, { key: "Control", code: "ControlLeft", ctrlKey: true });
    expect(field.input.value).toBe("Ctrl+");
    field.input.dispatchEvent(new KeyboardEvent("keyup", { key: "Control" }));
    expect(field.input.value).toBe("Ctrl+Shift+K");
    expect(field.value).toBe("CommandOrControl+Shift+K");
  });

  it("Esc puts back the shortcut from before; a second Esc is the dialog's", () => {
    const field = mounted();
    key(field.input, { key: "F8", code: "F8", altKey: true });
    expect(field.value).toBe("Alt+F8");
    expect(key(field.input, { key: "Escape", code: "Escape" }).defaultPrevented).toBe(true);
    expect([field.value, field.input.value]).toEqual(["CommandOrControl+Shift+K", "Ctrl+Shift+K"]);
    expect(key(field.input, { key: "Escape", code: "Escape" }).defaultPrevented).toBe(false);
  });

  it("never clears it: Backspace or a letter alone asks for a modifier, and Tab leaves", () => {
    const field = mounted();
    key(field.input, { key: "Backspace", code: "Backspace" });
    key(field.input, { key: "k", code: "KeyK" });
    expect(field.value).toBe("CommandOrControl+Shift+K");
    expect(field.element.querySelector("[role=status]")?.textContent).toBe("Press it together with Ctrl, Alt or the Windows key.");
    expect(key(field.input, { key: "Tab", code: "Tab" }).defaultPrevented).toBe(false);
    expect(field.input.readOnly).toBe(true);
  });

  it("ignores keys that belong to the IME", () => {
    const field = mounted();
    key(field.input, { key: "Process", code: "KeyK", ctrlKey: true, isComposing: true });
    expect(field.value).toBe("CommandOrControl+Shift+K");
  });
});
