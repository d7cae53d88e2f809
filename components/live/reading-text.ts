import type { ProbeStatus, Reading, ReadingState } from "@/lib/poller/readings";
import { type FigurePart, type FleetFigure, formatAge } from "./fleet-view";

// Words for readings and probes that are not ok: why a number is old or missing, in the field's terms.
// Everything here is plain text (reasons come from Kamailio and the network): pages render it as React text.

/** Probe names for the wall, short enough to read across a room. */
const shortProbeNames: Record<string, string> = {
  core: "Core",
  connections: "Conn",
  websockets: "WS list",
  registrations: "Reg",
  contacts: "Contacts",
  dialogs: "Dlg",
  "dialog-list": "Dlg list",
  rtpengine: "RTPEngine",
  "rtpengine-ng": "RTPEngine NG",
  stats: "Stats",
  branches: "Branches",
};

export function shortProbeName(probe: string): string {
  return shortProbeNames[probe] ?? probe;
}

/** "failing: no NG pong …"; the reason alone when it already starts with the state word ("unavailable (usrloc …"). */
export function stateWithReason(state: ReadingState, reason: string | null): string {
  if (reason === null || reason === "") return state;
  return reason.toLowerCase().startsWith(state) ? reason : `${state}: ${reason}`;
}

/** A number cell's tooltip: why its value is old (when it shows one) or missing. null when it is fresh. */
export function readingTitle(reading: Reading, ageMs: number | null, hasValue: boolean): string | null {
  if (reading.state === "ok") return null;
  if (hasValue) {
    const age = ageMs === null ? "" : `, ${formatAge(ageMs)} old`;
    return `last good value${age}: ${reading.reason ?? "its probe is failing"}`;
  }
  return `no value: ${stateWithReason(reading.state, reading.reason)}`;
}

/** "contacts stale 40 s: ul.dump: reply larger than …", "rtpengine-ng failing: no NG pong …". */
export function probeLine(probe: ProbeStatus, ageMs: number | null): string {
  const age = probe.state === "stale" && ageMs !== null ? ` ${formatAge(ageMs)}` : "";
  const head = `${probe.probe} ${probe.state}${age}`;
  if (probe.reason === null || probe.reason === "") return head;
  // "registrations unavailable (usrloc keeps contacts in the database) …", not "unavailable: unavailable (…"
  if (age === "" && probe.reason.toLowerCase().startsWith(probe.state))
    return `${probe.probe} ${probe.reason}`;
  return `${head}: ${probe.reason}`;
}

/** The tooltip of a probe line: the whole reason and its attempts. */
export function probeTitle(probe: ProbeStatus): string {
  const lines = [probeLine(probe, null)];
  if (probe.failures > 0)
    lines.push(`${probe.failures} failed attempt${probe.failures === 1 ? "" : "s"} in a row`);
  if (probe.measuredAt) lines.push(`last good reply ${probe.measuredAt}`);
  if (probe.nextAttemptAt) lines.push(`next attempt ${probe.nextAttemptAt}`);
  return lines.join("\n");
}

const nodeCount = (n: number) => `${n} node${n === 1 ? "" : "s"}`;

function staleNote(parts: FigurePart[]): string | null {
  const [first] = parts;
  if (!first) return null;
  const ages = parts.map((p) => p.ageMs).filter((a): a is number => a !== null);
  const age = ages.length > 0 ? ` ${formatAge(Math.max(...ages))}` : "";
  if (parts.length > 1) return `${nodeCount(parts.length)} stale${age ? `, oldest${age}` : ""}`;
  return `${first.node}: stale${age}${first.reason ? ` — ${first.reason}` : ""}`;
}

function missingNote(parts: FigurePart[]): string | null {
  const [first] = parts;
  if (!first) return null;
  if (parts.length > 1) {
    const states = [...new Set(parts.map((p) => p.state))].join(", ");
    return `${nodeCount(parts.length)}: — ${states}`;
  }
  return `${first.node}: — ${stateWithReason(first.state, first.reason)}`;
}

/** A wall tile's notes on up nodes whose part of the number is stale or missing (empty when all is fresh). */
export function figureNotes(figure: Pick<FleetFigure, "staleIncluded" | "missing">): string[] {
  return [staleNote(figure.staleIncluded), missingNote(figure.missing)].filter(
    (n): n is string => n !== null,
  );
}
