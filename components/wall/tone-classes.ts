import type { Tone } from "@/components/live/fleet-view";

/** Wall colours: red = node down, grey = data older than 3 poll intervals, dark = fine. */
export const toneClasses: Record<Tone, string> = {
  ok: "border-slate-700 bg-slate-900 text-slate-50",
  down: "border-red-400 bg-red-800 text-white",
  stale: "border-gray-500 bg-gray-700 text-gray-300",
  empty: "border-slate-800 bg-slate-900 text-slate-500",
};

export const toneLabels: Record<Tone, string> = {
  ok: "OK",
  down: "DOWN",
  stale: "STALE",
  empty: "NO DATA",
};
