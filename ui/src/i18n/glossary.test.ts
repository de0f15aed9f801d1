// The catalogs against docs/glossary-ja.md: one name for each thing, the punctuation the
// glossary sets, no developer's words in what users read, and no Japanese outside the
// catalogs. The glossary's tables are read here, so a rule changes in one place.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { catalogs, keysOf } from "./index";

// Tests run from the repository root (npm run test:ui).
const ROOT = process.cwd();
const glossary = readFileSync(join(ROOT, "docs/glossary-ja.md"), "utf8");

/** The backticked cells of column `column` in the table under the heading that starts with `heading`. */
function table(heading: string, column: number): string[][] {
  const start = glossary.indexOf(`\n## ${heading}`);
  if (start < 0) throw new Error(`docs/glossary-ja.md has no section "${heading}"`);
  const section = glossary.slice(start + 1).split(/\n## /)[0] ?? "";
  const rows = section.split("\n").filter((line) => line.startsWith("|") && !/^\|\s*-/.test(line)).slice(1);
  return rows.map((row) => [...(row.split("|")[column + 1] ?? "").matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? ""));
}

const preferred = table("用語", 1).flat();
const forbidden = table("使わない表記", 0).map((cells, i) => [cells[0] ?? "", table("使わない表記", 1)[i]?.[0] ?? ""] as const);
const developerTerms = table("開発用語", 0).flat();

function strings(catalog: unknown): [string, string][] {
  const lookup = (key: string) => key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], catalog);
  return keysOf(catalog).map((key) => [key, String(lookup(key))]);
}

const ja = strings(catalogs.ja);
const en = strings(catalogs.en);
const KANA_KANJI = "[\\u3041-\\u3096\\u30a1-\\u30fa\\u30fc\\u3005\\u4e00-\\u9fff]";

describe("the glossary", () => {
  it("is read: terms, forbidden spellings and developer terms", () => {
    expect(preferred).toContain("キー");
    expect(forbidden.length).toBeGreaterThan(10);
    expect(forbidden.every(([bad, good]) => bad && good)).toBe(true);
    expect(developerTerms).toContain("CommandOrControl");
  });

  it("is followed: no forbidden spelling in the Japanese catalog", () => {
    // A forbidden spelling inside a preferred term is that term ("暗号鍵" holds "鍵").
    const strip = (text: string) => preferred.reduce((rest, term) => rest.split(term).join("\u0000"), text);
    const found = ja.flatMap(([key, text]) =>
      forbidden.filter(([bad]) => strip(text).includes(bad)).map(([bad, good]) => `${key}: "${bad}" (use "${good}"): ${text}`),
    );
    expect(found).toEqual([]);
  });

  it("puts a space between Japanese and Latin letters or digits", () => {
    const joined = new RegExp(`${KANA_KANJI}[A-Za-z0-9]|[A-Za-z0-9]${KANA_KANJI}`);
    const found = ja.filter(([, text]) => joined.test(text.replace(/\{\w+\}/g, " "))).map(([key, text]) => `${key}: ${text}`);
    expect(found).toEqual([]);
  });

  it("leaves developer terms out of what users read, in both languages", () => {
    const found = [...ja, ...en].flatMap(([key, text]) =>
      developerTerms.filter((term) => text.toLowerCase().includes(term.toLowerCase())).map((term) => `${key}: "${term}": ${text}`),
    );
    expect(found).toEqual([]);
  });

  it("has every key in both languages", () => {
    const jaKeys = new Set(ja.map(([key]) => key));
    const enKeys = new Set(en.map(([key]) => key));
    expect([...jaKeys].filter((k) => !enKeys.has(k))).toEqual([]);
    expect([...enKeys].filter((k) => !jaKeys.has(k))).toEqual([]);
  });
});

/** Every string literal in the UI's code (not its tests): text users could see. */
function literals(dir: string): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...literals(path));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")) {
      const source = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node): void => {
        if (ts.isStringLiteralLike(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
          out.push({ file: path.slice(ROOT.length + 1), text: node.text });
        }
        node.forEachChild(visit);
      };
      visit(source);
    }
  }
  return out;
}

describe("the UI's code", () => {
  it("has no Japanese text outside the catalogs", () => {
    const all = literals(join(ROOT, "ui/src"));
    expect(all.length).toBeGreaterThan(100);
    const japanese = new RegExp(KANA_KANJI);
    expect(all.filter((l) => japanese.test(l.text)).map((l) => `${l.file}: "${l.text}"`)).toEqual([]);
  });
});
