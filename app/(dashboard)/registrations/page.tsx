import { Card, Text, Title } from "@tremor/react";
import type { Metadata } from "next";
import { FilterForm } from "@/components/troubleshoot/filter-form";
import { ListAges } from "@/components/troubleshoot/list-ages";
import { PagedTable } from "@/components/troubleshoot/paged-table";
import { RegistrationsTable } from "@/components/troubleshoot/registrations-table";
import { requirePage } from "@/lib/auth/page";
import { getFleetSnapshot } from "@/lib/poller/live";
import { demandFreshLists, fleetRegistrationRows, listAges } from "@/lib/troubleshoot/fleet-rows";
import { firstValues, parseFilters, type SearchParams } from "@/lib/troubleshoot/parse-filters";
import { queryRegistrations, registrationQuerySchema } from "@/lib/troubleshoot/queries";

export const metadata: Metadata = { title: "Registrations · kamdash" };

const FIELDS = [
  { name: "node", label: "Node" },
  { name: "user", label: "User", placeholder: "1001" },
  { name: "transport", label: "Transport", options: ["udp", "tcp", "tls", "ws", "wss"] },
  { name: "ip", label: "IP or CIDR", placeholder: "10.0.0.0/8" },
  { name: "gone", label: "Connection", options: [{ value: "1", label: "gone only" }] },
];

export default async function RegistrationsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePage("registrations.read");
  demandFreshLists();
  const raw = firstValues(await searchParams);
  const { query, errors } = parseFilters(registrationQuerySchema, raw);
  const now = new Date();
  const result = queryRegistrations(fleetRegistrationRows(), query);
  const nodes = getFleetSnapshot(now).nodes;
  return (
    <div className="space-y-4">
      <div>
        <Title>Registrations</Title>
        <Text>
          AORs and their contacts (ul.dump), and the seed&apos;s check: sockets without a registration, and
          registrations whose connection is gone.
        </Text>
        <ListAges ages={listAges()} fields={["contactsAt", "connectionsAt"]} now={now} />
      </div>
      <Card className="p-3" data-testid="sockets-vs-registrations">
        <ul className="flex flex-wrap gap-x-8 gap-y-1 text-sm">
          {nodes.map((node) => {
            const s = node.socketsVsRegistrations;
            return (
              <li key={node.name}>
                <span className="font-medium">{node.name}</span>:{" "}
                {s
                  ? `${s.withoutRegistration} of ${s.connections} WS/WSS connections carry no registration; ${s.registrationsWithoutConnection} registrations have lost their connection`
                  : node.up
                    ? "not measured yet (needs ul.dump and core.tcp_list)"
                    : "node down"}
              </li>
            );
          })}
        </ul>
      </Card>
      <FilterForm fields={FIELDS} values={raw} errors={errors} />
      <PagedTable page={result} path="/registrations" params={raw} emptyText="No registration matches.">
        <RegistrationsTable rows={result.rows} sort={query.sort} dir={query.dir} />
      </PagedTable>
    </div>
  );
}
