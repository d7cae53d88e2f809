"use client";

import type { ColumnDef } from "@tanstack/react-table";
import Link from "next/link";
import type { RegistrationRow } from "@/lib/troubleshoot/registration-rows";
import { DataTable } from "./data-table";

const COLUMNS: ColumnDef<RegistrationRow>[] = [
  { id: "node", header: "Node", accessorKey: "node", meta: { sortable: true } },
  {
    id: "aor",
    header: "AOR",
    meta: { sortable: true },
    cell: ({ row }) => (
      <Link href={`/users/${encodeURIComponent(row.original.aor)}`} className="text-tremor-brand">
        {row.original.aor}
      </Link>
    ),
  },
  { id: "contact", header: "Contact", accessorKey: "contact" },
  {
    id: "transport",
    header: "Transport",
    meta: { sortable: true },
    cell: ({ row }) => row.original.transport ?? "—",
  },
  { id: "received", header: "Received", cell: ({ row }) => row.original.received ?? "—" },
  {
    id: "expiresS",
    header: "Expires",
    meta: { sortable: true },
    cell: ({ row }) => (row.original.expiresS === null ? "permanent" : `in ${row.original.expiresS} s`),
  },
  { id: "userAgent", header: "User-Agent", cell: ({ row }) => row.original.userAgent ?? "—" },
  {
    id: "connectionId",
    header: "Connection",
    meta: { sortable: true },
    cell: ({ row }) => {
      const { connectionId, connectionGone } = row.original;
      if (connectionId === null) return "none (UDP)";
      if (connectionGone === null) return `${connectionId} (core.tcp_list not read)`;
      return connectionGone ? (
        <span className="font-medium text-red-600" data-testid="connection-gone">
          {connectionId}: gone
        </span>
      ) : (
        String(connectionId)
      );
    },
  },
];

/** The registrations page's table: a contact whose connection is gone is marked in red. */
export function RegistrationsTable({
  rows,
  sort,
  dir,
}: {
  rows: RegistrationRow[];
  sort: string;
  dir: "asc" | "desc";
}) {
  return (
    <DataTable
      columns={COLUMNS}
      rows={rows}
      sort={sort}
      dir={dir}
      rowId={(r) => `${r.node}/${r.aor}/${r.contact}`}
      testId="registrations-table"
    />
  );
}
