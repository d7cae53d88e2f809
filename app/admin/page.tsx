import { Card, Grid, Metric, Text, Title } from "@tremor/react";
import Link from "next/link";
import { listApiTokens } from "@/lib/auth/api-tokens";
import { requirePage } from "@/lib/auth/page";
import { getDb } from "@/lib/db";
import { getNodes } from "@/lib/metrics/queries/getNodes";

export default async function AdminHomePage() {
  await requirePage("admin.read");
  const [nodes, tokens] = await Promise.all([getDb().then(getNodes), listApiTokens()]);
  const liveTokens = tokens.filter((t) => t.revokedAt === null);
  return (
    <div className="space-y-6">
      <Title>Administration</Title>
      <Grid numItemsSm={2} className="gap-4">
        <Card>
          <Text>Kamailio nodes</Text>
          <Metric data-testid="admin-node-count">{nodes.length}</Metric>
          <Link href="/admin/nodes" className="mt-2 inline-block text-sm text-tremor-brand">
            Manage nodes →
          </Link>
        </Card>
        <Card>
          <Text>API tokens in use</Text>
          <Metric data-testid="admin-token-count">{liveTokens.length}</Metric>
          <Link href="/admin/tokens" className="mt-2 inline-block text-sm text-tremor-brand">
            Manage tokens →
          </Link>
        </Card>
      </Grid>
    </div>
  );
}
