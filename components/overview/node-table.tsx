import {
  Badge,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeaderCell,
  TableRow,
  Text,
} from "@tremor/react";
import {
  formatAge,
  formatCount,
  type NodeTone,
  nodeTone,
  pollAgeMs,
  shownNumber,
  valuesAgeMs,
} from "@/components/live/fleet-view";
import type { NodeNumbers, OverviewNode } from "@/lib/poller/snapshot";

const badges: Record<NodeTone, { color: "emerald" | "red" | "gray"; label: string }> = {
  ok: { color: "emerald", label: "up" },
  down: { color: "red", label: "down" },
  stale: { color: "gray", label: "stale" },
};

const columns: { key: keyof NodeNumbers; label: string }[] = [
  { key: "ws", label: "WS" },
  { key: "wss", label: "WSS" },
  { key: "registrations", label: "Registrations" },
  { key: "aors", label: "AORs" },
  { key: "dialogsActive", label: "Dialogs" },
  { key: "dialogsEarly", label: "Early" },
  { key: "rtpengineUp", label: "RTPEngine up" },
  { key: "rtpengineTotal", label: "RTPEngine total" },
];

function NodeRow({ node, elapsedMs }: { node: OverviewNode; elapsedMs: number }) {
  const tone = nodeTone(node, elapsedMs);
  const badge = badges[tone];
  const lastKnown = !node.up;
  return (
    <TableRow data-testid="node-row" data-node={node.name} data-tone={tone}>
      <TableCell>
        <div className="font-medium text-tremor-content-strong">{node.name}</div>
        {node.error ? (
          <div className="max-w-xs truncate text-xs text-red-600" title={node.error}>
            {node.error}
          </div>
        ) : null}
        {node.up && node.unavailable.length > 0 ? (
          <div
            className="text-xs text-tremor-content-subtle"
            title={node.unavailable.map((u) => u.reason).join("\n")}
            data-testid="node-unavailable"
          >
            not on this node: {node.unavailable.map((u) => u.probe).join(", ")}
          </div>
        ) : null}
      </TableCell>
      <TableCell>
        <Badge color={badge.color} data-testid="node-status">
          {badge.label}
          {tone === "stale" ? (node.up ? " (was up)" : " (was down)") : ""}
        </Badge>
      </TableCell>
      {columns.map(({ key }) => {
        const value = shownNumber(node, key);
        return (
          <TableCell
            key={key}
            className={`text-right tabular-nums ${lastKnown ? "text-tremor-content-subtle italic" : ""}`}
            title={lastKnown ? "last value seen while the node was up" : undefined}
          >
            <span data-testid={`node-${key}`} data-value={value ?? ""}>
              {formatCount(value)}
            </span>
          </TableCell>
        );
      })}
      <TableCell className="whitespace-nowrap tabular-nums">
        {formatAge(pollAgeMs(node, elapsedMs))} ago
        {lastKnown ? (
          <div className="text-xs text-tremor-content-subtle">
            values from {formatAge(valuesAgeMs(node, elapsedMs))} ago
          </div>
        ) : null}
      </TableCell>
      <TableCell className="text-right tabular-nums">{node.durationMs} ms</TableCell>
    </TableRow>
  );
}

/** One row per node: status, each number (last-known, in italics, while down) and the age of its last poll. */
export function NodeTable({ nodes, elapsedMs }: { nodes: OverviewNode[]; elapsedMs: number }) {
  if (nodes.length === 0) {
    return <Text>No nodes are being polled yet. Add one with `kamdash node add` or set KAMAILIO_NODES.</Text>;
  }
  return (
    <Table>
      <TableHead>
        <TableRow>
          <TableHeaderCell>Node</TableHeaderCell>
          <TableHeaderCell>Status</TableHeaderCell>
          {columns.map((c) => (
            <TableHeaderCell key={c.key} className="text-right">
              {c.label}
            </TableHeaderCell>
          ))}
          <TableHeaderCell>Last poll</TableHeaderCell>
          <TableHeaderCell className="text-right">Poll took</TableHeaderCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {nodes.map((node) => (
          <NodeRow key={node.name} node={node} elapsedMs={elapsedMs} />
        ))}
      </TableBody>
    </Table>
  );
}
