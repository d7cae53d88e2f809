import { Card, Text, Title } from "@tremor/react";
import type { Metadata } from "next";
import Link from "next/link";
import { AddSubscriberForm } from "@/components/provisioning/add-subscriber-form";
import { ProvisioningStatusNote } from "@/components/provisioning/provisioning-status";
import { RemovedNote, withoutRemovedNote } from "@/components/provisioning/removed-note";
import { SubscribersTable } from "@/components/provisioning/subscribers-table";
import { FilterForm } from "@/components/troubleshoot/filter-form";
import { PagedTable } from "@/components/troubleshoot/paged-table";
import { can } from "@/lib/auth/actor";
import { requirePage } from "@/lib/auth/page";
import { provisioningStatus } from "@/lib/provisioning/config";
import { listSubscribers } from "@/lib/provisioning/service";
import { subscriberListQuerySchema } from "@/lib/provisioning/types";
import { firstValues, parseFilters, type SearchParams } from "@/lib/troubleshoot/parse-filters";

export const metadata: Metadata = { title: "Subscribers · kamdash" };

const FIELDS = [{ name: "q", label: "Search (user or domain)", placeholder: "1001 or example.org" }];

/** Kamailio's subscriber table: search and pages (server side); operators add users here and import CSV files. */
export default async function SubscribersPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePage("subscribers.read");
  const status = provisioningStatus();
  const header = (
    <div>
      <Title>Subscribers</Title>
      <Text>
        The SIP users Kamailio authenticates (its subscriber table), including those added with kamctl or
        kamcli.
      </Text>
    </div>
  );
  if (!status.configured)
    return (
      <div className="space-y-4">
        {header}
        <ProvisioningStatusNote status={status} />
      </div>
    );

  const raw = firstValues(await searchParams);
  const { query, errors } = parseFilters(subscriberListQuerySchema, raw);
  const canWrite = can(actor, "subscribers.write");
  const listed = await listSubscribers(query).then(
    (page) => ({ ok: true as const, page }),
    (error: unknown) => ({
      ok: false as const,
      message: error instanceof Error ? error.message : String(error),
    }),
  );
  return (
    <div className="space-y-4">
      {header}
      <ProvisioningStatusNote status={status} />
      <RemovedNote params={raw} />
      {canWrite ? (
        <Card className="space-y-3">
          <Title>Add a user</Title>
          {status.domains.length > 0 ? (
            <AddSubscriberForm domains={status.domains} minLength={status.minPasswordLength} />
          ) : (
            <Text>
              No served domain is configured: set KAMDASH_SIP_DOMAINS (comma separated) and restart kamdash.
            </Text>
          )}
        </Card>
      ) : null}
      <div className="flex flex-wrap items-end justify-between gap-3">
        <FilterForm fields={FIELDS} values={raw} errors={errors} />
        <span className="flex gap-4 text-sm">
          {canWrite ? (
            <Link href="/subscribers/import" className="text-tremor-brand">
              Import CSV…
            </Link>
          ) : null}
          <a href="/api/v1/subscribers/export" className="text-tremor-brand" download>
            Export CSV (username, domain; no secrets)
          </a>
        </span>
      </div>
      {listed.ok ? (
        <PagedTable
          page={{ ...listed.page, pages: Math.max(1, Math.ceil(listed.page.total / listed.page.pageSize)) }}
          path="/subscribers"
          params={withoutRemovedNote(raw)}
          emptyText={query.q ? "No subscriber matches." : "The subscriber table is empty."}
        >
          <SubscribersTable rows={listed.page.rows} />
        </PagedTable>
      ) : (
        <Card data-testid="subscribers-unreadable">
          <Text className="text-red-600">Could not read the subscriber table: {listed.message}</Text>
        </Card>
      )}
    </div>
  );
}
