import type { Tone } from "@/components/live/fleet-view";
import type { HealthTileTone } from "@/components/live/health-figures";

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

/** Health tiles: the data tones above, and the seed's judgement (warning amber, bad red, unknown dim). */
export const healthToneClasses: Record<HealthTileTone, string> = {
  ...toneClasses,
  warning: "border-amber-300 bg-amber-800 text-amber-50",
  bad: "border-red-300 bg-red-700 text-white",
  unknown: "border-slate-700 bg-slate-900 text-slate-300",
};

export const healthLabels: Record<HealthTileTone, string> = {
  ...toneLabels,
  warning: "WARNING",
  bad: "BAD",
  unknown: "NO VERDICT",
};
