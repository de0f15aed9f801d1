// Japanese line breaking in the real WebKit: on every main screen, at 100 % and at 200 %
// text, each line of a button or a short label ends where a phrase ends (docs/typesetting.md).
// Where the lines break is read from the page itself: each character's box, from a Range.
import { test } from "node:test";
import assert from "node:assert/strict";
import { onPc, screenshot } from "./harness.mjs";

function seed(pc) {
  pc.cli("add", "--secret", "JBSWY3DPEHPK3PXP", "--issuer", "給与システム", "--account", "a-sato@example.co.jp", "--label", "A-ID 経理");
  // Two the user cannot tell apart: each row shows the duplicate warning.
  pc.cli("add", "--secret", "JBSWY3DPEHPK3PXQ", "--issuer", "勤怠管理", "--account", "b-sato@example.co.jp");
  pc.cli("add", "--secret", "GEZDGNBVGY3TQOJQ", "--issuer", "勤怠管理", "--account", "b-sato@example.co.jp");
  pc.cli("add", "--secret", "MFRGGZDFMZTWQ2LK", "--issuer", "経費精算クラウドサービス", "--account", "suzuki.ichiro.accounting-team@example-holdings.co.jp");
}

/**
 * Every line break inside a visible button or short label that does not fall between two
 * phrases, as `what "text with | at each break" (why)`. A phrase boundary is a word
 * boundary of the engine's own segmenter (ICU's dictionary) that also keeps together what
 * Japanese typesetting keeps together: a katakana word (ICU cuts unknown loanwords, e.g.
 * イン|ポート), a particle or ending with its word, a number with its counter across the
 * space, and a Latin word or address except before its . @ / _ - (where a line may end).
 * A phrase wider than its line may break where it must, but never so that a line starts
 * with a small kana, ー or closing punctuation, or ends with an opening bracket (kinsoku).
 * Text that sticks out of its box, or comes apart into pieces side by side, is named too.
 */
