// Import: choose a file, give its password if it has one, see what is new, what is
// already stored and what could not be read, tick, and save in one step. A file that
// opened without a password is to be deleted afterwards, and the dialog says so.
import { api, isUiError, type PreviewView } from "../api";
import { h, setText } from "../dom";
import { t } from "../i18n";
import { fullName } from "../format";
import { errorText } from "../errors";
import { field, openDialog, showError } from "./dialog";

export function statusText(item: PreviewView["items"][number]): string {
  const other = item.other ? fullName(item.other) : "";
  return t(`transfer.status_${item.status}`, { other });
}

/** Which app made the file, and when its password was set, for the formats the catalogs
 *  name a password for. */
export function filePasswordHint(format: string | undefined): string | undefined {
  if (format === undefined) return undefined;
  const key = `transfer.file_password_hints.${format}`;
  const hint = t(key);
  return hint === key ? undefined : hint;
}

/** Opens the import dialog; with `initial` (Google export codes just scanned) it starts
 *  at that preview instead of asking for a file. */
export function openImportDialog(onImported: (count: number) => void, initial?: PreviewView): void {
  const d = openDialog(t("transfer.import_title"), "import-dialog");
  const choose = h("button", { type: "button", class: "primary" }, t("transfer.import_choose"));
  const area = h("div", { class: "import-area" });
  const apps = h("details", { class: "import-apps" }, h("summary", {}, t("transfer.import_apps_summary")), h("p", { class: "hint" }, t("transfer.import_apps")));
  d.body.append(h("p", { class: "hint" }, t("transfer.import_hint")), apps, choose, area);
  const cancel = h("button", { type: "button" }, t("common.cancel"));
  const submit = h("button", { type: "button", class: "primary", disabled: true }, t("transfer.import_n", { n: 0 }));
  d.actions.append(cancel, submit);
  cancel.addEventListener("click", () => {
    void api.importCancel();
    d.close();
  });

  let boxes: HTMLInputElement[] = [];
  const all = h("input", { type: "checkbox", name: "select-all" });
  const count = () => boxes.filter((b) => b.checked).length;
  const choosable = () => boxes.filter((b) => !b.disabled);
  const updateSubmit = () => {
    const n = count();
    setText(submit, t("transfer.import_n", { n }));
    submit.disabled = n === 0;
    const open = choosable().length;
    all.checked = open > 0 && n === open;
    all.indeterminate = n > 0 && n < open;
    all.disabled = open === 0;
  };
  all.addEventListener("change", () => {
    for (const box of choosable()) box.checked = all.checked;
    updateSubmit();
  });

  let shown: PreviewView | null = null;
  const show = (view: PreviewView) => {
    shown = view;
    d.error.hidden = true;
    boxes = view.items.map((item, i) => {
      const box = h("input", { type: "checkbox", "data-index": i, checked: item.status === "new", disabled: item.status === "same_key" || item.status === "repeated" });
      box.addEventListener("change", updateSubmit);
      return box;
    });
    const rows = view.items.map((item, i) =>
      h(
        "li",
        { class: `preview-item status-${item.status}` },
        h("label", { class: "check" }, boxes[i] ?? null, h("span", { class: "preview-name" }, [item.issuer, item.account].filter(Boolean).join(" · "))),
        h("small", { class: "preview-status" }, statusText(item)),
      ),
    );
    const problems = view.problems.length
      ? h(
          "div",
          { class: "problems", role: "alert" },
          h("strong", {}, t("transfer.problems")),
          h("ul", {}, ...view.problems.map((p) => h("li", {}, t("transfer.problem", { place: errorText(p.place), error: errorText(p.error) })))),
          view.problems_left_out ? h("p", {}, t("transfer.problems_left_out", { n: view.problems_left_out })) : "",
        )
      : null;
    area.replaceChildren(
      h("p", { class: "preview-file" }, `${view.file} — ${t(`formats.${view.format}`)}`),
      h("label", { class: "check select-all" }, all, h("span", {}, t("transfer.select_all", { n: view.items.length }))),
      h("ul", { class: "preview" }, ...rows),
    );
    if (problems) area.appendChild(problems);
    if (view.items.length && !view.items.some((it) => it.status === "new" || it.status === "same_name")) {
      area.appendChild(h("p", { class: "hint" }, t("transfer.nothing_new")));
    }
    updateSubmit();
  };

  /** After the import: what to do with a file anyone can read. */
  const showDeleteReminder = (view: PreviewView) => {
    area.replaceChildren(
      h(
        "div",
        { class: "plain-imported warning", role: "alert" },
        h("p", { class: "plain-imported-title" }, t("transfer.plain_imported_title")),
        h("p", {}, t("transfer.plain_imported", { file: view.file })),
      ),
    );
    choose.hidden = true;
    submit.hidden = true;
    setText(cancel, t("common.close"));
    cancel.focus();
  };

  const askPassword = (format: string | undefined) => {
    const pass = h("input", { type: "password", name: "file-password", autocomplete: "off" });
    const open = h("button", { type: "submit", class: "primary" }, t("transfer.open"));
    const form = h("form", { class: "form" }, field(t("transfer.file_password"), pass, filePasswordHint(format)), open);
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      try {
        const view = await api.importPreview(pass.value);
        pass.value = "";
        if (view) show(view);
      } catch (err) {
        showError(d.error, err);
      }
    });
    area.replaceChildren(form);
    pass.focus();
  };

  choose.addEventListener("click", async () => {
    try {
      const view = await api.importPreview(null);
      if (view) show(view);
    } catch (err) {
      if (isUiError(err) && err.key === "backup_needs_password") {
        showError(d.error, err);
        askPassword(err.params.format);
      } else {
        showError(d.error, err);
      }
    }
  });

  submit.addEventListener("click", async () => {
    const chosen = boxes.filter((b) => b.checked).map((b) => Number(b.dataset.index));
    try {
      const n = await api.importCommit(chosen);
      onImported(n);
      if (shown?.plaintext) showDeleteReminder(shown);
      else d.close();
    } catch (err) {
      showError(d.error, err);
    }
  });
  if (initial) {
    choose.hidden = true;
    show(initial);
    submit.focus();
  } else {
    choose.focus();
  }
}
