import { Card, Text, Title } from "@tremor/react";
import type { Metadata } from "next";
import Link from "next/link";
import { RefreshServerData } from "@/components/live/refresh-server-data";
import { CallMediaCard } from "@/components/media/call-media-card";
import { ConnectionsTable } from "@/components/troubleshoot/connections-table";
import { DialogsTable } from "@/components/troubleshoot/dialogs-table";
import { EventList } from "@/components/troubleshoot/event-list";
import { ListAges } from "@/components/troubleshoot/list-ages";
import { RegistrationsTable } from "@/components/troubleshoot/registrations-table";
import { can } from "@/lib/auth/actor";
import { requirePage } from "@/lib/auth/page";
import { getDb } from "@/lib/db";
import { getEvents } from "@/lib/metrics/queries/getEvents";
import {
  demandFreshLists,
  fleetConnectionRows,
  fleetDialogRows,
  fleetRegistrationRows,
  listAges,
} from "@/lib/troubleshoot/fleet-rows";
import { userPart } from "@/lib/troubleshoot/search";

export const metadata: Metadata = { title: "User · kamdash" };

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** One user: its registrations, the connections carrying them, its live calls, and its recent events. */
export default async function UserPage({ params }: { params: Promise<{ aor: string }> }) {
  const actor = await requirePage("registrations.read");
  demandFreshLists();
  const aor = decodeURIComponent((await params).aor).slice(0, 255);
  const user = userPart(aor).toLowerCase();
  const same = (value: string) =>
    value.toLowerCase() === aor.toLowerCase() || userPart(value).toLowerCase() === user;
  const now = new Date();
  const registrations = fleetRegistrationRows().filter((r) => same(r.aor));
  const connections = fleetConnectionRows().filter((c) => c.aors.some(same));
  const calls = fleetDialogRows(Math.floor(now.getTime() / 1000)).filter(
    (d) => same(d.fromUri) || same(d.toUri),
  );
  const events = await getEvents(await getDb(), { aor, limit: 50 });
  return (
    <div className="space-y-4" data-testid="user-page">
      <div>
        <Title>{aor}</Title>
        <Text>
          {plural(registrations.length, "contact")}, {plural(connections.length, "connection")},{" "}
          {plural(calls.length, "live call")}
        </Text>
        <ListAges ages={listAges()} fields={["contactsAt", "connectionsAt", "dialogsAt"]} now={now} />
        {can(actor, "subscribers.read") ? (
          <Link href={`/subscribers/${encodeURIComponent(aor)}`} className="text-sm text-tremor-brand">
            Its subscriber account (password, remove) →
          </Link>
        ) : null}
      </div>
      <Card className="p-0">
        <Title className="px-4 pt-3">Registrations</Title>
        <RegistrationsTable rows={registrations} sort="node" dir="asc" />
        {registrations.length === 0 ? (
          <Text className="p-4">Not registered on any node right now.</Text>
        ) : null}
      </Card>
      <Card className="p-0">
        <Title className="px-4 pt-3">Connections</Title>
        <ConnectionsTable rows={connections} sort="node" dir="asc" canAct={can(actor, "ws.close")} />
        {connections.length === 0 ? <Text className="p-4">No connection carries this user.</Text> : null}
      </Card>
      <Card className="p-0">
        <Title className="px-4 pt-3">Live calls</Title>
        <DialogsTable rows={calls} sort="node" dir="asc" canAct={can(actor, "dlg.end")} />
        {calls.length === 0 ? <Text className="p-4">No live call.</Text> : null}
      </Card>
      {calls
        .filter((c) => c.state === "confirmed" || c.state === "confirmed_no_ack")
        .map((c) => (
          <CallMediaCard key={`${c.node}/${c.callId}`} call={c} />
        ))}
      <Card>
        <Title>Recent events</Title>
        <EventList events={events} now={now} />
      </Card>
      <RefreshServerData everyMs={10_000} />
    </div>
  );
}
