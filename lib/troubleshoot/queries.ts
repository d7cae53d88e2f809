import { z } from "zod";
import type { ConnectionRow } from "./connection-rows";
import type { DialogRow } from "./dialog-rows";
import { ipMatcher } from "./ip-filter";
import type { RegistrationRow } from "./registration-rows";
import { countBy, type Page, pageOf, pagingSchema } from "./table-query";

// The filters of the connections, registrations and dialogs pages (URL search params and API query strings), and
// the functions applying them to rows. Text filters match case-insensitively anywhere in the field.

const text = z
  .string()
  .trim()
  .max(200)
  .optional()
  .transform((v) => (v ? v.toLowerCase() : undefined));

const ipField = z
  .string()
  .trim()
  .max(100)
  .optional()
  .transform((value, ctx) => {
    if (!value) return undefined;
    try {
      return { text: value, match: ipMatcher(value) };
    } catch (error) {
      ctx.addIssue({ code: "custom", message: (error as Error).message });
      return z.NEVER;
    }
  });

export const connectionQuerySchema = pagingSchema.extend({
  node: text,
  transport: z.enum(["TCP", "TLS", "WS", "WSS"]).optional(),
  /** An address or CIDR range of the far end. */
  ip: ipField,
  /** Part of an AOR registered through the connection. */
  user: text,
  sort: z.enum(["node", "id", "transport", "sourceIp", "state", "aors", "lastUsedS"]).default("node"),
});
export type ConnectionQuery = z.infer<typeof connectionQuerySchema>;

export type ConnectionPage = Page<ConnectionRow> & {
  /** Connections per source IP over every filtered row, largest first (top 20). */
  bySourceIp: { key: string; count: number }[];
};

export function queryConnections(rows: readonly ConnectionRow[], q: ConnectionQuery): ConnectionPage {
  const kept = rows.filter(
    (r) =>
      (!q.node || r.node.toLowerCase().includes(q.node)) &&
      (!q.transport || r.transport === q.transport) &&
      (!q.ip || q.ip.match(r.sourceIp)) &&
      (!q.user || r.aors.some((a) => a.toLowerCase().includes(q.user ?? ""))),
  );
  const key = (r: ConnectionRow) => (q.sort === "aors" ? (r.aors[0] ?? null) : r[q.sort]);
  return {
    ...pageOf(kept, key, q, (r) => `${r.node}\u0000${String(r.id).padStart(12, "0")}`),
    bySourceIp: countBy(kept, (r) => r.sourceIp).slice(0, 20),
  };
}

export const registrationQuerySchema = pagingSchema.extend({
  node: text,
  user: text,
  ip: ipField,
  transport: z.enum(["udp", "tcp", "tls", "ws", "wss"]).optional(),
  /** Only contacts whose connection is gone. */
  gone: z
    .enum(["1", "true"])
    .optional()
    .transform((v) => v !== undefined),
  sort: z.enum(["node", "aor", "transport", "expiresS", "connectionId"]).default("aor"),
});
export type RegistrationQuery = z.infer<typeof registrationQuerySchema>;

/** The received address's IP (sip:1.2.3.4:5060;transport=ws → 1.2.3.4), else the contact's host. */
export function contactIp(row: Pick<RegistrationRow, "received" | "contact">): string {
  const uri = row.received ?? row.contact;
  const host = /^sips?:(?:[^@;>]*@)?(\[[^\]]+\]|[^:;>]+)/i.exec(uri)?.[1] ?? "";
  return host.replace(/^\[|\]$/g, "");
}

export function queryRegistrations(
  rows: readonly RegistrationRow[],
  q: RegistrationQuery,
): Page<RegistrationRow> {
  const kept = rows.filter(
    (r) =>
      (!q.node || r.node.toLowerCase().includes(q.node)) &&
      (!q.user || r.aor.toLowerCase().includes(q.user)) &&
      (!q.transport || r.transport === q.transport) &&
      (!q.ip || q.ip.match(contactIp(r))) &&
      (!q.gone || r.connectionGone === true),
  );
  return pageOf(
    kept,
    (r) => r[q.sort],
    q,
    (r) => `${r.node}\u0000${r.aor}\u0000${r.contact}`,
  );
}

export const dialogQuerySchema = pagingSchema.extend({
  node: text,
  /** Part of the From or To URI. */
  user: text,
  callId: z.string().trim().max(1024).optional(),
  direction: z.string().trim().max(20).optional(),
  state: z.enum(["early", "confirmed"]).optional(),
  /** RTPEngine's media state of the call (lib/media/media-view.ts). */
  media: z.enum(["two_way", "one_way", "no_media", "on_hold", "unknown"]).optional(),
  sort: z.enum(["node", "durationS", "state", "direction", "callId", "fromUri"]).default("durationS"),
});
export type DialogQuery = z.infer<typeof dialogQuerySchema>;

export function queryDialogs(rows: readonly DialogRow[], q: DialogQuery): Page<DialogRow> {
  const early = (r: DialogRow) => r.state === "unconfirmed" || r.state === "early";
  const kept = rows.filter(
    (r) =>
      (!q.node || r.node.toLowerCase().includes(q.node)) &&
      (!q.user || r.fromUri.toLowerCase().includes(q.user) || r.toUri.toLowerCase().includes(q.user)) &&
      (!q.callId || r.callId === q.callId) &&
      (!q.direction || r.direction === q.direction) &&
      (!q.state || (q.state === "early") === early(r)) &&
      (!q.media || r.media?.state === q.media),
  );
  return pageOf(
    kept,
    (r) => r[q.sort],
    q,
    (r) => `${r.node}\u0000${r.callId}`,
  );
}
