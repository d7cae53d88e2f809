import {
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
import { ActionButton } from "@/components/troubleshoot/action-button";
import type { RtpengineState } from "@/lib/poller/snapshot";
import { statCell, statColumns } from "./media-server-stats";

/**
 * The RTPEngine instances the node lists (rtpengine.show, with kamdash's NG ping), each with its state in words
 * and what it reports about itself (NG statistics, or /metrics when NG is silent): sessions, packets/s, MOS,
 * jitter and loss averages, ports used / free; "—" with the reason as tooltip when unknown. Operators can take
 * one out of Kamailio's selection or put it back (rtpengine.enable, confirmed, audited).
 */
export function MediaServers({
  node,
  engines,
  canAct,
}: {
  node: string;
  /** null: not read (node down or the probe failing). */
  engines: RtpengineState[] | null;
  canAct: boolean;
}) {
  return (
    <Card data-testid="media-servers">
      <Title>RTPEngine instances</Title>
      {engines === null ? (
        <Text>Not known right now (the node is down or rtpengine.show is failing).</Text>
      ) : engines.length === 0 ? (
        <Text>The node lists no RTPEngine.</Text>
      ) : (
        <Table className="mt-2">
          <TableHead>
            <TableRow>
              <TableHeaderCell>Instance</TableHeaderCell>
              <TableHeaderCell>State</TableHeaderCell>
              {statColumns.map((column) => (
                <TableHeaderCell key={column.key} className="text-right">
                  {column.label}
                </TableHeaderCell>
              ))}
              {canAct ? <TableHeaderCell /> : null}
            </TableRow>
          </TableHead>
          <TableBody>
            {engines.map((engine) => (
              <TableRow key={engine.url} data-testid="media-server">
                <TableCell className="font-mono">{engine.url}</TableCell>
                <TableCell
                  className={`whitespace-normal ${engine.state === "up" ? "text-emerald-700" : "text-red-600"}`}
                >
                  {engine.label}
                </TableCell>
                {statColumns.map((column) => {
                  const cell = statCell(engine, column.key);
                  return (
                    <TableCell
                      key={column.key}
                      className="text-right tabular-nums"
                      title={cell.title}
                      data-testid={`media-server-${column.key}`}
                    >
                      {cell.text}
                    </TableCell>
                  );
                })}
                {canAct ? (
                  <TableCell>
                    <ActionButton
                      label={engine.state === "disabled" ? "Enable" : "Disable"}
                      subject={`${engine.state === "disabled" ? "Enable" : "Disable"} RTPEngine ${engine.url}`}
                      confirmText={
                        engine.state === "disabled"
                          ? `Put ${engine.url} back into Kamailio's selection?`
                          : `Take ${engine.url} out of Kamailio's selection? New calls go to the other instances.`
                      }
                      url={`/api/v1/nodes/${encodeURIComponent(node)}/rtpengine`}
                      method="PATCH"
                      body={{ url: engine.url, enabled: engine.state === "disabled" }}
                    />
                  </TableCell>
                ) : null}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Card>
  );
}
