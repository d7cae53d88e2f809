import { Card, Text, Title } from "@tremor/react";
import type { Metadata } from "next";
import Link from "next/link";
import { formatAge } from "@/components/live/fleet-view";
import { RefreshServerData } from "@/components/live/refresh-server-data";
import { ChangePasswordForm } from "@/components/provisioning/change-password-form";
import { ProvisioningStatusNote } from "@/components/provisioning/provisioning-status";
import { RemoveSubscriber } from "@/components/provisioning/remove-subscriber";
import { ConnectionsTable } from "@/components/troubleshoot/connections-table";
import { RegistrationsTable } from "@/components/troubleshoot/registrations-table";
import { can } from "@/lib/auth/actor";
import { requirePage } from "@/lib/auth/page";
import { provisioningStatus } from "@/lib/provisioning/config";
import { ProvisioningError } from "@/lib/provisioning/errors";
import { getSubscriber } from "@/lib/provisioning/service";
import { demandFreshLists } from "@/lib/troubleshoot/fleet-rows";

export const metadata: Metadata = { title: "Subscriber · kamdash" };

/** The path segment as text ("%40" → "@"); left as is when it is not valid percent-encoding. */
function decodedSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** One subscriber: its live registration state and connections (poller snapshot), password change and removal. */
export default async function SubscriberPage({ params }: { params: Promise<{ aor: string }> }) {
  const actor = await requirePage("subscribers.read");
  const aor = decodedSegment((await params).aor).slice(0, 512);
  const status = provisioningStatus();
  if (!status.configured)
    return (
      <div className="space-y-4">
        <Title>{aor}</Title>
        <ProvisioningStatusNote status={status} />
      </div>
    );
  demandFreshLists();
  // null: not stored; 400: not user@domain (and no single served domain to complete it)
  const subscriber = await getSubscriber(aor).catch((error: unknown) => {
    if (error instanceof ProvisioningError && error.status === 400) return null;
    throw error;
  });
  if (!subscriber)
    return (
      <div className="space-y-4" data-testid="subscriber-missing">
        <Title>{aor}</Title>
        <Text>
          Not in the subscriber table.{" "}
          <Link
            href={`/subscribers?q=${encodeURIComponent(aor.split("@")[0] ?? aor)}`}
            className="text-tremor-brand"
          >
            Search the subscribers
          </Link>{" "}
          or see{" "}
          <Link href={`/users/${encodeURIComponent(aor)}`} className="text-tremor-brand">
            its registrations and calls
          </Link>
          .
        </Text>
      </div>
    );
  const { registrations, connections, snapshotAt } = subscriber;
  const canWrite = can(actor, "subscribers.write");
  const nodes = [...new Set(registrations.map((r) => r.node))];
  const now = Date.now();
  return (
    <div className="space-y-4" data-testid="subscriber-page">
      <div className="space-y-1">
        <Text>
          <Link href="/subscribers" className="text-tremor-brand">
            Subscribers
          </Link>{" "}
          /
        </Text>
        <Title>{subscriber.aor}</Title>
        <p className="text-tremor-default text-tremor-content" data-testid="registration-state">
          {snapshotAt === null
            ? "Registration state unknown: no node has been polled yet."
            : registrations.length === 0
              ? "Not registered on any node."
              : `Registered: ${plural(registrations.length, "contact")} on ${nodes.join(", ")}, ${plural(connections.length, "connection")}.`}
          {snapshotAt === null
            ? ""
            : ` As of ${formatAge(now - Date.parse(snapshotAt))} ago (ul.dump, core.tcp_list).`}
        </p>
        <Text>
          <Link href={`/users/${encodeURIComponent(subscriber.aor)}`} className="text-tremor-brand">
            Its calls and events →
          </Link>
        </Text>
      </div>
      <Card className="p-0">
        <Title className="px-4 pt-3">Registrations</Title>
        <RegistrationsTable rows={registrations} sort="node" dir="asc" />
        {registrations.length === 0 ? <Text className="p-4">No contact registered right now.</Text> : null}
      </Card>
      <Card className="p-0">
        <Title className="px-4 pt-3">Connections</Title>
        <ConnectionsTable rows={connections} sort="node" dir="asc" canAct={can(actor, "ws.close")} />
        {connections.length === 0 ? <Text className="p-4">No connection carries this user.</Text> : null}
      </Card>
      {canWrite ? (
        <>
          <Card className="space-y-3">
            <Title>Change password</Title>
            <ChangePasswordForm aor={subscriber.aor} minLength={status.minPasswordLength} />
          </Card>
          <Card className="space-y-3">
            <Title>Remove</Title>
            <RemoveSubscriber aor={subscriber.aor} />
          </Card>
        </>
      ) : null}
      <ProvisioningStatusNote status={status} />
      <RefreshServerData everyMs={5_000} />
    </div>
  );
}
