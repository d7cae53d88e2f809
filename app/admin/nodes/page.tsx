import {
  Badge,
  Card,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeaderCell,
  TableRow,
  Text,
  Title,
} from "@tremor/react";
import { requirePage } from "@/lib/auth/page";
import { getDb } from "@/lib/db";
import { getNodes } from "@/lib/metrics/queries/getNodes";
import { displayRpcUrl } from "@/lib/nodes/node-spec";
import { getNodeSnapshot } from "@/lib/poller/live";
import { AddNodeForm } from "./add-node-form";
import { NodeRowActions } from "./node-row-actions";

export default async function AdminNodesPage() {
  await requirePage("admin.read");
  const nodes = await getNodes(await getDb());
  return (
    <Card>
      <Title>Kamailio nodes</Title>
      <Text>
        Changes apply to the poller at once. Nodes from KAMAILIO_NODES or the lab come back, enabled, at the
        next start.
      </Text>
      <Table className="mt-4">
        <TableHead>
          <TableRow>
            <TableHeaderCell>Name</TableHeaderCell>
            <TableHeaderCell>JSON-RPC URL</TableHeaderCell>
            <TableHeaderCell>Source</TableHeaderCell>
            <TableHeaderCell>Polling</TableHeaderCell>
            <TableHeaderCell>Last poll</TableHeaderCell>
            <TableHeaderCell>Actions</TableHeaderCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {nodes.map((node) => {
            const live = getNodeSnapshot(node.name);
            return (
              <TableRow key={node.id} data-testid="admin-node-row" data-node={node.name}>
                <TableCell className="font-medium">{node.name}</TableCell>
                <TableCell className="font-mono text-xs">{displayRpcUrl(node.rpcUrl)}</TableCell>
                <TableCell>{node.source}</TableCell>
                <TableCell>
                  <Badge color={node.enabled ? "blue" : "gray"}>
                    {node.enabled ? "enabled" : "disabled"}
                  </Badge>
                </TableCell>
                <TableCell>
                  {live ? (
                    <Badge color={live.up ? "emerald" : "red"} title={live.error ?? undefined}>
                      {live.up ? "up" : "down"} · {new Date(live.polledAt).toISOString()}
                    </Badge>
                  ) : (
                    "not polled yet"
                  )}
                </TableCell>
                <TableCell>
                  <NodeRowActions name={node.name} enabled={node.enabled} />
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      <AddNodeForm />
    </Card>
  );
}
