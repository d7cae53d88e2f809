import { Text, Title } from "@tremor/react";
import type { Metadata } from "next";
import { CallMediaCard } from "@/components/media/call-media-card";
import { DialogsTable } from "@/components/troubleshoot/dialogs-table";
import { FilterForm } from "@/components/troubleshoot/filter-form";
import { ListAges } from "@/components/troubleshoot/list-ages";
import { PagedTable } from "@/components/troubleshoot/paged-table";
import { can } from "@/lib/auth/actor";
import { requirePage } from "@/lib/auth/page";
import { dialogCounts } from "@/lib/troubleshoot/dialog-rows";
import { demandFreshLists, fleetDialogRows, listAges, mediaNotes } from "@/lib/troubleshoot/fleet-rows";
import { firstValues, parseFilters, type SearchParams } from "@/lib/troubleshoot/parse-filters";
import { dialogQuerySchema, queryDialogs } from "@/lib/troubleshoot/queries";

export const metadata: Metadata = { title: "Dialogs · kamdash" };

const FIELDS = [
  { name: "node", label: "Node" },
  { name: "user", label: "From or To", placeholder: "1001" },
  { name: "callId", label: "Call-ID" },
  { name: "state", label: "State", options: ["early", "confirmed"] },
  { name: "media", label: "Media", options: ["one_way", "no_media", "two_way", "on_hold", "unknown"] },
];

export default async function DialogsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePage("dialogs.read");
  demandFreshLists();
  const raw = firstValues(await searchParams);
  const { query, errors } = parseFilters(dialogQuerySchema, raw);
  const now = new Date();
  const rows = fleetDialogRows(Math.floor(now.getTime() / 1000));
  const counts = dialogCounts(rows);
  const oneWay = rows.filter((r) => r.media?.state === "one_way").length;
  const mediaProblems = mediaNotes();
  const result = queryDialogs(rows, query);
  return (
    <div className="space-y-4">
      <div>
        <Title>Dialogs</Title>
        <Text data-testid="dialog-counts">
          {counts.confirmed.toLocaleString("en-US")} confirmed, {counts.early.toLocaleString("en-US")} early
          (dlg.list)
          {oneWay > 0 ? (
            <span className="ml-2 font-semibold text-red-600" data-testid="one-way-count">
              · {oneWay} with one-way audio
            </span>
          ) : null}
        </Text>
        {mediaProblems.map((note) => (
          <Text key={note} className="text-amber-700">
            {note}
          </Text>
        ))}
        <ListAges ages={listAges()} fields={["dialogsAt"]} now={now} />
      </div>
      <FilterForm fields={FIELDS} values={raw} errors={errors} />
      <PagedTable page={result} path="/dialogs" params={raw} emptyText="No dialog matches.">
        <DialogsTable rows={result.rows} sort={query.sort} dir={query.dir} canAct={can(actor, "dlg.end")} />
      </PagedTable>
      {query.callId
        ? result.rows.map((row) => <CallMediaCard key={`${row.node}/${row.callId}`} call={row} />)
        : null}
    </div>
  );
}
