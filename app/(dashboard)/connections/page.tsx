import { Card, Text, Title } from "@tremor/react";
import type { Metadata } from "next";
import Link from "next/link";
import { ConnectionsTable } from "@/components/troubleshoot/connections-table";
import { FilterForm } from "@/components/troubleshoot/filter-form";
import { ListAges } from "@/components/troubleshoot/list-ages";
import { PagedTable } from "@/components/troubleshoot/paged-table";
import { can } from "@/lib/auth/actor";
import { requirePage } from "@/lib/auth/page";
import { demandFreshLists, fleetConnectionRows, listAges } from "@/lib/troubleshoot/fleet-rows";
import { firstValues, parseFilters, type SearchParams } from "@/lib/troubleshoot/parse-filters";
import { connectionQuerySchema, queryConnections } from "@/lib/troubleshoot/queries";

export const metadata: Metadata = { title: "Connections · kamdash" };

const FIELDS = [
  { name: "node", label: "Node" },
  { name: "transport", label: "Transport", options: ["WS", "WSS", "TLS", "TCP"] },
  { name: "ip", label: "IP or CIDR", placeholder: "10.0.0.0/8" },
  { name: "user", label: "User", placeholder: "1001" },
];

export default async function ConnectionsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePage("connections.read");
  demandFreshLists();
  const raw = firstValues(await searchParams);
  const { query, errors } = parseFilters(connectionQuerySchema, raw);
  const now = new Date();
  const result = queryConnections(fleetConnectionRows(), query);
  return (
    <div className="space-y-4">
      <div>
        <Title>Connections</Title>
        <Text>
          Every TCP, TLS, WS and WSS connection the nodes hold, with the AORs registered through it.
        </Text>
        <ListAges ages={listAges()} fields={["connectionsAt", "contactsAt"]} now={now} />
      </div>
      <FilterForm fields={FIELDS} values={raw} errors={errors} />
      {result.bySourceIp.length > 0 ? (
        <Card className="p-3" data-testid="by-source-ip">
          <Text className="mb-1">Connections per source IP (top {result.bySourceIp.length})</Text>
          <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
            {result.bySourceIp.map(({ key, count }) => (
              <li key={key}>
                <Link href={`/connections?ip=${encodeURIComponent(key)}`} className="text-tremor-brand">
                  {key}
                </Link>{" "}
                {count.toLocaleString("en-US")}
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      <PagedTable page={result} path="/connections" params={raw} emptyText="No connection matches.">
        <ConnectionsTable
          rows={result.rows}
          sort={query.sort}
          dir={query.dir}
          canAct={can(actor, "ws.close")}
        />
      </PagedTable>
    </div>
  );
}
