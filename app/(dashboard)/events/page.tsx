import { Card, Text, Title } from "@tremor/react";
import type { Metadata } from "next";
import { RefreshServerData } from "@/components/live/refresh-server-data";
import { EventList } from "@/components/troubleshoot/event-list";
import { FilterForm } from "@/components/troubleshoot/filter-form";
import { requirePage } from "@/lib/auth/page";
import { getDb } from "@/lib/db";
import { eventsQuerySchema, getEvents } from "@/lib/metrics/queries/getEvents";
import { firstValues, parseFilters, type SearchParams } from "@/lib/troubleshoot/parse-filters";

export const metadata: Metadata = { title: "Events · kamdash" };

const WITHIN = { "15m": 15 * 60_000, "1h": 3_600_000, "24h": 86_400_000, "7d": 7 * 86_400_000 } as const;

const FIELDS = [
  { name: "node", label: "Node" },
  { name: "kind", label: "Kind", placeholder: "registration_removed" },
  { name: "aor", label: "User (AOR)" },
  { name: "callId", label: "Call-ID" },
  { name: "within", label: "Within", options: Object.keys(WITHIN) },
];

/** Events fleet-wide, per node, per user or per call, newest first, within a time window. */
export default async function EventsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePage("events.read");
  const raw = firstValues(await searchParams);
  const now = new Date();
  const within = WITHIN[raw.within as keyof typeof WITHIN] ?? WITHIN["24h"];
  const { query, errors } = parseFilters(eventsQuerySchema, {
    ...raw,
    since: new Date(now.getTime() - within).toISOString(),
    limit: raw.limit ?? "200",
  });
  const events = await getEvents(await getDb(), query);
  return (
    <div className="space-y-4">
      <div>
        <Title>Events</Title>
        <Text>
          Nodes down and up, restarts, probes, media servers disabled and enabled (rtpengine_disabled,
          rtpengine_enabled), alerts, connections, registrations, dialogs and the canary; newest first, at
          most {query.limit}.
        </Text>
      </div>
      <FilterForm fields={FIELDS} values={{ within: "24h", ...raw }} errors={errors} />
      <Card>
        <EventList events={events} now={now} />
      </Card>
      <RefreshServerData everyMs={15_000} />
    </div>
  );
}
