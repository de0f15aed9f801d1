// The page-side half of scripts/bench-launch: the release app driven through tauri-driver,
// timed inside the page with performance.now(). Each figure with 1,000 accounts is printed
// beside the same figure with 20 in the same run.
//   node window_bench.mjs VAULT_20 VAULT_1000 FILE_20 FILE_1000
import { Pc, typeIntoFileDialog } from "../../tests/e2e/harness.mjs";

const [vault20, vault1000, file20, file1000] = process.argv.slice(2);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const worst = (xs) => Math.max(...xs);

/** Milliseconds from each search keystroke to the frame after it: typing "b0012" and
 *  deleting it again, five times (the empty query shows every account again). */
function typing(b) {
  return b.executeAsync((done) => {
    const input = document.querySelector("input.search");
    const painted = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    const word = "b0012";
    const queries = [];
    for (let i = 1; i <= word.length; i++) queries.push(word.slice(0, i));
    for (let i = word.length - 1; i >= 0; i--) queries.push(word.slice(0, i));
    (async () => {
      const times = [];
      for (let round = 0; round < 5; round++) {
        for (const query of queries) {
          const t0 = performance.now();
          input.value = query;
          input.dispatchEvent(new Event("input", { bubbles: true }));
          await painted();
          times.push(performance.now() - t0);
        }
      }
      done(times);
    })();
  });
}

/** Frame intervals while the page scrolls 40 px a frame down and back up. */
function scrolling(b) {
  return b.executeAsync((done) => {
    const list = document.scrollingElement;
    const times = [];
    let last = performance.now();
    let step = 40;
    let frames = 0;
    const frame = (now) => {
      times.push(now - last);
      last = now;
      list.scrollTop += step;
      if (list.scrollTop + list.clientHeight >= list.scrollHeight - 1 || list.scrollTop <= 0) step = -step;
      if (++frames < 240) requestAnimationFrame(frame);
      else done(times.slice(2));
    };
    requestAnimationFrame(frame);
  });
}

/** Milliseconds from confirming the file in the file dialog to the preview on screen, then
 *  for "select all" to untick and tick every row. */
async function importPreview(b, file) {
  await b.$("header .icon-button.settings").click();
  await b.$("dialog.settings-dialog button[name=import]").click();
  await b.$("dialog.import-dialog button.primary").click();
  await b.execute(() => {
    window.__previewShown = null;
    const seen = new MutationObserver(() => {
      if (document.querySelector("dialog.import-dialog .preview") && window.__previewShown === null) {
        window.__previewShown = Date.now();
        requestAnimationFrame(() => setTimeout(() => (window.__previewPainted = Date.now()), 0));
        seen.disconnect();
      }
    });
    seen.observe(document.body, { childList: true, subtree: true });
  });
  const confirmed = await typeIntoFileDialog(b, file);
  await b.waitUntil(() => b.execute(() => window.__previewPainted ?? null), { timeout: 20000, interval: 20 });
  const open = (await b.execute(() => window.__previewPainted)) - confirmed;
  const toggles = await b.executeAsync((done) => {
    const all = document.querySelector("dialog.import-dialog input[name=select-all]");
    const painted = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    (async () => {
      const times = [];
      for (let i = 0; i < 4; i++) {
        const t0 = performance.now();
        all.click();
        await painted();
        times.push(performance.now() - t0);
      }
      done(times);
    })();
  });
  return { open, toggles };
}

async function measure(vault, file) {
  const pc = new Pc({ env: { NINSHO_VAULT: vault } });
  try {
    const b = await pc.launch();
    await b.$(".row").waitForExist({ timeout: 30000 });
    await b.pause(1000);
    const keys = await typing(b);
    const frames = await scrolling(b);
    const imported = await importPreview(b, file);
    return { keys, frames, ...imported };
  } finally {
    await pc.quit();
  }
}

const few = await measure(vault20, file20);
const many = await measure(vault1000, file1000);
const line = (label, value, high, unit, ratio) =>
  console.log(`${label.padEnd(52)} ${value.padStart(9)} ${high.padStart(9)} ${unit.padEnd(3)} ${ratio.padStart(7)}`);
const pair = (title, pick, unit = "ms") => {
  console.log(title);
  const base = median(pick(few));
  for (const [label, data] of [["20 accounts (baseline)", few], ["1,000 accounts", many]]) {
    const xs = pick(data);
    line(`  ${label}`, median(xs).toFixed(1), worst(xs).toFixed(1), unit, `${(median(xs) / base).toFixed(2)}x`);
  }
};
pair("search: keystroke to painted frame (50 keystrokes)", (d) => d.keys);
pair("scrolling: frame interval (240 frames)", (d) => d.frames);
pair("import preview: file confirmed to preview painted", (d) => [d.open]);
pair("import preview: select all / none to painted frame (4)", (d) => d.toggles);
