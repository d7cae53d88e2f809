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
import { defaultHandshakeLabel } from "@/lib/handshake/targets";
import { getNodes } from "@/lib/metrics/queries/getNodes";
import { displayRpcUrl } from "@/lib/nodes/node-spec";
import { listNodeProbeSettings } from "@/lib/nodes/registry";
import { formatRtpengineAddressesText } from "@/lib/nodes/rtpengine-addresses-text";
import { getNodeSnapshot } from "@/lib/poller/live";
import { AddNodeForm } from "./add-node-form";
import { NodeRowActions } from "./node-row-actions";
import { ProbeSettingsForm, type ProbeSettingsView } from "./probe-settings-form";

export default async function AdminNodesPage() {
  await requirePage("admin.read");
  const db = await getDb();
  const nodes = await getNodes(db);
  const probeSettings = await listNodeProbeSettings(db);
  const settingsView = (name: string): ProbeSettingsView => {
    const s = probeSettings.get(name);
    return {
      handshake: {
        url: s?.handshake.url ?? "",
        origin: s?.handshake.origin ?? "",
        intervalS: s?.handshake.intervalS == null ? "" : String(s.handshake.intervalS),
        verifyTls: s?.handshake.verifyTls ?? true,
      },
      rtpengineText: formatRtpengineAddressesText(s?.rtpengineAddresses ?? {}),
      handshakeDefault: defaultHandshakeLabel(name),
    };
  };
  return (
    <Card>
      <Title>Kamailio nodes</Title>
      <Text>
        Changes apply to the poller at once. Nodes from KAMAILIO_NODES or the lab come back, enabled, at the
        next start. Probe settings (handshake target and interval, RTPEngine addresses) can be set on every
        node, whatever its source: seeding never overwrites them.
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
            return [
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
              </TableRow>,
              // the node's probe settings, folded, across the whole table under its row
              <TableRow
                key={`${node.id}-probes`}
                data-testid="admin-node-probes-row"
                data-node={node.name}
                className="border-t-0"
              >
                <TableCell colSpan={6} className="pt-0 whitespace-normal">
                  <ProbeSettingsForm name={node.name} settings={settingsView(node.name)} />
                </TableCell>
              </TableRow>,
            ];
          })}
        </TableBody>
      </Table>
      <AddNodeForm />
    </Card>
  );
}
