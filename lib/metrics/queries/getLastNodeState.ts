import type { KamailioMemory } from "@/lib/poller/poll-node";
import type { MeasuredNumbers } from "@/lib/poller/snapshot";
import type { Db } from "../db";

export type LastNodeState = {
  /** The newest sample's up flag; null when the node has no samples. */
  lastUp: boolean | null;
  /** When the node last answered, and what it reported then. */
  lastUpAt: Date | null;
  lastUpNumbers: MeasuredNumbers | null;
  /** Kamailio's uptime at the last stored answer and the start time it implies (for restarts while kamdash was off). */
  kamailio: KamailioMemory | null;
};

/** What the poller needs at start to continue a node's history: its last state and last up values. */
export async function getLastNodeState(db: Db, nodeId: number): Promise<LastNodeState> {
  const last = await db.sample.findFirst({
    where: { nodeId },
    orderBy: { at: "desc" },
    select: { up: true },
  });
  const lastUpSample = await db.sample.findFirst({
    where: { nodeId, up: true },
    orderBy: { at: "desc" },
  });
  const s = lastUpSample;
  // a column is null where the node was down, or up without the probe behind it (e.g. no rtpengine module)
  const numbers: MeasuredNumbers | null = s
    ? {
        ws: s.wsConnections,
        wss: s.wssConnections,
        registrations: s.registrations,
        aors: s.aors,
        dialogsActive: s.dialogsActive,
        dialogsEarly: s.dialogsEarly,
        rtpengineUp: s.rtpengineUp,
        rtpengineTotal: s.rtpengineTotal,
      }
    : null;
  const withUptime = await db.sample.findFirst({
    where: { nodeId, up: true, kamailioUptimeS: { not: null } },
    orderBy: { at: "desc" },
    select: { at: true, kamailioUptimeS: true },
  });
  const kamailio: KamailioMemory | null =
    withUptime?.kamailioUptimeS != null
      ? {
          uptimeS: withUptime.kamailioUptimeS,
          bootAtMs: withUptime.at.getTime() - withUptime.kamailioUptimeS * 1000,
          version: null,
          versionText: null,
          restartedAt: null,
        }
      : null;
  return { lastUp: last?.up ?? null, lastUpAt: s?.at ?? null, lastUpNumbers: numbers, kamailio };
}
