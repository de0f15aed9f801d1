// A few options as radio buttons instead of a <select>. The page draws them, so they grow
// with the text size: a select's list is drawn by the OS at the system's size whatever the
// page's zoom (GTK on Linux, a menu on macOS), and at 200 % it came out at half the size of
// everything around it. Every option is also in view without opening anything.
import { h } from "../dom";

export interface Choice {
  value: string;
  label: string;
  disabled?: boolean;
  /** A heading over this option and the ones after it with the same group. */
  group?: string;
}

export interface Choices {
  readonly element: HTMLDivElement;
  readonly value: string;
  set(value: string): void;
  onChange(listener: () => void): void;
  focus(): void;
}

export interface ChoicesOptions {
  /** `column` stacks long option names; `row` sets short ones side by side, wrapping. */
  layout?: "row" | "column";
  hint?: string;
}

export function choices(name: string, legend: string, options: readonly Choice[], selected: string, { layout = "row", hint }: ChoicesOptions = {}): Choices {
  const radios = options.map((o) => h("input", { type: "radio", name, value: o.value, checked: o.value === selected, disabled: o.disabled ?? false }));
  const hintEl = hint ? h("small", { class: "hint", id: `${name}-hint` }, hint) : null;
  const labels = options.map((o, i) => h("label", { class: "choice" }, radios[i] ?? null, h("span", {}, o.label)));
  // A named radio group rather than a fieldset: WebKitGTK gave a fieldset with a legend the
  // legend's height again as empty space below it, once the fonts had loaded.
  const element = h(
    "div",
    { class: `choices choices-${layout}`, role: "radiogroup", "aria-labelledby": `${name}-label`, "aria-describedby": hintEl?.id },
    h("div", { class: "choices-label", id: `${name}-label` }, legend),
    h("div", { class: "choice-options" }, ...grouped(name, options, labels)),
    hintEl,
  );
  const checked = () => radios.find((r) => r.checked);
  return {
    element,
    get value() {
      return checked()?.value ?? "";
    },
    set(value: string) {
      for (const r of radios) r.checked = r.value === value;
    },
    onChange(listener: () => void) {
      element.addEventListener("change", listener);
    },
    focus() {
      (checked() ?? radios.find((r) => !r.disabled))?.focus();
    },
  };
}

/** Runs of options with the same `group`, each a named group under its heading. */
function grouped(name: string, options: readonly Choice[], labels: readonly HTMLLabelElement[]): HTMLElement[] {
  const out: HTMLElement[] = [];
  let heading: string | undefined;
  let members: HTMLElement | null = null;
  options.forEach((o, i) => {
    const label = labels[i] as HTMLLabelElement;
    if (o.group === undefined) {
      members = null;
      out.push(label);
      return;
    }
    if (members === null || heading !== o.group) {
      const id = `${name}-group-${out.length}`;
      heading = o.group;
      members = h("div", { class: "choice-group-options" });
      out.push(h("div", { class: "choice-group", role: "group", "aria-labelledby": id }, h("div", { class: "choice-group-label", id }, o.group), members));
    }
    members.appendChild(label);
  });
  return out;
}
