"use client";

import type { ColumnDef } from "@tanstack/react-table";
import Link from "next/link";
import { DataTable } from "@/components/troubleshoot/data-table";
import type { SubscriberRow } from "@/lib/provisioning/types";

const COLUMNS: ColumnDef<SubscriberRow>[] = [
  {
    id: "aor",
    header: "AOR",
    cell: ({ row }) => (
      <Link
        href={`/subscribers/${encodeURIComponent(row.original.aor)}`}
        className="text-tremor-brand"
        data-testid="subscriber-link"
      >
        {row.original.aor}
      </Link>
    ),
  },
  { id: "username", header: "Username", accessorKey: "username" },
  { id: "domain", header: "Domain", accessorKey: "domain" },
  {
    id: "troubleshoot",
    header: "",
    cell: ({ row }) => (
      <Link href={`/users/${encodeURIComponent(row.original.aor)}`} className="text-xs text-tremor-content">
        registrations, calls, events →
      </Link>
    ),
  },
];

/** One page of Kamailio's subscriber table (ordered by the server: username@domain). Text only in every cell. */
export function SubscribersTable({ rows }: { rows: SubscriberRow[] }) {
  return (
    <DataTable
      columns={COLUMNS}
      rows={rows}
      sort="aor"
      dir="asc"
      rowId={(r) => r.aor}
      testId="subscribers-table"
    />
  );
}
