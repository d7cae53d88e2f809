"use client";

import { type ColumnDef, flexRender, getCoreRowModel, useReactTable } from "@tanstack/react-table";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@tremor/react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";

/**
 * One page of rows sorted and cut on the server (TanStack Table in manual mode): clicking a sortable header
 * changes `sort`/`dir` in the URL and the server answers with the new page. Cells render text only.
 */
export function DataTable<Row>({
  columns,
  rows,
  sort,
  dir,
  rowId,
  testId,
}: {
  /** Column ids that the server can sort by are listed in `meta.sortable`. */
  columns: ColumnDef<Row>[];
  rows: Row[];
  sort: string;
  dir: "asc" | "desc";
  rowId: (row: Row) => string;
  testId: string;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const table = useReactTable({
    data: rows,
    columns,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    manualPagination: true,
    getRowId: rowId,
    state: { sorting: [{ id: sort, desc: dir === "desc" }] },
  });

  const sortBy = (id: string) => {
    const next = new URLSearchParams(params.toString());
    next.set("dir", sort === id && dir === "asc" ? "desc" : "asc");
    next.set("sort", id);
    next.delete("page");
    router.push(`${pathname}?${next.toString()}`);
  };

  return (
    <Table data-testid={testId}>
      <TableHead>
        {table.getHeaderGroups().map((group) => (
          <TableRow key={group.id}>
            {group.headers.map((header) => {
              const sortable = (header.column.columnDef.meta as { sortable?: boolean } | undefined)?.sortable;
              const label = flexRender(header.column.columnDef.header, header.getContext());
              return (
                <TableHeaderCell
                  key={header.id}
                  aria-sort={sort === header.id ? (dir === "asc" ? "ascending" : "descending") : undefined}
                >
                  {sortable ? (
                    <button
                      type="button"
                      className="hover:text-tremor-brand"
                      onClick={() => sortBy(header.id)}
                    >
                      {label}
                      {sort === header.id ? (dir === "asc" ? " ▲" : " ▼") : ""}
                    </button>
                  ) : (
                    label
                  )}
                </TableHeaderCell>
              );
            })}
          </TableRow>
        ))}
      </TableHead>
      <TableBody>
        {table.getRowModel().rows.map((row) => (
          <TableRow key={row.id} data-testid={`${testId}-row`}>
            {row.getVisibleCells().map((cell) => (
              <TableCell key={cell.id} className="whitespace-normal break-words align-top">
                {flexRender(cell.column.columnDef.cell, cell.getContext())}
              </TableCell>
            ))}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
