// Scanning a QR code: on every screen (Ninsho steps aside meanwhile), in a picture file,
// on the clipboard, or dropped on the window. Shows what was found with the first code,
// names codes that are not setup codes, and collects Google export codes batch by batch.
import { api, type AccountView, type FoundView, type PreviewView, type ScanView } from "../api";
import { h, keyboardScrollable } from "../dom";
import { t } from "../i18n";
import { groupCode, previewCode, primaryName, secondaryName } from "../format";
import { field, openDialog, showError } from "./dialog";
import { setupHelp } from "./setup-help";

export type ScanSource = "screens" | "area" | "picture" | "clipboard";

export interface ScanHooks {
  clock: () => number;
  onAdded: (a: AccountView) => void;
  onImport: (preview: PreviewView) => void;
}

export function openScanDialog(start: ScanSource | ScanView, hooks: ScanHooks): void {
  const d = openDialog(t("scan.title"), "scan-dialog");
  const status = h("div", { class: "scan-status", "aria-live": "polite" });
  const results = h("div", { class: "scan-results" });
  const again = h("button", { type: "button" }, t("scan.again"));
  const area = h("button", { type: "button", class: "small select-area" }, t("scan.select_area"));
  const picture = h("button", { type: "button", class: "small" }, t("scan.from_picture"));
  const clipboard = h("button", { type: "button", class: "small" }, t("scan.from_clipboard"));
  const close = h("button", { type: "button" }, t("common.close"));
  const setResults = (...parts: (HTMLElement | string)[]) => {
    results.replaceChildren(...parts);
    keyboardScrollable(results, t("scan.results"));
  };
  d.body.append(status, results, h("div", { class: "scan-sources" }, area, picture, clipboard), setupHelp());
  d.actions.append(again, close);
  const buttons = [again, area, picture, clipboard];
  let timer = 0;
  const finish = () => {
    window.clearInterval(timer);
    void api.scanForget();
    d.close();
  };
  close.addEventListener("click", finish);
  d.dialog.addEventListener("close", () => window.clearInterval(timer));

  const busy = (source: ScanSource) => {
    buttons.forEach((b) => (b.disabled = true));
    setResults();
    d.error.hidden = true;
    const cancel = h("button", { type: "button", class: "link" }, t("common.cancel"));
    cancel.addEventListener("click", () => void api.scanCancel());
    status.replaceChildren(h("span", { class: "spinner", "aria-hidden": "true" }), h("span", {}, t(`scan.busy_${source}`)), source === "screens" ? cancel : "");
  };

  const run = async (source: ScanSource) => {
    busy(source);
    try {
      const view = await { screens: api.scanScreens, area: api.scanArea, picture: api.scanPicture, clipboard: api.scanClipboard }[source]();
      if (view) show(view);
      else status.replaceChildren();
    } catch (err) {
      status.replaceChildren();
      showError(d.error, err);
      if (typeof err === "object" && err && "key" in err && err.key === "scan_permission") {
        const open = h("button", { type: "button", class: "primary" }, t("scan.open_settings"));
        open.addEventListener("click", () => void api.openScreenRecordingSettings());
        setResults(open);
      }
    } finally {
      buttons.forEach((b) => (b.disabled = false));
    }
  };

  const accountCard = (found: FoundView, a: AccountView) => {
    const code = h("div", { class: "big-code" });
    const left = h("span", { class: "seconds" });
    const label = h("input", { type: "text", name: "label", autocomplete: "off", value: a.label });
    const add = h("button", { type: "submit", class: "primary" }, t("scan.add"));
    const tick = () => {
      const shown = previewCode(a, hooks.clock());
      code.textContent = shown ? groupCode(shown.code) : "—";
      left.textContent = shown && shown.left ? t("scan.seconds_left", { s: shown.left }) : shown ? "" : t("scan.code_after_adding");
    };
    tick();
    const form = h(
      "form",
      { class: "scan-account" },
      h("p", { class: "finish-name" }, h("strong", {}, primaryName(a)), " ", secondaryName(a)),
      h("div", { class: "finish-code" }, code, left),
      found.already ? h("p", { class: "warning" }, t("scan.already", { name: found.already })) : "",
      field(t("add.label"), label, t("add.label_hint")),
      add,
    );
    add.disabled = found.already !== null;
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      add.disabled = true;
      try {
        const added = await api.scanAdd(found.index, label.value);
        finish();
        hooks.onAdded(added);
      } catch (err) {
        showError(d.error, err);
        add.disabled = false;
      }
    });
    return { form, tick, label };
  };

  const show = (view: ScanView) => {
    window.clearInterval(timer);
    if (view.import) {
      finish();
      hooks.onImport(view.import);
      return;
    }
    const accounts = view.found.filter((f) => f.kind === "account" && f.account);
    const cards = accounts.map((f) => accountCard(f, f.account as AccountView));
    const others = view.found
      .filter((f) => f.kind !== "account" || f.problem)
      .map((f) => {
        if (f.problem) return h("li", { class: "scan-other" }, t("scan.unreadable_account", { detail: t(`errors.${f.problem.key}`, f.problem.params) }));
        if (f.kind === "migration") return null;
        if (f.for_another_app) return h("li", { class: `scan-other scan-${f.kind}` }, t(`setup_codes.${f.kind}`));
        if (f.kind === "app-store") return h("li", { class: "scan-other scan-app-store" }, t("setup_codes.app-store"), f.text ? h("code", {}, f.text) : "");
        return h("li", { class: "scan-other" }, t(f.kind === "web-address" ? "scan.web_address" : "scan.other_text"), f.text ? h("code", {}, f.text) : "");
      })
      .filter((x): x is HTMLLIElement => x !== null);
    const parts: (HTMLElement | string)[] = [];
    if (view.migration) parts.push(h("p", { class: "scan-progress" }, t("scan.migration_progress", view.migration)));
    if (cards.length > 1) parts.push(h("p", {}, t("scan.several", { n: cards.length })));
    parts.push(...cards.map((c) => c.form));
    if (others.length) parts.push(h("ul", { class: "scan-others" }, ...others));
    if (!view.found.length) {
      parts.push(h("p", { class: "scan-none" }, t("scan.none")));
      parts.push(h("p", { class: "hint" }, t(view.cut_off ? "scan.cut_off" : "scan.none_hint")));
    }
    // Selecting an area is the fallback: offered first when nothing was found.
    area.classList.toggle("primary", !view.found.length);
    status.replaceChildren();
    setResults(...parts);
    if (cards.length) {
      timer = window.setInterval(() => cards.forEach((c) => c.tick()), 1000);
      cards[0]?.label.focus();
    } else {
      again.focus();
    }
  };

  again.addEventListener("click", () => void run("screens"));
  area.addEventListener("click", () => void run("area"));
  picture.addEventListener("click", () => void run("picture"));
  clipboard.addEventListener("click", () => void run("clipboard"));
  if (typeof start === "string") void run(start);
  else show(start);
}
