import { describe, expect, it } from "vitest";
import { formatAccelerator, parseAccelerator, pressedShortcut } from "./shortcut";

const press = (code: string, key: string, mods: { ctrl?: boolean; alt?: boolean; shift?: boolean; meta?: boolean } = {}) => ({
  code,
  key,
  ctrlKey: mods.ctrl ?? false,
  altKey: mods.alt ?? false,
  shiftKey: mods.shift ?? false,
  metaKey: mods.meta ?? false,
});

describe("shortcuts as the OS writes them", () => {
  it("Windows and Linux join names with +, a Mac writes symbols in its menus' order", () => {
    expect(formatAccelerator("CommandOrControl+Shift+K", "windows")).toBe("Ctrl+Shift+K");
    expect(formatAccelerator("CommandOrControl+Shift+K", "linux")).toBe("Ctrl+Shift+K");
    expect(formatAccelerator("CommandOrControl+Shift+K", "macos")).toBe("⇧⌘K");
    expect(formatAccelerator("Control+Alt+Shift+Super+F5", "macos")).toBe("⌃⌥⇧⌘F5");
    expect(formatAccelerator("Super+Alt+Space", "windows")).toBe("Alt+Win+Space");
    expect(formatAccelerator("Super+Alt+Space", "linux")).toBe("Alt+Super+Space");
    expect(formatAccelerator("cmdorctrl+shift+ArrowUp", "macos")).toBe("⇧⌘↑");
    expect(formatAccelerator("CommandOrControl+Backspace", "macos")).toBe("⌘⌫");
    expect(formatAccelerator("CommandOrControl+Backspace", "windows")).toBe("Ctrl+Backspace");
  });

  it("read every spelling Rust reads, and show what Rust would refuse as it is", () => {
    expect(formatAccelerator("ctrl+option+KeyJ", "windows")).toBe("Ctrl+Alt+J");
    expect(formatAccelerator("CTRL+Digit7", "windows")).toBe("Ctrl+7");
    expect(formatAccelerator("Ctrl+Num3", "windows")).toBe("Ctrl+Num 3");
    expect(formatAccelerator("Ctrl+ESC", "windows")).toBe("Ctrl+Esc");
    expect(parseAccelerator("Ctrl+K+Shift")).toBeNull();
    expect(parseAccelerator("Hyper+K")).toBeNull();
    expect(parseAccelerator("")).toBeNull();
    expect(formatAccelerator("Ctrl+IntlYen", "windows")).toBe("Ctrl+IntlYen");
  });
});

describe("a key press in the recorder", () => {
  it("becomes the accelerator Rust parses: ⌘ on a Mac and Ctrl elsewhere as CommandOrControl", () => {
    expect(pressedShortcut(press("KeyK", "K", { ctrl: true, shift: true }), "windows")).toEqual({ kind: "shortcut", accelerator: "CommandOrControl+Shift+K" });
    expect(pressedShortcut(press("KeyK", "K", { meta: true, shift: true }), "macos")).toEqual({ kind: "shortcut", accelerator: "CommandOrControl+Shift+K" });
    expect(pressedShortcut(press("KeyK", "k", { ctrl: true, meta: true }), "macos")).toEqual({ kind: "shortcut", accelerator: "CommandOrControl+Control+K" });
    expect(pressedShortcut(press("Digit1", "!", { alt: true, shift: true }), "linux")).toEqual({ kind: "shortcut", accelerator: "Alt+Shift+1" });
    expect(pressedShortcut(press("F5", "F5", { meta: true }), "windows")).toEqual({ kind: "shortcut", accelerator: "Super+F5" });
    expect(pressedShortcut(press("ArrowUp", "ArrowUp", { ctrl: true, alt: true }), "linux")).toEqual({ kind: "shortcut", accelerator: "CommandOrControl+Alt+ArrowUp" });
  });

  it("takes the key by its place, not by what it types (a French or Japanese layout)", () => {
    expect(pressedShortcut(press("KeyQ", "a", { ctrl: true }), "windows")).toEqual({ kind: "shortcut", accelerator: "CommandOrControl+Q" });
    const recorded = pressedShortcut(press("Semicolon", "+", { ctrl: true }), "windows");
    expect(recorded).toEqual({ kind: "shortcut", accelerator: "CommandOrControl+Semicolon" });
    expect(parseAccelerator("CommandOrControl+Semicolon")).not.toBeNull();
  });

  it("shows modifiers held so far, and refuses a key alone or one Rust cannot grab", () => {
    expect(pressedShortcut(press("ShiftLeft", "Shift", { ctrl: true, shift: true }), "windows")).toEqual({ kind: "modifiers", shown: "Ctrl+Shift+" });
    expect(pressedShortcut(press("MetaLeft", "Meta", { meta: true, shift: true }), "macos")).toEqual({ kind: "modifiers", shown: "⇧⌘" });
    expect(pressedShortcut(press("KeyK", "K", { shift: true }), "windows")).toEqual({ kind: "needs_modifier" });
    expect(pressedShortcut(press("Backspace", "Backspace"), "windows")).toEqual({ kind: "needs_modifier" });
    expect(pressedShortcut(press("IntlYen", "¥", { ctrl: true }), "windows")).toEqual({ kind: "unsupported" });
  });

  it("records only what formats back to the same keys", () => {
    for (const [code, key] of [["KeyZ", "z"], ["Digit0", "0"], ["F12", "F12"], ["Space", " "], ["Numpad4", "4"], ["BracketLeft", "["], ["End", "End"]] as const) {
      const pressed = pressedShortcut(press(code, key, { ctrl: true, alt: true }), "windows");
      expect(pressed.kind).toBe("shortcut");
      if (pressed.kind === "shortcut") expect(parseAccelerator(pressed.accelerator)?.code).toBe(code);
    }
  });
});
