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
import { formatAge, type NodeTone, nodeTone, pollAgeMs, valuesAgeMs } from "@/components/live/fleet-view";
import type { NodeNumbers, OverviewNode } from "@/lib/poller/snapshot";
import {
  BranchRateCell,
  KamailioCell,
  NodeNameLink,
  NumberCell,
  ProbeLines,
  RejectedLine,
  SessionsCell,
  SocketsCell,
} from "./node-cells";

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
  { key: "rtpengineTotal", label: "of" },
];

function NodeRow({ node, elapsedMs }: { node: OverviewNode; elapsedMs: number }) {
  const tone = nodeTone(node, elapsedMs);
  const badge = badges[tone];
  const lastKnown = !node.up;
  return (
    <TableRow data-testid="node-row" data-node={node.name} data-tone={tone}>
      <TableCell>
        <NodeNameLink name={node.name} className="font-medium text-tremor-content-strong" />
        {node.error ? (
          <div className="max-w-xs whitespace-normal break-words text-xs text-red-600" title={node.error}>
            {node.error}
          </div>
        ) : null}
        <ProbeLines node={node} elapsedMs={elapsedMs} />
        <RejectedLine node={node} />
      </TableCell>
      <TableCell>
        <Badge color={badge.color} data-testid="node-status">
          {badge.label}
          {tone === "stale" ? (node.up ? " (was up)" : " (was down)") : ""}
        </Badge>
      </TableCell>
      <KamailioCell node={node} elapsedMs={elapsedMs} />
      {columns.map(({ key }) => (
        <NumberCell key={key} node={node} numberKey={key} elapsedMs={elapsedMs} />
      ))}
      <BranchRateCell node={node} />
      <SessionsCell node={node} />
      <SocketsCell node={node} elapsedMs={elapsedMs} />
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

/**
 * One row per node: status, the probes that are not ok, Kamailio's version and uptime, each number (in grey
 * italics when it is a last-known or stale value, "—" with the reason when missing) and the age of its last poll.
 */
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
          <TableHeaderCell>Kamailio</TableHeaderCell>
          {columns.map((c) => (
            <TableHeaderCell key={c.key} className="text-right">
              {c.label}
            </TableHeaderCell>
          ))}
          <TableHeaderCell
            className="text-right"
            title="worst bridge direction, last 5 min (seed: under 1 %)"
          >
            Branch failures
          </TableHeaderCell>
          <TableHeaderCell
            className="text-right"
            title="RTPEngine sessions / answered calls (seed: one per call)"
          >
            Sessions / calls
          </TableHeaderCell>
          <TableHeaderCell className="text-right" title="WS/WSS connections that carry no registration">
            Sockets w/o reg.
          </TableHeaderCell>
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
