// Scanning a QR code: on every screen (Ninsho steps aside meanwhile), in a picture file,
// on the clipboard, or dropped on the window. Shows what was found, names codes that are
// not setup codes, and collects Google export codes batch by batch.
//
// A found account shows no code until it is added: a code shown earlier was typed into the
// service's page, the dialog closed, and the account was never stored while the service's
// QR code was already spent. Closing with an account not yet added asks first.
import { api, type AccountView, type FoundView, type PreviewView, type ScanView, type ScannedAccount } from "../api";
import { h, keyboardScrollable } from "../dom";
import { t } from "../i18n";
import { errorText } from "../errors";
import { fullName, primaryName, sameService, secondaryName } from "../format";
import { labelQuestion } from "./label-question";
import { field, openDialog, showError } from "./dialog";
import { setupHelp } from "./setup-help";

export type ScanSource = "screens" | "area" | "picture" | "clipboard";

export interface ScanHooks {
  /** The stored accounts, to ask for a label when the service already has one. */
  accounts: () => AccountView[];
  /** Shows the first code of an account just added (on top of this dialog). */
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
  /** Found accounts not added yet (an account already stored is not one). */
  let waiting: { name: string; add: HTMLButtonElement }[] = [];
  /** The dialog names its first waiting account, for the lock to say it was not added. */
  const noteWaiting = () => {
    if (waiting[0]) d.dialog.dataset.unsaved = waiting[0].name;
    else delete d.dialog.dataset.unsaved;
  };
  // However the dialog goes, what Rust keeps of the scan goes with it.
  d.dialog.addEventListener("close", () => void api.scanForget());
  const confirm = h("div", { class: "close-confirm", role: "alert", hidden: true });
  d.body.prepend(confirm);
  /**
   * Closing or scanning again drops the accounts found and not added: true when there are
   * none, else the question, whose "anyway" button does `leave`.
   */
  const askBeforeLeaving = (leave: () => void, anyway: string): boolean => {
    if (!waiting.length) return true;
    const back = h("button", { type: "button", class: "primary", name: "keep-scanning" }, t("scan.close_back"));
    const drop = h("button", { type: "button", class: "danger", name: "leave-without-adding" }, anyway);
    back.addEventListener("click", () => {
      confirm.hidden = true;
      waiting[0]?.add.focus();
    });
    drop.addEventListener("click", () => {
      confirm.hidden = true;
      waiting = [];
      noteWaiting();
      leave();
    });
    confirm.replaceChildren(
      h("p", { class: "banner-title" }, t(waiting.length > 1 ? "scan.close_unsaved_many" : "scan.close_unsaved", { name: waiting[0]?.name ?? "", n: waiting.length })),
      h("p", {}, t("scan.close_unsaved_why")),
      h("div", { class: "dialog-actions" }, drop, back),
    );
    confirm.hidden = false;
    back.focus();
    return false;
  };
  const askBeforeClosing = () => askBeforeLeaving(d.close, t("scan.close_anyway"));
  d.setCloseGuard(askBeforeClosing);
  close.addEventListener("click", () => {
    if (askBeforeClosing()) d.close();
  });

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

  const accountCard = (scan: number, found: FoundView, a: ScannedAccount) => {
    const label = h("input", { type: "text", name: "label", autocomplete: "off", value: a.label });
    const add = h("button", { type: "submit", class: "primary" }, t("scan.add"));
    // A second ID of a service the user already has: the label is what tells them apart.
    const ask = labelQuestion(found.already === null ? sameService(hooks.accounts(), a.issuer) : []);
    const labelField = field(ask.caption, label, ask.hint);
    label.placeholder = ask.placeholder;
    labelField.classList.toggle("needed", ask.needed);
    const entry = { name: fullName(a), add };
    if (found.already === null) {
      waiting.push(entry);
      noteWaiting();
    }
    const form = h(
      "form",
      { class: "scan-account" },
      h("p", { class: "finish-name" }, h("strong", {}, primaryName(a)), " ", secondaryName(a)),
      found.already ? h("p", { class: "warning" }, t("scan.already", { name: fullName(found.already) })) : h("p", { class: "hint" }, t("scan.code_after_adding")),
      labelField,
      add,
    );
    add.disabled = found.already !== null;
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      add.disabled = true;
      try {
        const added = await api.scanAdd(scan, found.index, label.value);
        waiting = waiting.filter((w) => w !== entry);
        noteWaiting();
        confirm.hidden = true;
        if (waiting.length) form.replaceChildren(h("p", { class: "scan-added" }, t("scan.added", { name: primaryName(added) })));
        else d.close();
        hooks.onAdded(added);
      } catch (err) {
        showError(d.error, err);
        add.disabled = false;
      }
    });
    return { form, label };
  };

  const show = (view: ScanView) => {
    waiting = [];
    noteWaiting();
    confirm.hidden = true;
    if (view.import) {
      d.close();
      hooks.onImport(view.import);
      return;
    }
    const accounts = view.found.filter((f) => f.kind === "account" && f.account);
    const cards = accounts.map((f) => accountCard(view.scan, f, f.account as ScannedAccount));
    const others = view.found
      .filter((f) => f.kind !== "account" || f.problem)
      .map((f) => {
        if (f.problem) return h("li", { class: "scan-other" }, t("scan.unreadable_account", { detail: errorText(f.problem) }));
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
      cards[0]?.label.focus();
    } else {
      again.focus();
    }
  };

  // Another scan replaces what this one found: asked first while an account waits.
  const rescan = (source: ScanSource) => {
    if (askBeforeLeaving(() => void run(source), t("scan.rescan_anyway"))) void run(source);
  };
  again.addEventListener("click", () => rescan("screens"));
  area.addEventListener("click", () => rescan("area"));
  picture.addEventListener("click", () => rescan("picture"));
  clipboard.addEventListener("click", () => rescan("clipboard"));
  if (typeof start === "string") void run(start);
  else show(start);
}
