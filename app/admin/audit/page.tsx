import {
  Card,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeaderCell,
  TableRow,
  Text,
  Title,
} from "@tremor/react";
import type { Metadata } from "next";
import { FilterForm } from "@/components/troubleshoot/filter-form";
import { requirePage } from "@/lib/auth/page";
import { getDb } from "@/lib/db";
import { auditQuerySchema, getAuditLog } from "@/lib/metrics/queries/getAuditLog";
import { firstValues, parseFilters, type SearchParams } from "@/lib/troubleshoot/parse-filters";

export const metadata: Metadata = { title: "Audit log · kamdash" };

const FIELDS = [
  { name: "actor", label: "Who", placeholder: "operator:alice" },
  { name: "action", label: "Action", placeholder: "dialog.end or node." },
  { name: "target", label: "Target contains" },
];

/** Who did what to which target, when, and how it ended. Read-only: the app has no way to edit or delete a row. */
export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePage("audit.read");
  const raw = firstValues(await searchParams);
  const { query, errors } = parseFilters(auditQuerySchema, raw);
  const rows = await getAuditLog(await getDb(), query);
  return (
    <div className="space-y-4">
      <Title>Audit log</Title>
      <Text>
        Newest first, at most {query.limit} rows. Rows are written with each change and never edited.
      </Text>
      <FilterForm fields={FIELDS} values={raw} errors={errors} />
      <Card className="p-0">
        <Table data-testid="audit-table">
          <TableHead>
            <TableRow>
              <TableHeaderCell>When</TableHeaderCell>
              <TableHeaderCell>Who</TableHeaderCell>
              <TableHeaderCell>Action</TableHeaderCell>
              <TableHeaderCell>Target</TableHeaderCell>
              <TableHeaderCell>Result</TableHeaderCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map((row) => (
              <TableRow key={row.id} data-testid="audit-row">
                <TableCell>
                  <time dateTime={row.at}>{row.at.replace("T", " ").slice(0, 19)} UTC</time>
                </TableCell>
                <TableCell>{row.actor}</TableCell>
                <TableCell className="font-mono text-xs">{row.action}</TableCell>
                <TableCell className="whitespace-normal break-all">{row.target ?? "—"}</TableCell>
                <TableCell className={row.result === "ok" ? "" : "text-red-600"}>{row.result}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        {rows.length === 0 ? <Text className="p-4">No audit row matches.</Text> : null}
      </Card>
    </div>
  );
}
