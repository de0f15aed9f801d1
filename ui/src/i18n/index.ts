// Message catalogs and lookup. Every user-visible string comes from here.
import ja from "./ja.json";
import en from "./en.json";

export type Language = "ja" | "en";
type Catalog = typeof ja;

const catalogs: Record<Language, Catalog> = { ja, en };
let current: Language = "ja";

export function setLanguage(language: Language): void {
  current = language;
  document.documentElement.lang = language;
}

export function language(): Language {
  return current;
}

function lookup(catalog: unknown, key: string): string | undefined {
  let node: unknown = catalog;
  for (const part of key.split(".")) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === "string" ? node : undefined;
}

/** The sentence for `key` with `{name}` placeholders filled in. */
export function t(key: string, params: Record<string, string | number> = {}): string {
  const template = lookup(catalogs[current], key) ?? lookup(catalogs.en, key) ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** Every dotted key of a catalog, for the completeness test. */
export function keysOf(catalog: unknown, prefix = ""): string[] {
  if (typeof catalog !== "object" || catalog === null) return [prefix];
  return Object.entries(catalog).flatMap(([k, v]) => keysOf(v, prefix ? `${prefix}.${k}` : k));
}

export { catalogs };
