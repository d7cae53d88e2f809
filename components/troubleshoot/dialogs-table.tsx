"use client";

import type { ColumnDef } from "@tanstack/react-table";
import Link from "next/link";
import { MediaBadge } from "@/components/media/media-badge";
import type { DialogRow } from "@/lib/troubleshoot/dialog-rows";
import { ActionButton } from "./action-button";
import { DataTable } from "./data-table";

function columns(canAct: boolean): ColumnDef<DialogRow>[] {
  const cols: ColumnDef<DialogRow>[] = [
    { id: "node", header: "Node", accessorKey: "node", meta: { sortable: true } },
    {
      id: "callId",
      header: "Call-ID",
      meta: { sortable: true },
      // the dialogs page filtered by one Call-ID shows that call's media legs
      cell: ({ row }) => (
        <Link href={`/dialogs?callId=${encodeURIComponent(row.original.callId)}`} className="underline">
          {row.original.callId}
        </Link>
      ),
    },
    { id: "fromUri", header: "From", accessorKey: "fromUri", meta: { sortable: true } },
    { id: "toUri", header: "To", accessorKey: "toUri" },
    { id: "state", header: "State", accessorKey: "state", meta: { sortable: true } },
    {
      id: "direction",
      header: "Bridge",
      meta: { sortable: true },
      cell: ({ row }) => row.original.direction ?? "unknown yet",
    },
    {
      id: "durationS",
      header: "Duration",
      meta: { sortable: true },
      cell: ({ row }) => (row.original.durationS === null ? "not answered" : `${row.original.durationS} s`),
    },
    {
      id: "media",
      header: "Media (RTPEngine)",
      cell: ({ row }) => <MediaBadge media={row.original.media} />,
    },
  ];
  if (canAct)
    cols.push({
      id: "actions",
      header: "",
      cell: ({ row }) => (
        <ActionButton
          label="End call"
          subject={`End call ${row.original.callId}`}
          confirmText={`End call ${row.original.fromUri} → ${row.original.toUri}? Kamailio sends BYE to both sides.`}
          url={`/api/v1/nodes/${encodeURIComponent(row.original.node)}/dialogs/${row.original.hEntry}:${row.original.hId}/end`}
          body={{ callId: row.original.callId }}
        />
      ),
    });
  return cols;
}

/** The dialogs page's table. Operators get "End call" (dlg.end_dlg). */
export function DialogsTable({
  rows,
  sort,
  dir,
  canAct,
}: {
  rows: DialogRow[];
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
      rowId={(r) => `${r.node}/${r.hEntry}:${r.hId}`}
      testId="dialogs-table"
    />
  );
}
