"use client";

import { Badge, Card, Text, Title } from "@tremor/react";
import { ConnectionStatus } from "@/components/live/connection-status";
import { DataAge } from "@/components/live/data-age";
import {
  elapsedSince,
  formatAge,
  isStale,
  nodeTone,
  pollAgeMs,
  problemProbes,
} from "@/components/live/fleet-view";
import { probeLine, probeTitle } from "@/components/live/reading-text";
import { useLiveFleet } from "@/components/live/use-live-fleet";
import type { OverviewResponse } from "@/lib/poller/snapshot";
import { type NodeHealthTone, nodeHealthItems } from "./node-health";

const toneColor: Record<NodeHealthTone, string> = {
  ok: "border-emerald-500",
  warning: "border-amber-500",
  bad: "border-red-600",
  unknown: "border-slate-400",
};

/**
 * The node page's live header: up/down, Kamailio version and uptime, probes that are not ok with their reasons,
 * and the seed's four health numbers, following the live stream (the last snapshot stays until a newer one).
 */
export function NodeHeader({ name, initial }: { name: string; initial: OverviewResponse }) {
  const { received, status, now } = useLiveFleet(initial);
  const elapsedMs = elapsedSince(received.receivedAt, now);
  const node = received.fleet.nodes.find((n) => n.name === name);
  if (!node) {
    return (
      <Card data-testid="node-header">
        <Title>{name}</Title>
        <p className="text-tremor-default text-tremor-content" data-testid="node-state">
          not polled yet (disabled, or the poller has not reached it)
        </p>
      </Card>
    );
  }
  const tone = nodeTone(node, elapsedMs);
  const ageMs = pollAgeMs(node, elapsedMs);
  const problems = problemProbes(node);
  const uptime = node.kamailio?.uptimeS;
  return (
    <Card data-testid="node-header" data-up={node.up ? "true" : "false"}>
      <div className="flex flex-wrap items-center justify-between gap-4">
        <div className="flex items-center gap-3">
          <Title className="text-2xl">{node.name}</Title>
          <Badge
            color={tone === "ok" ? "emerald" : tone === "down" ? "red" : "gray"}
            data-testid="node-state"
          >
            {tone === "ok" ? "up" : tone === "down" ? "down" : "stale"}
          </Badge>
        </div>
        <div className="flex items-center gap-4 text-tremor-default text-tremor-content">
          <DataAge ageMs={ageMs} stale={isStale(ageMs, node.intervalMs)} prefix="polled" />
          <ConnectionStatus status={status} />
        </div>
      </div>
      <p className="mt-2 text-tremor-default text-tremor-content" data-testid="node-version">
        {node.kamailio?.versionText ?? "version unknown"}
        {uptime !== null && uptime !== undefined ? ` · up ${formatAge(uptime * 1000)}` : ""}
        {node.kamailio?.restartedAt ? ` · restarted ${node.kamailio.restartedAt}` : ""}
        {!node.up && node.error ? ` · ${node.error}` : ""}
      </p>
      {problems.length > 0 ? (
        <ul className="mt-2 space-y-1 text-tremor-default text-amber-700" data-testid="node-problems">
          {problems.map((p) => (
            <li key={p.probe} title={probeTitle(p)}>
              {probeLine(p, null)}
            </li>
          ))}
        </ul>
      ) : null}
      <div className="mt-4 grid grid-cols-1 gap-3 md:grid-cols-2 xl:grid-cols-4">
        {nodeHealthItems(node, elapsedMs).map((item) => (
          <div
            key={item.id}
            className={`rounded-tremor-default border-l-4 bg-tremor-background-muted p-3 ${toneColor[item.tone]}`}
            data-testid={`node-health-${item.id}`}
            data-tone={item.tone}
          >
            <Text>{item.label}</Text>
            <p className="text-2xl font-semibold tabular-nums text-tremor-content-strong">{item.value}</p>
            <Text className="truncate" title={item.detail}>
              {item.detail}
            </Text>
          </div>
        ))}
      </div>
    </Card>
  );
}
