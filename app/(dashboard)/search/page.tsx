import { Card, Text, Title } from "@tremor/react";
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { requirePage } from "@/lib/auth/page";
import {
  demandFreshLists,
  fleetConnectionRows,
  fleetDialogRows,
  fleetRegistrationRows,
} from "@/lib/troubleshoot/fleet-rows";
import { firstValues, type SearchParams } from "@/lib/troubleshoot/parse-filters";
import { resolveSearch } from "@/lib/troubleshoot/search";

export const metadata: Metadata = { title: "Search · kamdash" };

const LABEL = { user: "User", ip: "IP", call: "Call" } as const;

export default async function SearchPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requirePage("connections.read");
  demandFreshLists();
  const q = (firstValues(await searchParams).q ?? "").slice(0, 1024);
  const result = resolveSearch(q, {
    registrations: fleetRegistrationRows(),
    connections: fleetConnectionRows(),
    dialogs: fleetDialogRows(Math.floor(Date.now() / 1000)),
  });
  if (result.redirect) redirect(result.redirect);
  return (
    <div className="space-y-4">
      <Title>Search</Title>
      {q === "" ? (
        <Text>Type a user, an IP address (or CIDR range) or a Call-ID in the search box.</Text>
      ) : result.matches.length === 0 ? (
        <Text data-testid="search-none">
          Nothing the nodes hold right now matches “{q}”. A user who is not registered has no live data; their
          recent events are on{" "}
          <Link href={`/users/${encodeURIComponent(q)}`} className="text-tremor-brand">
            their user page
          </Link>
          .
        </Text>
      ) : (
        <Card data-testid="search-matches">
          <Text>
            {result.matches.length} matches for “{q}”
          </Text>
          <ul className="mt-2 space-y-1 text-sm">
            {result.matches.map((m) => (
              <li key={m.href}>
                {LABEL[m.kind]}:{" "}
                <Link href={m.href} className="text-tremor-brand">
                  {m.kind === "user" ? m.aor : m.kind === "ip" ? m.ip : `${m.callId} on ${m.node}`}
                </Link>
              </li>
            ))}
          </ul>
        </Card>
      )}
    </div>
  );
}
