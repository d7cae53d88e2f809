import { Card, Text, Title } from "@tremor/react";
import type { Metadata } from "next";
import Link from "next/link";
import { ImportForm } from "@/components/provisioning/import-form";
import { ProvisioningStatusNote } from "@/components/provisioning/provisioning-status";
import { requirePage } from "@/lib/auth/page";
import { provisioningStatus } from "@/lib/provisioning/config";

export const metadata: Metadata = { title: "Import subscribers · kamdash" };

/** Bulk import from a CSV file: dry run, per-row errors by line number, then all-or-nothing or skip-bad. */
export default async function ImportSubscribersPage() {
  await requirePage("subscribers.write");
  const status = provisioningStatus();
  return (
    <div className="space-y-4">
      <div className="space-y-1">
        <Text>
          <Link href="/subscribers" className="text-tremor-brand">
            Subscribers
          </Link>{" "}
          /
        </Text>
        <Title>Import from CSV</Title>
        <Text>
          One user per row under a header line naming username, domain and password (domain may be left out
          when one domain is served; other columns are ignored). Run a dry run first: it checks every row as
          an add would (SIP user part, served domain, password policy, duplicates) and writes nothing.
        </Text>
      </div>
      {status.configured ? (
        <Card>
          <ImportForm />
        </Card>
      ) : null}
      <ProvisioningStatusNote status={status} />
    </div>
  );
}
