// Right after adding: the code, large, with the time left, and the instruction to enter
// it now, because the site's QR code changes when its setup page is opened again.
import { api, type AccountView } from "../api";
import { h } from "../dom";
import { t } from "../i18n";
import { groupCode, primaryName, secondaryName, secondsLeft, showsNextCode, spokenCode } from "../format";
import { openDialog } from "./dialog";
import { ring } from "./ring";

export function openFinishSetup(initial: AccountView, clock: () => number, onDone: () => void): void {
  const d = openDialog(t("finish.title"), "finish-dialog");
  let account = initial;
  // Shown grouped, said digit by digit; a screen reader hears a new code when it comes
  // (politely), never the countdown.
  const code = h("div", { class: "big-code", "aria-hidden": "true" });
  const spoken = h("p", { class: "sr-only", "aria-live": "polite" });
  const countdown = ring();
  const seconds = h("span", { class: "seconds" });
  const next = h("p", { class: "next-line" });
  d.body.append(
    h("p", { class: "finish-name" }, h("strong", {}, primaryName(account)), " ", secondaryName(account)),
    h(
      "div",
      { class: "finish-code" },
      code,
      spoken,
      h(
        "div",
        { class: "timer big" },
        countdown.root,
        h("span", { class: "sr-only" }, t("list.seconds_before")),
        seconds,
        h("span", { class: "sr-only" }, t("list.seconds_after")),
      ),
    ),
    next,
    h("p", { class: "finish-body" }, t("finish.body")),
  );
  const done = h("button", { type: "button", class: "primary" }, t("finish.done"));
  d.actions.append(done);

  let refreshing = false;
  const tick = async () => {
    const now = clock();
    if (account.expires_at !== null && now >= account.expires_at && !refreshing) {
      refreshing = true;
      const fresh = (await api.list()).accounts.find((a) => a.id === account.id);
      if (fresh) account = fresh;
      refreshing = false;
    }
    if (code.dataset.code !== account.code) {
      code.dataset.code = account.code;
      code.textContent = groupCode(account.code);
      spoken.textContent = spokenCode(account.code);
    }
    if (account.expires_at === null || account.period === null) {
      seconds.textContent = "";
      return;
    }
    const left = secondsLeft(account.expires_at, now);
    seconds.textContent = String(left);
    countdown.set(Math.min(1, left / account.period), left <= 5);
    next.hidden = !showsNextCode(account, now);
    if (account.next_code) next.textContent = t("finish.next", { code: groupCode(account.next_code), s: left });
  };
  void tick();
  const timer = window.setInterval(() => void tick(), 1000);
  const finish = () => {
    window.clearInterval(timer);
    d.close();
    onDone();
  };
  done.addEventListener("click", finish);
  d.dialog.addEventListener("close", () => window.clearInterval(timer));
  done.focus();
}
