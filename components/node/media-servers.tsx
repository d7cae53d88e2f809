import { Card, Text, Title } from "@tremor/react";
import { ActionButton } from "@/components/troubleshoot/action-button";
import type { RtpengineState } from "@/lib/poller/snapshot";

/**
 * The RTPEngine instances the node lists (rtpengine.show, with kamdash's NG ping), each with its state in words;
 * operators can take one out of Kamailio's selection or put it back (rtpengine.enable, confirmed, audited).
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
        <ul className="mt-2 divide-y divide-tremor-border text-sm">
          {engines.map((engine) => (
            <li
              key={engine.url}
              className="flex flex-wrap items-center gap-4 py-2"
              data-testid="media-server"
            >
              <span className="font-mono">{engine.url}</span>
              <span className={engine.state === "up" ? "text-emerald-700" : "text-red-600"}>
                {engine.label}
              </span>
              {canAct ? (
                <ActionButton
                  label={engine.state === "disabled" ? "Enable" : "Disable"}
                  confirmText={
                    engine.state === "disabled"
                      ? `Put ${engine.url} back into Kamailio's selection?`
                      : `Take ${engine.url} out of Kamailio's selection? New calls go to the other instances.`
                  }
                  url={`/api/v1/nodes/${encodeURIComponent(node)}/rtpengine`}
                  method="PATCH"
                  body={{ url: engine.url, enabled: engine.state === "disabled" }}
                />
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
