import { TableCell } from "@tremor/react";
import Link from "next/link";
import { type BranchTone, branchRateView, branchWindow } from "@/components/live/branch-rate";
import {
  formatAge,
  formatCount,
  pollAgeMs,
  probeAgeMs,
  problemProbes,
  readingAgeMs,
  readingOf,
  shownNumber,
  timeAgeMs,
  valuesAgeMs,
} from "@/components/live/fleet-view";
import { probeLine, probeTitle, readingTitle } from "@/components/live/reading-text";
import type { ProbeState, ProbeStatus } from "@/lib/poller/readings";
import type { NodeNumbers, OverviewNode } from "@/lib/poller/snapshot";
import { socketsWarn } from "./node-order";

// Cells of the overview's node table that say how much each number can be trusted: its reading's state, age and
// reason, the probes that are not ok, values Kamailio sent that could not be true, and Kamailio's own version.
// Everything from Kamailio is rendered as React text.

/** A restart within this long is worth a line of its own. */
export const RECENT_RESTART_MS = 10 * 60_000;

const stateColors: Record<ProbeState | "rejected", string> = {
  ok: "text-tremor-content-subtle",
  stale: "text-amber-700",
  starting: "text-amber-700",
  failing: "text-red-600",
  rejected: "text-red-600",
  unavailable: "text-tremor-content-subtle",
};

/**
 * One number of a node, inline: plain when fresh; grey italic when it is a stale last good value (or the node is
 * down), its age in the title; "—" and the state word when there is none, the reason in the title. Never a 0.
 */
export function NumberValue({
  node,
  numberKey,
  elapsedMs,
}: {
  node: OverviewNode;
  numberKey: keyof NodeNumbers;
  elapsedMs: number;
}) {
  const value = shownNumber(node, numberKey);
  const reading = readingOf(node, numberKey);
  const state = reading?.state ?? "last-known";
  const old = !node.up || (reading !== null && reading.state !== "ok" && value !== null);
  const ageMs = old && node.up ? readingAgeMs(node, numberKey, elapsedMs) : null;
  const title = !node.up
    ? "last value seen while the node was up"
    : reading
      ? readingTitle(reading, ageMs, value !== null)
      : null;
  return (
    <span className={old ? "text-tremor-content-subtle italic" : ""} title={title ?? undefined}>
      <span data-testid={`node-${numberKey}`} data-value={value ?? ""} data-state={state}>
        {formatCount(value)}
      </span>
      {value === null && reading && reading.state !== "ok" ? (
        <span className={`ml-1 text-xs ${stateColors[reading.state]}`}>{reading.state}</span>
      ) : null}
      {ageMs !== null ? <span className="ml-1 text-xs">({formatAge(ageMs)} old)</span> : null}
    </span>
  );
}

/** Two numbers of a node in one cell, "12 / 3" (e.g. WS / WSS), each with its own state and age. */
export function NumberPairCell({
  node,
  keys,
  elapsedMs,
}: {
  node: OverviewNode;
  keys: [keyof NodeNumbers, keyof NodeNumbers];
  elapsedMs: number;
}) {
  return (
    <TableCell className={`${CELL} whitespace-nowrap text-right tabular-nums`}>
      <NumberValue node={node} numberKey={keys[0]} elapsedMs={elapsedMs} />
      <span className="text-tremor-content-subtle"> / </span>
      <NumberValue node={node} numberKey={keys[1]} elapsedMs={elapsedMs} />
    </TableCell>
  );
}

function ProbeLine({
  node,
  probe,
  elapsedMs,
}: {
  node: OverviewNode;
  probe: ProbeStatus;
  elapsedMs: number;
}) {
  return (
    <div
      className={`truncate text-xs ${stateColors[probe.state]}`}
      title={probeTitle(probe)}
      data-testid="node-probe"
      data-probe={probe.probe}
      data-state={probe.state}
    >
      {probeLine(probe, probeAgeMs(node, probe, elapsedMs))}
    </div>
  );
}

/** The probes of an up node that are not ok, each with its state and reason; those it cannot serve last. */
export function ProbeLines({ node, elapsedMs }: { node: OverviewNode; elapsedMs: number }) {
  const problems = problemProbes(node);
  const unavailable = problems.filter((p) => p.state === "unavailable");
  const others = problems.filter((p) => p.state !== "unavailable");
  return (
    <>
      {others.map((p) => (
        <ProbeLine key={p.probe} node={node} probe={p} elapsedMs={elapsedMs} />
      ))}
      {unavailable.length > 0 ? (
        <div data-testid="node-unavailable">
          {unavailable.map((p) => (
            <ProbeLine key={p.probe} node={node} probe={p} elapsedMs={elapsedMs} />
          ))}
        </div>
      ) : null}
    </>
  );
}

/** "rejected: dialog.early_dialogs = 9223372036854776000 (above the plausibility bound …)". */
export function RejectedLine({ node }: { node: OverviewNode }) {
  if (node.rejected.length === 0) return null;
  const lines = node.rejected.map((r) => `${r.field} = ${r.value} (${r.rule})`);
  return (
    <div className="truncate text-xs text-red-600" title={lines.join("\n")} data-testid="rejected-values">
      rejected: {lines.join("; ")}
    </div>
  );
}

/** A down node's numbers: "values from 5 min ago" (its last poll while up), or "never up" when it never was. */
function valuesLine(node: OverviewNode, elapsedMs: number): string {
  const ageMs = valuesAgeMs(node, elapsedMs);
  return ageMs === null ? "never up" : `values from ${formatAge(ageMs)} ago`;
}

