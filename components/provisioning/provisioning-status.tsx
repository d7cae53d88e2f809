import { Card, Text, Title } from "@tremor/react";
import type { ProvisioningStatus } from "@/lib/provisioning/types";

/**
 * Where the subscribers live and how they are hashed; or, when no Kamailio database is set, what to set (the pages
 * then show this instead of an error).
 */
export function ProvisioningStatusNote({ status }: { status: ProvisioningStatus }) {
  if (!status.configured)
    return (
      <Card className="space-y-2" data-testid="provisioning-not-configured">
        <Title>Subscribers: not configured</Title>
        <p
          className="text-tremor-default font-medium text-tremor-content-strong"
          data-testid="provisioning-reason"
        >
          {status.reason}
        </p>
        <Text>
          kamdash writes Kamailio&apos;s subscriber table in the Kamailio database. Set KAMAILIO_DB_URL to its
          PostgreSQL URL (for example postgres://kamailio:secret@db.example.org:5432/kamailio) and restart
          kamdash, or start the lab (npm run lab:up), whose database is used when the setting is absent.
        </Text>
      </Card>
    );
  return (
    <p className="text-xs text-tremor-content" data-testid="provisioning-status">
      Kamailio database {status.dbDisplay}
      {status.dbSource === "lab" ? " (the lab's, from .lab/lab.json: KAMAILIO_DB_URL is not set)" : ""} ·
      hashes {status.hash === "md5" ? "MD5" : "SHA-256"} (ha1, ha1b) · clear-text password column{" "}
      {status.storesClearPassword ? "filled (KAMDASH_SUBSCRIBER_STORE_PASSWORD=1)" : "left empty"} · served
      domains: {status.domains.length > 0 ? status.domains.join(", ") : "none (set KAMDASH_SIP_DOMAINS)"}
      {status.domainsSource === "lab" ? " (the lab's)" : ""}
    </p>
  );
}
