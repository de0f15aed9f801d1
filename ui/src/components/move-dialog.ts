// "Move to another PC": the user says where the accounts go, and sees what to do on this PC
// and on the other side as numbered steps, with the one button that does this PC's step.
// The export itself is the Rust side's, with its own save dialog.
import { api, type FormatView } from "../api";
import { h, setText } from "../dom";
import { t } from "../i18n";
import { choices } from "./choices";
import { openDialog, showError } from "./dialog";
import { exportedMessage, mismatchError, passwordFields, showQrCodes } from "./export-dialog";

export type Destination = "ninsho" | "extension" | "phone";

interface Route {
  /** What the destination reads: encrypted wherever it reads an encrypted file. */
  format: string;
  /** Step names on this PC (`move.<destination>.here.<name>`); "password" holds the
   *  password fields, `action` the button. */
  here: readonly string[];
  action: string;
  there: readonly string[];
}

const ROUTES: Record<Destination, Route> = {
  ninsho: { format: "ninsho", here: ["password", "save", "carry"], action: "save", there: ["install", "import", "password", "check"] },
  // The extension reads its own password-protected backup, so no plain file is needed.
  extension: { format: "authenticator-encrypted", here: ["password", "save", "carry"], action: "save", there: ["open", "import", "check"] },
  // Google Authenticator imports nothing but its own QR codes, which carry the keys unencrypted:
  // they are shown on the screen and never written to a file.
  phone: { format: "google-migration", here: ["private", "show"], action: "show", there: ["open", "scan", "check"] },
};

export const DESTINATIONS = Object.keys(ROUTES) as Destination[];

export interface Step {
  name: string;
  text: string;
}

export interface MovePlan {
  destination: Destination;
  format: string;
  encrypted: boolean;
  /** The organization's policy lets Ninsho write the format. */
  allowed: boolean;
  here: Step[];
  action: string;
  button: string;
  thereTitle: string;
  there: Step[];
}

/** A button's name as the steps quote it, without the "…" that says it opens a dialog. */
const buttonName = (key: string) => t(key).replace(/…$/, "");

/** What the user does for `destination`, in the current language; `formats` is the Rust
 *  side's list (a format it does not list cannot be written). */
export function movePlan(destination: Destination, formats: readonly FormatView[]): MovePlan {
  const route = ROUTES[destination];
  const format = formats.find((f) => f.id === route.format);
  const button = t(`move.${destination}.button`);
  const names = {
    button: buttonName(`move.${destination}.button`),
    settings: t("header.settings"),
    import: buttonName("transfer.import"),
    choose: buttonName("transfer.import_choose"),
    next: t("transfer.qr_next"),
  };
  const steps = (side: "here" | "there", list: readonly string[]) => list.map((name) => ({ name, text: t(`move.${destination}.${side}.${name}`, names) }));
  return {
    destination,
    format: route.format,
    encrypted: format?.encrypted ?? false,
    allowed: format?.allowed ?? false,
    here: steps("here", route.here),
    action: route.action,
    button,
    thereTitle: t(`move.${destination}.there_title`),
    there: steps("there", route.there),
  };
}

function stepList(steps: readonly Step[], extra: (name: string) => (HTMLElement | null)[] = () => []): HTMLOListElement {
  return h("ol", { class: "steps" }, ...steps.map((s) => h("li", { "data-step": s.name }, h("p", {}, s.text), ...extra(s.name))));
}

function thereSection(plan: MovePlan): HTMLElement {
  return h("section", { class: "move-side", "data-side": "there" }, h("h3", {}, plan.thereTitle), stepList(plan.there));
}

/** One destination's steps, with this PC's password fields and button in their places. */
function planView(plan: MovePlan, dialog: { error: HTMLElement; close: () => void }): HTMLElement {
  const fields = plan.encrypted ? passwordFields(plan.format) : null;
  const action = h("button", { type: "button", class: "primary", name: "move-export", disabled: !plan.allowed }, plan.button);
  const result = h("p", { class: "move-result", role: "status", hidden: true });
  const refused = plan.allowed ? null : h("p", { class: "warning" }, t("move.not_allowed", { name: t(`formats.${plan.format}`) }));
  action.addEventListener("click", async () => {
    const password = fields ? fields.password() : null;
    if (fields && password === null) return showError(dialog.error, mismatchError);
    dialog.error.hidden = true;
    action.disabled = true;
    try {
      const done = await api.exportAccounts(plan.format, password, false);
      if (!done) return;
      fields?.clear();
      if (done.qr_svgs.length) {
        // The phone's steps go with the codes: the user reads them while scanning.
        dialog.close();
        showQrCodes(done, thereSection(plan));
        return;
      }
      setText(result, exportedMessage(done));
      result.hidden = false;
      result.scrollIntoView({ block: "nearest" });
    } catch (err) {
      showError(dialog.error, err);
    } finally {
      action.disabled = !plan.allowed;
    }
  });
  const extra = (name: string) => {
    if (name === "password") return [fields?.element ?? null];
    if (name === plan.action) return [refused, h("div", { class: "row-actions" }, action), result];
    return [];
  };
  return h(
    "div",
    { class: "move-plan", "data-destination": plan.destination },
    h("section", { class: "move-side", "data-side": "here" }, h("h3", {}, t("move.here_title")), stepList(plan.here, extra)),
    thereSection(plan),
    h("p", { class: "hint" }, t("move.kept")),
  );
}

/** `onOtherFormats` opens the full export dialog, for apps the three routes do not cover. */
export function openMoveDialog(onOtherFormats: () => void): void {
  const d = openDialog(t("move.title"), "move-dialog");
  const where = choices(
    "destination",
    t("move.where"),
    DESTINATIONS.map((value) => ({ value, label: t(`move.${value}.label`) })),
    "ninsho",
    { layout: "column" },
  );
  const planSlot = h("div", { class: "move-plan-slot" });
  // In the body, after the steps, not beside Close: at 200 % text a second long button in
  // the actions took half the window from the steps.
  const other = h("button", { type: "button", name: "other-formats" }, t("move.other_formats"));
  d.body.append(where.element, planSlot, h("div", { class: "row-actions move-other" }, other));
  const close = h("button", { type: "button" }, t("common.close"));
  other.addEventListener("click", () => {
    d.close();
    onOtherFormats();
  });
  close.addEventListener("click", d.close);
  d.actions.append(close);
  let formats: FormatView[] = [];
  const show = () => {
    d.error.hidden = true;
    planSlot.replaceChildren(planView(movePlan(where.value as Destination, formats), d));
  };
  where.onChange(show);
  api.formats().then(
    (list) => {
      formats = list;
      show();
      where.focus();
    },
    (err: unknown) => showError(d.error, err),
  );
}
