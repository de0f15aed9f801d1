// The global shortcut's text: what Rust stores and parses (the `global-hotkey` crate's
// accelerator, "CommandOrControl+Shift+K"), what the user sees ("Ctrl+Shift+K", "⇧⌘K"), and
// what a key press in the recorder becomes.

export type Platform = "windows" | "macos" | "linux" | string;

interface Modifiers {
  /** CommandOrControl: ⌘ on a Mac, Ctrl elsewhere. */
  primary: boolean;
  control: boolean;
  alt: boolean;
  shift: boolean;
  /** The Windows key, Super on Linux, ⌘ on a Mac. */
  meta: boolean;
}

/** The keys Rust accepts (global-hotkey's `parse_key`), by `KeyboardEvent.code`, with the
 *  name a shortcut shows; a Mac shows some as symbols. Letters and digits are added below. */
const KEYS: Record<string, { name: string; mac?: string }> = {
  Backquote: { name: "`" },
  Backslash: { name: "\\" },
  BracketLeft: { name: "[" },
  BracketRight: { name: "]" },
  Comma: { name: "," },
  Equal: { name: "=" },
  Minus: { name: "-" },
  Period: { name: "." },
  Quote: { name: "'" },
  Semicolon: { name: ";" },
  Slash: { name: "/" },
  Space: { name: "Space" },
  Enter: { name: "Enter", mac: "↩" },
  Tab: { name: "Tab", mac: "⇥" },
  Backspace: { name: "Backspace", mac: "⌫" },
  Delete: { name: "Delete", mac: "⌦" },
  Escape: { name: "Esc", mac: "⎋" },
  Insert: { name: "Insert" },
  Home: { name: "Home", mac: "↖" },
  End: { name: "End", mac: "↘" },
  PageUp: { name: "PageUp", mac: "⇞" },
  PageDown: { name: "PageDown", mac: "⇟" },
  ArrowUp: { name: "↑" },
  ArrowDown: { name: "↓" },
  ArrowLeft: { name: "←" },
  ArrowRight: { name: "→" },
  PrintScreen: { name: "PrintScreen" },
  Pause: { name: "Pause" },
  NumpadAdd: { name: "Num +" },
  NumpadSubtract: { name: "Num -" },
  NumpadMultiply: { name: "Num *" },
  NumpadDivide: { name: "Num /" },
  NumpadDecimal: { name: "Num ." },
  NumpadEnter: { name: "Num Enter" },
};
for (let i = 0; i < 26; i++) KEYS[`Key${String.fromCharCode(65 + i)}`] = { name: String.fromCharCode(65 + i) };
for (let i = 0; i <= 9; i++) {
  KEYS[`Digit${i}`] = { name: String(i) };
  KEYS[`Numpad${i}`] = { name: `Num ${i}` };
}
for (let i = 1; i <= 24; i++) KEYS[`F${i}`] = { name: `F${i}` };

/** Other spellings Rust accepts for a key, upper case, by the code they name. */
const ALIASES: Record<string, string> = { ESC: "Escape", UP: "ArrowUp", DOWN: "ArrowDown", LEFT: "ArrowLeft", RIGHT: "ArrowRight", PAUSEBREAK: "Pause", NUMADD: "NumpadAdd", NUMPADPLUS: "NumpadAdd", NUMPLUS: "NumpadAdd", NUMSUBTRACT: "NumpadSubtract", NUMMULTIPLY: "NumpadMultiply", NUMDIVIDE: "NumpadDivide", NUMDECIMAL: "NumpadDecimal", NUMENTER: "NumpadEnter" };
for (const [code, { name }] of Object.entries(KEYS)) {
  if (name.length === 1) ALIASES[name.toUpperCase()] = code;
  const numpad = /^Numpad(\d)$/.exec(code);
  if (numpad) ALIASES[`NUM${numpad[1]}`] = code;
}

function keyCode(token: string): string | null {
  const upper = token.toUpperCase();
  return Object.keys(KEYS).find((code) => code.toUpperCase() === upper) ?? ALIASES[upper] ?? null;
}

