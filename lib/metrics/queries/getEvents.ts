import { z } from "zod";
import type { Db } from "../db";

/** Query string of GET /api/v1/events: node name, kind (node_down, node_restarted, probe_failing, …), since, aor,
 * callId, limit. */
export const eventsQuerySchema = z.object({
  node: z.string().min(1).max(63).optional(),
  kind: z
    .string()
    .regex(/^[a-z_]{1,40}$/, "an event kind such as node_down or probe_failing")
    .optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  /** Events about this AOR (detail.aor, as the registration events write it). */
  aor: z.string().min(1).max(255).optional(),
  /** Events about this call (detail.callId). */
  callId: z.string().min(1).max(1024).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type EventsQuery = z.output<typeof eventsQuerySchema>;

export type EventItem = {
  /** The row id, as text (a bigint). */
  id: string;
  at: string;
  /** null for a fleet-wide event, or when the node was removed. */
  node: string | null;
  kind: string;
  severity: string;
  message: string;
  detail: unknown;
};

/**
 * The newest events first (node_down, node_up, node_restarted, probe_failing, probe_recovered, alert_firing,
 * alert_resolved…), filtered by node name, kind and time. Messages are text written by kamdash and may quote
 * Kamailio: render them as text.
 */
export async function getEvents(db: Db, query: EventsQuery): Promise<EventItem[]> {
  const rows = await db.event.findMany({
    where: {
      ...(query.node ? { node: { name: query.node } } : {}),
      ...(query.kind ? { kind: query.kind } : {}),
      ...(query.since ? { at: { gte: new Date(query.since) } } : {}),
      ...(query.aor || query.callId
        ? {
            AND: [
              ...(query.aor ? [{ detail: { path: ["aor"], equals: query.aor } }] : []),
              ...(query.callId ? [{ detail: { path: ["callId"], equals: query.callId } }] : []),
            ],
          }
        : {}),
    },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: query.limit,
    select: {
      id: true,
      at: true,
      kind: true,
      severity: true,
      message: true,
      detail: true,
      node: { select: { name: true } },
    },
  });
  return rows.map((r) => ({
    id: r.id.toString(),
    at: r.at.toISOString(),
    node: r.node?.name ?? null,
    kind: r.kind,
    severity: r.severity,
    message: r.message,
    detail: r.detail ?? null,
  }));
}
