// Adding an account: typed in as the setup page shows it, or pasted as a URI. After
// saving, the finish-setup view shows the first code at once.
import { api, type AccountView, type AddInput } from "../api";
import { h, setText } from "../dom";
import { sameService } from "../format";
import { t } from "../i18n";
import { field, openDialog, showError } from "./dialog";
import { choices } from "./choices";
import { labelQuestion } from "./label-question";
import type { ScanSource } from "./scan-dialog";
import { setupHelp } from "./setup-help";

export interface AddHooks {
  /** The stored accounts, to ask for a label when the service already has one. */
  accounts: () => AccountView[];
  onAdded: (a: AccountView) => void;
  onScan: (from: ScanSource) => void;
}

export function openAddDialog({ accounts, onAdded, onScan }: AddHooks): void {
  const d = openDialog(t("add.title"), "add-dialog");
  const scan = h("button", { type: "button", class: "scan-offer" }, t("header.scan"));
  scan.addEventListener("click", () => {
    d.close();
    onScan("screens");
  });
  let mode: "key" | "uri" = "key";

  const tabKey = h("button", { type: "button", role: "tab", class: "tab", "aria-selected": "true" }, t("add.tab_key"));
  const tabUri = h("button", { type: "button", role: "tab", class: "tab", "aria-selected": "false" }, t("add.tab_uri"));

  const issuer = h("input", { type: "text", name: "issuer", placeholder: t("add.issuer_placeholder"), autocomplete: "off" });
  const account = h("input", { type: "text", name: "account", placeholder: t("add.account_placeholder"), autocomplete: "off" });
  const secret = h("input", { type: "text", name: "secret", autocomplete: "off", spellcheck: "false", class: "mono" });
  const label = h("input", { type: "text", name: "label", autocomplete: "off" });
  const same = (...values: string[]) => values.map((value) => ({ value, label: value }));
  const kind = choices(
    "kind",
    t("add.kind"),
    [
      { value: "totp", label: t("add.time_based") },
      { value: "hotp", label: t("add.counter_based") },
    ],
    "totp",
  );
  const algorithm = choices("algorithm", t("add.algorithm"), same("SHA1", "SHA256", "SHA512"), "SHA1");
  const digits = choices("digits", t("add.digits"), same("6", "7", "8"), "6");
  const period = h("input", { type: "number", name: "period", min: 1, value: 30 });
  const counter = h("input", { type: "number", name: "counter", min: 0, value: 0 });
  const periodField = field(t("add.period"), period);
  const counterField = field(t("add.counter"), counter);
  counterField.hidden = true;
  kind.onChange(() => {
    periodField.hidden = kind.value !== "totp";
    counterField.hidden = kind.value !== "hotp";
  });
  const advanced = h(
    "details",
    { class: "advanced" },
    h("summary", {}, t("add.advanced")),
    kind.element,
    algorithm.element,
    digits.element,
    periodField,
    counterField,
  );
  const keyPanel = h(
    "div",
    { role: "tabpanel", class: "panel" },
    field(t("add.issuer"), issuer),
    field(t("add.account"), account),
    field(t("add.key"), secret, t("add.key_hint")),
  );

  const uri = h("textarea", { name: "uri", rows: 3, spellcheck: "false", class: "mono", placeholder: "otpauth://totp/…" });
  const uriPanel = h("div", { role: "tabpanel", class: "panel", hidden: true }, field(t("add.uri"), uri, t("add.uri_hint")));
  const labelField = field(t("add.label"), label, t("add.label_hint"));
  // A second ID of a service the user already has: the label is what tells them apart.
  const askLabel = () => {
    const ask = labelQuestion(mode === "key" ? sameService(accounts(), issuer.value) : []);
    const caption = labelField.querySelector("label");
    const hint = labelField.querySelector(".hint");
    if (caption) setText(caption, ask.caption);
    if (hint) hint.textContent = ask.hint;
    label.placeholder = ask.placeholder;
    labelField.classList.toggle("needed", ask.needed);
  };
  issuer.addEventListener("input", askLabel);

  const setMode = (m: "key" | "uri") => {
    mode = m;
    tabKey.setAttribute("aria-selected", String(m === "key"));
    tabUri.setAttribute("aria-selected", String(m === "uri"));
    keyPanel.hidden = m !== "key";
    uriPanel.hidden = m !== "uri";
    advanced.hidden = m !== "key";
    askLabel();
    (m === "key" ? issuer : uri).focus();
  };
  tabKey.addEventListener("click", () => setMode("key"));
  tabUri.addEventListener("click", () => setMode("uri"));

  const submit = h("button", { type: "submit", class: "primary" }, t("add.submit"));
  const cancel = h("button", { type: "button" }, t("common.cancel"));
  cancel.addEventListener("click", d.close);
  const form = h("form", { class: "form" }, h("div", { class: "tabs", role: "tablist" }, tabKey, tabUri), keyPanel, uriPanel, labelField, advanced);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const input: AddInput =
      mode === "uri"
        ? { mode: "uri", uri: uri.value, label: label.value }
        : {
            mode: "key",
            issuer: issuer.value,
            account: account.value,
            label: label.value,
            secret: secret.value,
            algorithm: algorithm.value,
            digits: Number(digits.value),
            period: Number(period.value),
            counter: kind.value === "hotp" ? Number(counter.value) : null,
          };
    submit.disabled = true;
    try {
      const added = await api.addAccount(input);
      secret.value = "";
      uri.value = "";
      d.close();
      onAdded(added);
    } catch (err) {
      showError(d.error, err);
    } finally {
      submit.disabled = false;
    }
  });
  submit.setAttribute("form", "add-form");
  form.id = "add-form";
  d.body.append(h("p", { class: "scan-line" }, h("span", { class: "hint" }, t("add.scan_hint")), scan), form, setupHelp());
  d.actions.append(cancel, submit);
  issuer.focus();
}
