// The countdown ring drawn around the seconds left.
import { svg } from "../dom";

const RADIUS = 15;
export const CIRCUMFERENCE = 2 * Math.PI * RADIUS;

export function ring(): { root: SVGElement; set: (fraction: number, urgent: boolean) => void } {
  const track = svg("circle", { cx: 18, cy: 18, r: RADIUS, class: "ring-track" });
  const bar = svg("circle", {
    cx: 18,
    cy: 18,
    r: RADIUS,
    class: "ring-bar",
    "stroke-dasharray": CIRCUMFERENCE.toFixed(2),
    transform: "rotate(-90 18 18)",
  });
  const root = svg("svg", { viewBox: "0 0 36 36", class: "ring", "aria-hidden": "true" }, track, bar);
  return {
    root,
    set(fraction, urgent) {
      bar.setAttribute("stroke-dashoffset", (CIRCUMFERENCE * (1 - fraction)).toFixed(2));
      root.classList.toggle("urgent", urgent);
    },
  };
}
