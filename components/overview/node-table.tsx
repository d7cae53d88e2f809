"use client";

import {
  type ColumnDef,
  type ColumnFiltersState,
  getCoreRowModel,
  getFilteredRowModel,
  getSortedRowModel,
  type SortingState,
  type Updater,
  useReactTable,
} from "@tanstack/react-table";
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
import { useMemo } from "react";
import { type NodeTone, nodeTone } from "@/components/live/fleet-view";
import type { OverviewNode } from "@/lib/poller/snapshot";
import {
  BranchRateCell,
  CELL,
  KamailioCell,
  NodeNameLink,
  NumberPairCell,
  ProbeLines,
  RejectedLine,
  SessionsCell,
  SocketsCell,
} from "./node-cells";
import { matchesStatus, problemsFirst, type SortKey, type StatusFilter, sortValue } from "./node-order";
import { NodeTableControls } from "./node-table-controls";
import { useNodeView } from "./use-node-view";

const badges: Record<NodeTone, { color: "emerald" | "red" | "gray"; label: string }> = {
  ok: { color: "emerald", label: "up" },
  down: { color: "red", label: "down" },
  stale: { color: "gray", label: "stale" },
};

type Column = { id: string; label: string; title: string; sort: SortKey | null; right: boolean };

/** The table's columns, in row order: combined where numbers belong together, so the table fits 1600 px. */
const COLUMNS: Column[] = [
  { id: "name", label: "Node", title: "node name; problems and errors below it", sort: "name", right: false },
  {
    id: "status",
    label: "Status",
    title: "down first, then stale, then probe or health problems",
    sort: "status",
    right: false,
  },
  {
    id: "connections",
    label: "WS / WSS",
    title: "WebSocket / secure WebSocket connections",
    sort: "connections",
    right: true,
  },
  {
    id: "registrations",
    label: "Reg. / AORs",
    title: "registrations (contacts) / AORs",
    sort: "registrations",
    right: true,
  },
  {
    id: "dialogs",
    label: "Dialogs / early",
    title: "active dialogs / early (ringing) dialogs",
    sort: "dialogs",
    right: true,
  },
  {
    id: "rtpengine",
    label: "RTPEngine",
    title: "RTPEngine instances up / listed by Kamailio (rtpengine.show)",
    sort: null,
    right: true,
  },
  {
    id: "branch",
    label: "Branch fail.",
    title: "worst bridge direction's branch failures, last 5 min (seed: under 1 %)",
    sort: "branch",
    right: true,
  },
  {
    id: "sessions",
    label: "Sess. / calls",
    title: "RTPEngine sessions / answered calls (seed: one per call)",
    sort: "sessions",
    right: true,
  },
  {
    id: "sockets",
    label: "Sockets w/o reg.",
    title: "WS/WSS connections that carry no registration, of all",
    sort: "sockets",
    right: true,
  },
  {
    id: "kamailio",
    label: "Kamailio · poll",
    title: "Kamailio version and uptime; the last poll's age and duration",
    sort: null,
    right: false,
  },
];

function NodeRow({ node, elapsedMs }: { node: OverviewNode; elapsedMs: number }) {
  const tone = nodeTone(node, elapsedMs);
  const badge = badges[tone];
  return (
    <TableRow data-testid="node-row" data-node={node.name} data-tone={tone}>
      <TableCell className={CELL}>
        {/* a table cell ignores max-width: the box inside it holds the name (and each line) to one cut line */}
        <div className="max-w-52">
          <NodeNameLink name={node.name} className="block truncate font-medium text-tremor-content-strong" />
          {node.error ? (
            <div className="truncate text-xs text-red-600" title={node.error} data-testid="node-error">
              {node.error}
            </div>
          ) : null}
          <ProbeLines node={node} elapsedMs={elapsedMs} />
          <RejectedLine node={node} />
        </div>
      </TableCell>
      <TableCell className={CELL}>
        <Badge color={badge.color} data-testid="node-status">
          {badge.label}
          {tone === "stale" ? (node.up ? " (was up)" : " (was down)") : ""}
        </Badge>
      </TableCell>
      <NumberPairCell node={node} keys={["ws", "wss"]} elapsedMs={elapsedMs} />
      <NumberPairCell node={node} keys={["registrations", "aors"]} elapsedMs={elapsedMs} />
      <NumberPairCell node={node} keys={["dialogsActive", "dialogsEarly"]} elapsedMs={elapsedMs} />
      <NumberPairCell node={node} keys={["rtpengineUp", "rtpengineTotal"]} elapsedMs={elapsedMs} />
      <BranchRateCell node={node} />
      <SessionsCell node={node} />
      <SocketsCell node={node} elapsedMs={elapsedMs} />
      <KamailioCell node={node} elapsedMs={elapsedMs} />
    </TableRow>
  );
}