/** Compact table cells: the node table must fit 1600 px without scrolling sideways. */
export const CELL = "px-2 py-1.5";

/**
 * "5.6.3 · up 3 h 5 min", "restarted 2 min ago" after a recent restart, then the poll: "polled 3 s ago · 12 ms"
 * (and, for a down node, how old its last values are).
 */
export function KamailioCell({ node, elapsedMs }: { node: OverviewNode; elapsedMs: number }) {
  const info = node.kamailio;
  const version = info?.version ?? info?.versionText ?? "—";
  const uptimeMs = node.up && info?.uptimeS != null ? info.uptimeS * 1000 + pollAgeMs(node, elapsedMs) : null;
  const restartedAgo = timeAgeMs(node, info?.restartedAt ?? null, elapsedMs);
  const recentRestart = restartedAgo !== null && restartedAgo <= RECENT_RESTART_MS;
  return (
    <TableCell className={`${CELL} whitespace-nowrap tabular-nums`} title={info?.versionText ?? undefined}>
      {/* a node never seen up has no version: its cell gives the poll alone */}
      <span
        data-testid="kamailio-info"
        data-version={info?.version ?? ""}
        className={info ? "block" : "hidden"}
      >
        {version}
        {uptimeMs !== null ? ` · up ${formatAge(uptimeMs)}` : ""}
      </span>
      {recentRestart ? (
        <div className="text-xs text-amber-700" data-testid="kamailio-restarted">
          restarted {formatAge(restartedAgo)} ago
        </div>
      ) : null}
      <div className="text-xs text-tremor-content-subtle" data-testid="node-polled">
        polled {formatAge(pollAgeMs(node, elapsedMs))} ago · {node.durationMs} ms
      </div>
      {node.up ? null : (
        <div className="text-xs text-tremor-content-subtle">{valuesLine(node, elapsedMs)}</div>
      )}
    </TableCell>
  );
}

const branchToneClasses: Record<BranchTone, string> = {
  ok: "text-emerald-700",
  warning: "text-amber-700",
  bad: "font-semibold text-red-600",
  unknown: "text-tremor-content-subtle",
};

/** The worst bridge direction's branch-failure rate over 5 minutes, coloured by the seed's 1 % rule. */
export function BranchRateCell({ node }: { node: OverviewNode }) {
  const view = branchRateView(branchWindow(node), node.branchFailure);
  return (
    <TableCell
      className={`${CELL} max-w-36 whitespace-normal text-right tabular-nums ${branchToneClasses[view.tone]}`}
      title={view.detail}
    >
      <span
        data-estimate={view.estimate || undefined}
        data-testid="node-branch-failure"
        data-tone={view.tone}
      >
        {view.text}
      </span>
    </TableCell>
  );
}

/**
 * WS/WSS connections carrying no registration (of all), and registrations whose connection is gone, from the
 * last ul.dump joined with core.tcp_list; its own age, as ul.dump comes on the heavy-list cadence.
 */
export function SocketsCell({ node, elapsedMs }: { node: OverviewNode; elapsedMs: number }) {
  const s = node.up ? node.socketsVsRegistrations : null;
  if (!s) {
    return (
      <TableCell
        className={`${CELL} text-right text-tremor-content-subtle`}
        title="no ul.dump joined with core.tcp_list"
      >
        <span data-testid="node-sockets">—</span>
      </TableCell>
    );
  }
  const warn = socketsWarn(s);
  const share = s.shareWithout === null ? "" : ` (${Math.round(s.shareWithout * 100)} %)`;
  const age = formatAge(timeAgeMs(node, s.measuredAt, elapsedMs));
  return (
    <TableCell
      className={`${CELL} whitespace-nowrap text-right tabular-nums ${warn ? "text-amber-700" : ""}`}
      title={`WS/WSS connections without a registration, of all; ${s.registrationsWithoutConnection} registration(s) whose connection is gone; from ul.dump ${age} ago`}
    >
      <span data-testid="node-sockets" data-warn={warn ? "true" : "false"}>
        {s.withoutRegistration} of {s.connections}
        {share}
      </span>
      {s.registrationsWithoutConnection > 0 ? (
        <div className="text-xs">{s.registrationsWithoutConnection} reg. without socket</div>
      ) : null}
    </TableCell>
  );
}

/**
 * RTPEngine sessions against answered calls in this cycle. A gap is amber, not red: calls being set up or torn
 * down make short gaps; only a gap held for minutes is a leak or calls without media.
 */
export function SessionsCell({ node }: { node: OverviewNode }) {
  const s = node.up ? node.sessionsVsCalls : null;
  if (!s) {
    return (
      <TableCell
        className={`${CELL} text-right text-tremor-content-subtle`}
        title="sessions or calls unknown (NG statistics or dialogs)"
      >
        <span data-testid="node-sessions">—</span>
      </TableCell>
    );
  }
  return (
    <TableCell
      className={`${CELL} whitespace-nowrap text-right tabular-nums ${s.gap === 0 ? "" : "text-amber-700"}`}
      title={`${s.sessions} RTPEngine session(s) on ${s.engines} media server(s), ${s.calls} answered call(s)`}
    >
      <span data-testid="node-sessions" data-gap={s.gap}>
        {s.sessions} / {s.calls}
      </span>
    </TableCell>
  );
}

/** The node's name, linking to its page (/nodes/{name}); React text, the name is operator-chosen. */
export function NodeNameLink({ name, className = "" }: { name: string; className?: string }) {
  return (
    <Link
      href={`/nodes/${encodeURIComponent(name)}`}
      className={`hover:underline ${className}`}
      title={name}
      data-testid="node-link"
    >
      {name}
    </Link>
  );
}
