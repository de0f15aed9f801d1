// The "select an area" overlay: drag a rectangle around the QR code; Esc cancels. The
// rectangle goes to the Rust side, which captures and reads that part of the screen.
import { invoke } from "@tauri-apps/api/core";
import { isSelection, spanned } from "./select-rect";
import { type Language, setLanguage, t } from "./i18n";

const instruction = document.getElementById("instruction") as HTMLElement;
const box = document.getElementById("box") as HTMLElement;

async function start(): Promise<void> {
  const language = await invoke<Language>("area_language");
  setLanguage(language);
  document.documentElement.lang = language;
  instruction.textContent = t("scan.select_instruction");
  let origin: [number, number] | null = null;
  const place = (x: number, y: number) => {
    if (!origin) return;
    const r = spanned(origin[0], origin[1], x, y);
    Object.assign(box.style, { left: `${r.x}px`, top: `${r.y}px`, width: `${r.width}px`, height: `${r.height}px` });
    return r;
  };
  document.addEventListener("pointerdown", (e) => {
    origin = [e.clientX, e.clientY];
    box.hidden = false;
    place(e.clientX, e.clientY);
  });
  document.addEventListener("pointermove", (e) => void place(e.clientX, e.clientY));
  document.addEventListener("pointerup", (e) => {
    const r = place(e.clientX, e.clientY);
    origin = null;
    if (r && isSelection(r)) void invoke("area_chosen", { area: r });
    else box.hidden = true;
  });
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape") void invoke("area_chosen", { area: null });
  });
}

void start();
