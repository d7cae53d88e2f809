"use client";

import type { ColumnDef } from "@tanstack/react-table";
import Link from "next/link";
import type { ConnectionRow } from "@/lib/troubleshoot/connection-rows";
import { ActionButton } from "./action-button";
import { DataTable } from "./data-table";

const nodePath = (row: ConnectionRow) =>
  `/api/v1/nodes/${encodeURIComponent(row.node)}/connections/${row.id}`;

function columns(canAct: boolean): ColumnDef<ConnectionRow>[] {
  const cols: ColumnDef<ConnectionRow>[] = [
    { id: "node", header: "Node", accessorKey: "node", meta: { sortable: true } },
    { id: "id", header: "ID", accessorKey: "id", meta: { sortable: true } },
    { id: "transport", header: "Transport", accessorKey: "transport", meta: { sortable: true } },
    {
      id: "sourceIp",
      header: "Source",
      meta: { sortable: true },
      cell: ({ row }) => `${row.original.sourceIp}:${row.original.sourcePort}`,
    },
    { id: "state", header: "State", accessorKey: "state", meta: { sortable: true } },
    {
      id: "aors",
      header: "AOR",
      meta: { sortable: true },
      cell: ({ row }) =>
        row.original.aors.length === 0
          ? "no registration"
          : row.original.aors.map((aor) => (
              <Link key={aor} href={`/users/${encodeURIComponent(aor)}`} className="mr-2 text-tremor-brand">
                {aor}
              </Link>
            )),
    },
    { id: "userAgent", header: "User-Agent", cell: ({ row }) => row.original.userAgent ?? "—" },
    {
      id: "lastUsedS",
      header: "Last used",
      meta: { sortable: true },
      cell: ({ row }) =>
        row.original.lastUsedS === null ? "not in ws.dump" : `${row.original.lastUsedS} s ago`,
    },
    {
      id: "awaitingPong",
      header: "Pong",
      cell: ({ row }) =>
        row.original.awaitingPong === null ? "—" : row.original.awaitingPong ? "awaiting pong" : "ok",
    },
  ];
  if (canAct)
    cols.push({
      id: "actions",
      header: "",
      cell: ({ row }) => (
        <span className="flex gap-2">
          <ActionButton
            label="Ping"
            subject={`Ping connection ${row.original.id}`}
            confirmText={`Ping connection ${row.original.id}?`}
            url={`${nodePath(row.original)}/ping`}
          />
          <ActionButton
            label="Close"
            subject={`Close connection ${row.original.id} (${row.original.sourceIp})`}
            confirmText={`Close connection ${row.original.id} from ${row.original.sourceIp}?`}
            url={`${nodePath(row.original)}/close`}
          />
        </span>
      ),
    });
  return cols;
}

/** The connections page's table (one server-sorted page). Operators get ping and close buttons. */
export function ConnectionsTable({
  rows,
  sort,
  dir,
  canAct,
}: {
  rows: ConnectionRow[];
  sort: string;
  dir: "asc" | "desc";
  canAct: boolean;
}) {
  return (
    <DataTable
      columns={columns(canAct)}
      rows={rows}
      sort={sort}
      dir={dir}
      rowId={(r) => `${r.node}/${r.id}`}
      testId="connections-table"
    />
  );
}
