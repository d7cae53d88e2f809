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
} from "@/components/live/fleet-view";
import { probeLine, probeTitle, readingTitle } from "@/components/live/reading-text";
import type { ProbeState, ProbeStatus } from "@/lib/poller/readings";
import type { NodeNumbers, OverviewNode } from "@/lib/poller/snapshot";

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
 * One number of a node: plain when fresh; grey italic with its age when it is a stale last good value (or the
 * node is down); "—" and the state word when there is none, the reason in the title. Never a made-up 0.
 */
export function NumberCell({
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
    <TableCell
      className={`text-right tabular-nums ${old ? "text-tremor-content-subtle italic" : ""}`}
      title={title ?? undefined}
    >
      <span data-testid={`node-${numberKey}`} data-value={value ?? ""} data-state={state}>
        {formatCount(value)}
      </span>
      {value === null && reading && reading.state !== "ok" ? (
        <span className={`ml-1 text-xs ${stateColors[reading.state]}`}>{reading.state}</span>
      ) : null}
      {ageMs !== null ? <div className="text-xs">{formatAge(ageMs)} old</div> : null}
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
      className={`max-w-xs whitespace-normal break-words text-xs ${stateColors[probe.state]}`}
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
    <div
      className="max-w-xs whitespace-normal break-words text-xs text-red-600"
      title={lines.join("\n")}
      data-testid="rejected-values"
    >
      rejected: {lines.join("; ")}
    </div>
  );
}

/** "5.6.3 · up 3 h 5 min", and "restarted 2 min ago" after a recent restart. */
export function KamailioCell({ node, elapsedMs }: { node: OverviewNode; elapsedMs: number }) {
  const info = node.kamailio;
  const version = info?.version ?? info?.versionText ?? "—";
  const uptimeMs = node.up && info?.uptimeS != null ? info.uptimeS * 1000 + pollAgeMs(node, elapsedMs) : null;
  const restartedAgo = timeAgeMs(node, info?.restartedAt ?? null, elapsedMs);
  const recentRestart = restartedAgo !== null && restartedAgo <= RECENT_RESTART_MS;
  return (
    <TableCell className="whitespace-nowrap tabular-nums" title={info?.versionText ?? undefined}>
      <span data-testid="kamailio-info" data-version={info?.version ?? ""}>
        {version}
        {uptimeMs !== null ? ` · up ${formatAge(uptimeMs)}` : ""}
      </span>
      {recentRestart ? (
        <div className="text-xs text-amber-700" data-testid="kamailio-restarted">
          restarted {formatAge(restartedAgo)} ago
        </div>
      ) : null}
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
      className={`whitespace-nowrap text-right tabular-nums ${branchToneClasses[view.tone]}`}
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

/** Share of WS/WSS connections without a registration above which the cell turns amber. */
export const SOCKETS_WITHOUT_REGISTRATION_WARNING = 0.1;

/**
 * WS/WSS connections carrying no registration (of all), and registrations whose connection is gone, from the
 * last ul.dump joined with core.tcp_list; its own age, as ul.dump comes on the heavy-list cadence.
 */
export function SocketsCell({ node, elapsedMs }: { node: OverviewNode; elapsedMs: number }) {
  const s = node.up ? node.socketsVsRegistrations : null;
  if (!s) {
    return (
      <TableCell
        className="text-right text-tremor-content-subtle"
        title="no ul.dump joined with core.tcp_list"
      >
        <span data-testid="node-sockets">—</span>
      </TableCell>
    );
  }
  const warn =
    (s.shareWithout ?? 0) >= SOCKETS_WITHOUT_REGISTRATION_WARNING || s.registrationsWithoutConnection > 0;
  const share = s.shareWithout === null ? "" : ` (${Math.round(s.shareWithout * 100)} %)`;
  const age = formatAge(timeAgeMs(node, s.measuredAt, elapsedMs));
  return (
    <TableCell
      className={`whitespace-nowrap text-right tabular-nums ${warn ? "text-amber-700" : ""}`}
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
        className="text-right text-tremor-content-subtle"
        title="sessions or calls unknown (NG statistics or dialogs)"
      >
        <span data-testid="node-sessions">—</span>
      </TableCell>
    );
  }
  return (
    <TableCell
      className={`whitespace-nowrap text-right tabular-nums ${s.gap === 0 ? "" : "text-amber-700"}`}
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
      data-testid="node-link"
    >
      {name}
    </Link>
  );
}
