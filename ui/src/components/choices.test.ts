import { describe, expect, it } from "vitest";
import { choices } from "./choices";

const sizes = [
  { value: "0", label: "As the system sets it" },
  { value: "100", label: "100 %" },
  { value: "200", label: "200 %", disabled: true },
];

describe("choices", () => {
  it("is a named group of radio buttons whose value is the checked one", () => {
    const group = choices("text_size", "Text size", sizes, "100", { hint: "Ctrl with + and −" });
    document.body.append(group.element);
    expect(group.element.getAttribute("role")).toBe("radiogroup");
    expect(document.getElementById(group.element.getAttribute("aria-labelledby") ?? "")?.textContent).toBe("Text size");
    const radios = [...group.element.querySelectorAll<HTMLInputElement>("input[type=radio]")];
    expect(radios.map((r) => [r.name, r.value, r.checked, r.disabled])).toEqual([
      ["text_size", "0", false, false],
      ["text_size", "100", true, false],
      ["text_size", "200", false, true],
    ]);
    expect(group.value).toBe("100");
    expect(document.getElementById(group.element.getAttribute("aria-describedby") ?? "")?.textContent).toBe("Ctrl with + and −");
    group.element.remove();
  });

  it("follows the user's pick, tells its listeners, and can be set", () => {
    const group = choices("theme", "Theme", [{ value: "light", label: "Light" }, { value: "dark", label: "Dark" }], "light");
    document.body.append(group.element);
    let changes = 0;
    group.onChange(() => (changes += 1));
    group.element.querySelector<HTMLInputElement>("input[value=dark]")?.click();
    expect([group.value, changes]).toEqual(["dark", 1]);
    group.set("light");
    expect(group.value).toBe("light");
    group.focus();
    expect(document.activeElement).toBe(group.element.querySelector("input[value=light]"));
    group.element.remove();
  });

  it("focuses the first usable option when none is checked, and has no value", () => {
    const group = choices("format", "Format", [{ value: "a", label: "A", disabled: true }, { value: "b", label: "B" }], "", { layout: "column" });
    document.body.append(group.element);
    expect(group.value).toBe("");
    expect(group.element.classList.contains("choices-column")).toBe(true);
    group.focus();
    expect(document.activeElement).toBe(group.element.querySelector("input[value=b]"));
    group.element.remove();
  });
});

describe("grouped choices", () => {
  it("puts each run of options with the same group under its heading, one radio group still", () => {
    const options = [
      { value: "ninsho", label: "Transfer file", group: "Ninsho" },
      { value: "enc", label: "Protected backup", group: "Extension" },
      { value: "txt", label: "authenticator.txt", group: "Extension" },
    ];
    const group = choices("format", "Format", options, "enc", { layout: "column" });
    document.body.append(group.element);
    const sections = [...group.element.querySelectorAll<HTMLElement>(".choice-group")];
    const named = sections.map((s) => [
      document.getElementById(s.getAttribute("aria-labelledby") ?? "")?.textContent,
      [...s.querySelectorAll<HTMLInputElement>("input")].map((r) => r.value),
    ]);
    expect(named).toEqual([
      ["Ninsho", ["ninsho"]],
      ["Extension", ["enc", "txt"]],
    ]);
    group.element.querySelector<HTMLInputElement>("input[value=ninsho]")?.click();
    expect(group.value).toBe("ninsho");
    expect(group.element.querySelectorAll("input:checked").length).toBe(1);
    group.element.remove();
  });
});