/** An accelerator read as Rust reads it: modifiers, then one key last. */
export function parseAccelerator(text: string): { modifiers: Modifiers; code: string } | null {
  const tokens = text.split("+").map((t) => t.trim());
  const modifiers: Modifiers = { primary: false, control: false, alt: false, shift: false, meta: false };
  const last = tokens.pop();
  for (const token of tokens) {
    const upper = token.toUpperCase();
    if (upper === "ALT" || upper === "OPTION") modifiers.alt = true;
    else if (upper === "CONTROL" || upper === "CTRL") modifiers.control = true;
    else if (upper === "COMMAND" || upper === "CMD" || upper === "SUPER") modifiers.meta = true;
    else if (upper === "SHIFT") modifiers.shift = true;
    else if (["COMMANDORCONTROL", "COMMANDORCTRL", "CMDORCTRL", "CMDORCONTROL"].includes(upper)) modifiers.primary = true;
    else return null;
  }
  const code = last ? keyCode(last) : null;
  return code ? { modifiers, code } : null;
}

/**
 * The shortcut as the OS writes it: "Ctrl+Shift+K" on Windows and Linux, "⇧⌘K" on a Mac
 * (its menus' order: ⌃ ⌥ ⇧ ⌘, then the key). A text Rust would refuse is shown as it is.
 */
export function formatAccelerator(text: string, platform: Platform): string {
  const parsed = parseAccelerator(text);
  if (!parsed) return text;
  const { modifiers: m, code } = parsed;
  const key = KEYS[code] ?? { name: code };
  if (platform === "macos") {
    return `${m.control ? "⌃" : ""}${m.alt ? "⌥" : ""}${m.shift ? "⇧" : ""}${m.meta || m.primary ? "⌘" : ""}${key.mac ?? key.name}`;
  }
  const meta = platform === "windows" ? "Win" : "Super";
  return [m.control || m.primary ? "Ctrl" : "", m.alt ? "Alt" : "", m.shift ? "Shift" : "", m.meta ? meta : "", key.name].filter(Boolean).join("+");
}

/** What a key press in the recorder makes of the shortcut. */
export type Pressed =
  | { kind: "shortcut"; accelerator: string }
  /** Only modifiers so far, as the OS writes them ("Ctrl+Shift+"). */
  | { kind: "modifiers"; shown: string }
  /** No Ctrl, Alt, ⌘ or Windows key: typing with it held would set off the shortcut. */
  | { kind: "needs_modifier" }
  | { kind: "unsupported" };

const MODIFIER_KEYS = new Set(["Control", "Shift", "Alt", "Meta", "OS", "AltGraph"]);

/**
 * A key press as an accelerator Rust parses. ⌘ on a Mac and Ctrl elsewhere are stored as
 * CommandOrControl, so the setting means the same on the other system; the key by its place
 * on the keyboard (`code`), as Rust grabs it, not by the character it types.
 */
export function pressedShortcut(e: Pick<KeyboardEvent, "key" | "code" | "ctrlKey" | "altKey" | "shiftKey" | "metaKey">, platform: Platform): Pressed {
  const mac = platform === "macos";
  const tokens = [
    (mac ? e.metaKey : e.ctrlKey) ? "CommandOrControl" : "",
    mac && e.ctrlKey ? "Control" : "",
    e.altKey ? "Alt" : "",
    e.shiftKey ? "Shift" : "",
    !mac && e.metaKey ? "Super" : "",
  ].filter(Boolean);
  if (MODIFIER_KEYS.has(e.key)) {
    const shown = tokens.length ? formatAccelerator(`${tokens.join("+")}+A`, platform).replace(/A$/, "") : "";
    return { kind: "modifiers", shown };
  }
  if (!(e.code in KEYS)) return { kind: "unsupported" };
  if (!e.ctrlKey && !e.altKey && !e.metaKey) return { kind: "needs_modifier" };
  const key = KEYS[e.code]?.name ?? e.code;
  return { kind: "shortcut", accelerator: [...tokens, /^[A-Z0-9]$/.test(key) ? key : e.code].join("+") };
}
