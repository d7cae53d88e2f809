import type { Tone } from "@/components/live/fleet-view";

/**
 * Wall colours: red = node down, grey = data older than 3 poll intervals, amber = nodes up but part of the number
 * stale or missing, dark = fine.
 */
export const toneClasses: Record<Tone, string> = {
  ok: "border-slate-700 bg-slate-900 text-slate-50",
  partial: "border-amber-400 bg-amber-950 text-amber-50",
  down: "border-red-400 bg-red-800 text-white",
  stale: "border-gray-500 bg-gray-700 text-gray-300",
  empty: "border-slate-800 bg-slate-900 text-slate-500",
};

export const toneLabels: Record<Tone, string> = {
  ok: "OK",
  partial: "PARTIAL",
  down: "DOWN",
  stale: "STALE",
  empty: "NO DATA",
};