const sortMarks = { asc: " ▲", desc: " ▼" } as const;

/**
 * One compact row per node, problems first (down, stale, probe or health problems, then by name) unless the URL
 * asks for a column's order (?sort=&dir=); filtered by name text (?q=) and status (?status=). Each number is in
 * grey italics when it is a last-known or stale value, "—" with the reason when missing; long names and errors
 * are cut with their full text in the title.
 */
export function NodeTable({ nodes, elapsedMs }: { nodes: OverviewNode[]; elapsedMs: number }) {
  const [view, setView] = useNodeView();
  const data = useMemo(() => problemsFirst(nodes, elapsedMs), [nodes, elapsedMs]);
  const columns = useMemo<ColumnDef<OverviewNode>[]>(
    () =>
      COLUMNS.map((c) => ({
        id: c.id,
        accessorFn: (node: OverviewNode) => (c.sort ? sortValue(node, c.sort, elapsedMs) : null),
        enableSorting: c.sort !== null,
        sortUndefined: "last" as const,
        sortingFn: c.id === "name" ? ("text" as const) : ("basic" as const),
        sortDescFirst: false,
        filterFn:
          c.id === "name"
            ? (row, _id, q: string) => row.original.name.toLowerCase().includes(q.trim().toLowerCase())
            : c.id === "status"
              ? (row, _id, status: StatusFilter) => matchesStatus(row.original, status, elapsedMs)
              : undefined,
      })),
    [elapsedMs],
  );
  // the same arrays while the view stays: a new array each render makes the table recompute its rows and (with
  // its default page-index reset) set its own state again, a render loop that froze the page
  const sorting = useMemo<SortingState>(
    () => (view.sort ? [{ id: view.sort, desc: view.desc }] : []),
    [view.sort, view.desc],
  );
  const columnFilters = useMemo<ColumnFiltersState>(
    () => [
      ...(view.q.trim() ? [{ id: "name", value: view.q }] : []),
      ...(view.status ? [{ id: "status", value: view.status }] : []),
    ],
    [view.q, view.status],
  );
  const table = useReactTable({
    data,
    columns,
    state: { sorting, columnFilters },
    getRowId: (node) => node.name,
    // no pagination: nothing to reset when the rows change
    autoResetPageIndex: false,
    onSortingChange: (updater: Updater<SortingState>) => {
      const next = typeof updater === "function" ? updater(sorting) : updater;
      const first = next[0];
      setView({ sort: first ? (first.id as SortKey) : null, desc: first?.desc ?? false });
    },
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getFilteredRowModel: getFilteredRowModel(),
  });

  if (nodes.length === 0) {
    return <Text>No nodes are being polled yet. Add one with `kamdash node add` or set KAMAILIO_NODES.</Text>;
  }
  const rows = table.getRowModel().rows;
  return (
    <div className="space-y-3">
      <NodeTableControls view={view} onChange={setView} shown={rows.length} total={nodes.length} />
      <Table data-testid="node-table">
        <TableHead>
          <TableRow>
            {table.getFlatHeaders().map((header) => {
              const column = COLUMNS.find((c) => c.id === header.id);
              const sorted = header.column.getIsSorted();
              const label = column?.label ?? header.id;
              return (
                <TableHeaderCell
                  key={header.id}
                  className={`${CELL} ${column?.right ? "text-right" : ""}`}
                  title={column?.title}
                  data-testid={`node-col-${header.id}`}
                  data-sort={sorted || "none"}
                  aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
                >
                  {header.column.getCanSort() ? (
                    <button
                      type="button"
                      className="whitespace-nowrap hover:underline"
                      onClick={header.column.getToggleSortingHandler()}
                    >
                      {label}
                      {sorted ? sortMarks[sorted] : ""}
                    </button>
                  ) : (
                    <span className="whitespace-nowrap">{label}</span>
                  )}
                </TableHeaderCell>
              );
            })}
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map((row) => (
            <NodeRow key={row.id} node={row.original} elapsedMs={elapsedMs} />
          ))}
        </TableBody>
      </Table>
      {rows.length === 0 ? <Text>No node matches the filter.</Text> : null}
    </div>
  );
}