function badBreaks(b) {
  return b.execute(() => {
    const LABELS = "button, label, legend, summary, h1, h2, [role=tab], .choices-label, .badge, .duplicate, .banner-title, .row .primary, .row .secondary";
    const SMALL = /[ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰ-ㇿー々ゝゞヽヾ]/;
    const CLOSING = /[、。，．：；！？）」』】〕〉》…‥・),\]!?]/;
    const OPENING = /[（「『【〔〈《([]/;
    const SENTENCE_END = /[、。，．！？!?]/;
    const KATAKANA = /[ァ-ヺー]/;
    const HIRAGANA = /[ぁ-ゖ]/;
    const CJK = /[\u3041-\u30ff\u3400-\u9fff\uf900-\ufaff]/;
    const LATIN = /[A-Za-z0-9@._\-/:+#%&=~'’]/;
    const WORDLIKE = /[A-Za-z0-9\u3041-\u30ff\u3400-\u9fff]/;
    const DIGIT = /[0-9]/;
    const SPACE = /\s/;
    const segmenter = new Intl.Segmenter("ja", { granularity: "word" });
    const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
    // With a dialog open, only the dialog: the page behind it was checked before.
    const scope = document.querySelector("dialog[open]") ?? document;
    const roots = [...scope.querySelectorAll(LABELS)].filter((el) => shown(el) && !el.closest(".sr-only") && !el.parentElement?.closest(LABELS));
    const problems = [];
    for (const el of roots) {
      // The element's text, character by character, with each character's box.
      const chars = [];
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        if (!parent || parent.closest(".sr-only") || !shown(parent)) continue;
        let block = parent;
        while (block !== el && getComputedStyle(block).display === "inline") block = block.parentElement;
        // Characters cut off by a box that clips (a name's "…") are not seen.
        let clip = parent;
        while (clip !== el && getComputedStyle(clip).overflowX === "visible") clip = clip.parentElement;
        const clipBox = getComputedStyle(clip).overflowX === "visible" ? null : clip.getBoundingClientRect();
        for (let i = 0; i < node.data.length; i++) {
          const range = document.createRange();
          const wide = node.data.codePointAt(i) > 0xffff ? 2 : 1;
          range.setStart(node, i);
          range.setEnd(node, i + wide);
          const box = [...range.getClientRects()].find((r) => r.width > 0) ?? null;
          const rect = box && clipBox && (box.left < clipBox.left - 1 || box.right > clipBox.right + 1) ? null : box;
          chars.push({ ch: node.data.slice(i, i + wide), rect, block });
          i += wide - 1;
        }
      }
      const text = chars.map((c) => c.ch).join("");
      if (!text.trim()) continue;
      // The segmenter counts UTF-16 units; `chars` counts characters.
      const indexAt = new Map();
      chars.reduce((offset, c, i) => (indexAt.set(offset, i), offset + c.ch.length), 0);
      const starts = new Set([...segmenter.segment(text)].map((s) => indexAt.get(s.index)));
      /** The width the text of `block` has: its widest line (a flex item's is not its box's). */
      const lineWidth = (block) => {
        const rects = chars.filter((c) => c.block === block && c.rect).map((c) => c.rect);
        return Math.max(...rects.map((r) => r.right)) - Math.min(...rects.map((r) => r.left));
      };
      /** Whether the piece around break `p`, from the break opportunity before it to the one
       *  after it (`may(i)`: a line may start at i), fills a line: then it must break. */
      const mustBreak = (p, may) => {
        let from = p - 1;
        let to = p + 1;
        while (from > 0 && !may(from)) from--;
        while (to < chars.length && !may(to)) to++;
        return chars.slice(from, to).reduce((w, c) => w + (c.rect?.width ?? 0), 0) > lineWidth(chars[p].block) - 1;
      };
      const breaks = [];
      let previous = null;
      let outOfOrder = false;
      for (let i = 0; i < chars.length; i++) {
        const c = chars[i];
        if (!c.rect) continue;
        if (previous && previous.block === c.block && c.rect.top >= previous.rect.bottom - 2) breaks.push(i);
        // Text that goes back up, or left on its line, was cut into pieces laid out side by
        // side (a flex container making each piece an item).
        const sameLine = previous && Math.abs(c.rect.top - previous.rect.top) < 2;
        if (previous && (c.rect.bottom < previous.rect.top + 2 || (sameLine && c.rect.right < previous.rect.left + 2))) outOfOrder = true;
        previous = c;
      }
      const edge = el.getBoundingClientRect();
      if (chars.some((c) => c.rect && (c.rect.right > edge.right + 1 || c.rect.left < edge.left - 1))) {
        problems.push(`${el.tagName.toLowerCase()}.${el.className} "${text}" (sticks out of its box)`);
      }
      if (outOfOrder) problems.push(`${el.tagName.toLowerCase()}.${el.className} "${text}" (laid out in pieces, out of reading order)`);
      const at = (i) => chars[i]?.ch ?? "";
      /** Kinsoku: what no line may start or end with, whatever the width. */
      const kinsoku = (p) => {
        let q = p - 1;
        while (q >= 0 && SPACE.test(at(q))) q--;
        if (SMALL.test(at(p))) return "a small kana or ー starts the line";
        if (CLOSING.test(at(p))) return "closing punctuation starts the line";
        if (OPENING.test(at(q))) return "an opening bracket ends the line";
        return null;
      };
      /** Why a line may not start at `p` inside a phrase, or null at a phrase boundary. */
      const inPhrase = (p) => {
        const ch = at(p);
        let q = p - 1;
        while (q >= 0 && SPACE.test(at(q))) q--;
        const spaced = q < p - 1;
        const before = at(q);
        if (HIRAGANA.test(ch) && (WORDLIKE.test(before) || /[）」』】〕〉》]/.test(before)) && !SENTENCE_END.test(before)) {
          return "a particle or ending is cut from its word";
        }
        if (spaced && DIGIT.test(before) && CJK.test(ch)) return "a number is cut from its counter";
        if (spaced) return null;
        if (KATAKANA.test(before) && KATAKANA.test(ch)) return "a katakana word is cut";
        if (LATIN.test(before) && LATIN.test(ch)) return /[.@/_-]/.test(ch) || /[:/]/.test(before) ? null : "a Latin word is cut";
        if (!starts.has(p)) return "a word is cut";
        return null;
      };
      const why = (p) => {
        const reason = kinsoku(p) ?? inPhrase(p);
        // A phrase wider than its line breaks where it must.
        if (reason && !kinsoku(p) && mustBreak(p, (i) => !kinsoku(i) && !inPhrase(i))) return null;
        return reason;
      };
      const bad = breaks.map((p) => [p, why(p)]).filter(([, reason]) => reason);
      if (bad.length) {
        const marked = chars.map((c, i) => (breaks.includes(i) ? `|${c.ch}` : c.ch)).join("");
        const name = `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).trim().split(/\s+/).join(".")}` : ""}`;
        problems.push(`${name} "${marked}" (${[...new Set(bad.map(([, r]) => r))].join("; ")})`);
      }
    }
    return problems;
  });
}

/** Clicks from the page: WebKitWebDriver's clicks miss under page zoom. */
function click(b, selector) {
  return b.execute((sel) => {
    const el = document.querySelector(sel);
    if (!el) throw new Error(`nothing matches ${sel}`);
    el.click();
  }, selector);
}

async function closeDialog(b, selector) {
  await b.keys(["Escape"]);
  await b.waitUntil(async () => !(await b.$(selector).isExisting()), { timeout: 3000, timeoutMsg: `Esc did not close ${selector}` });
}

for (const size of [100, 200]) {
  test(`Japanese buttons and labels break only between phrases, at ${size} % text`, () =>
    onPc({ lang: "ja_JP.UTF-8", settings: { text_size: size } }, async (pc) => {
      seed(pc);
      const b = await pc.launch();
      await b.$(".row").waitForExist({ timeout: 15000 });
      if (size === 200) {
        await b.waitUntil(async () => (await b.execute(() => window.innerWidth)) < 240, { timeout: 5000, timeoutMsg: "the page was not zoomed to 200 %" });
      }
      // What this WebKit offers, for docs/typesetting.md.
      const engine = await b.execute(() => ({
        autoPhrase: CSS.supports("word-break", "auto-phrase"),
        keepAll: CSS.supports("word-break", "keep-all"),
        strict: CSS.supports("line-break", "strict"),
        segmenter: typeof Intl.Segmenter === "function",
      }));
      assert.equal(engine.segmenter, true, "the check needs Intl.Segmenter");
      const found = [];
      const check = async (screen) => {
        await b.pause(300);
        for (const problem of await badBreaks(b)) found.push(`${screen}: ${problem}`);
        // A picture of each screenful of a dialog that scrolls, to look at.
        const pages = await b.execute(() => {
          const body = document.querySelector("dialog[open] .dialog-body");
          return body ? Math.ceil(body.scrollHeight / body.clientHeight) : 1;
        });
        for (let page = 0; page < pages; page++) {
          await b.execute((n) => {
            const body = document.querySelector("dialog[open] .dialog-body");
            if (body) body.scrollTop = n * body.clientHeight;
          }, page);
          await screenshot(b, `typesetting-${size}-${screen}${page ? `-${page + 1}` : ""}`);
        }
      };

      await check("list");

      await click(b, "button.add");
      await b.$("dialog.add-dialog").waitForExist({ timeout: 5000 });
      await check("add-key");
      await click(b, "dialog.add-dialog [role=tab]:nth-child(2)");
      await check("add-uri");
      await closeDialog(b, "dialog.add-dialog");

      await click(b, ".row .edit");
      await b.$("dialog.edit-dialog").waitForExist({ timeout: 5000 });
      await check("edit");
      await click(b, "dialog.edit-dialog button.danger");
      await b.$("dialog.delete-dialog").waitForExist({ timeout: 5000 });
      await check("delete");
      await closeDialog(b, "dialog.delete-dialog");

      const openSettings = async () => {
        await click(b, "header button.settings");
        await b.$("dialog.settings-dialog").waitForExist({ timeout: 5000 });
      };
      await openSettings();
      await check("settings");
      for (const [button, dialog] of [
        ["import", "dialog.import-dialog"],
        ["export", "dialog.export-dialog"],
        ["deleted", "dialog.deleted-dialog"],
      ]) {
        if (!(await b.$(`dialog.settings-dialog button[name=${button}]`).isExisting())) continue;
        await click(b, `dialog.settings-dialog button[name=${button}]`);
        await b.$(dialog).waitForExist({ timeout: 5000 });
        await check(button);
        await closeDialog(b, dialog);
        await openSettings();
      }
      await closeDialog(b, "dialog.settings-dialog");

      console.log(`# ${size} %: ${JSON.stringify(engine)}`);
      assert.deepEqual(found, [], `${found.length} line break(s) inside a phrase`);
    }));
}
