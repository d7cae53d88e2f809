import { z } from "zod";
import type { Permission } from "@/lib/auth/permissions";
import { dialogHashSchema } from "@/lib/kamailio/methods/dlg-end-dlg";
import { connectionIdSchema } from "@/lib/kamailio/methods/ws-actions";
import { nodeNameSchema } from "@/lib/nodes";

// What an operator can do to a live node, from a form, the API or the CLI: one schema for all three edges.

const node = nodeNameSchema;

export const actionRequestSchema = z.discriminatedUnion("action", [
  z.object({ action: z.literal("ws.close"), node, connectionId: connectionIdSchema }),
  z.object({ action: z.literal("ws.ping"), node, connectionId: connectionIdSchema }),
  z.object({
    action: z.literal("dlg.end"),
    node,
    hEntry: dialogHashSchema.shape.hEntry,
    hId: dialogHashSchema.shape.hId,
    /** Shown in the audit row so a reader knows which call it was (Kamailio ends the dialog by hash only). */
    callId: z.string().max(1024).optional(),
  }),
  z.object({
    action: z.literal("rtpengine.enable"),
    node,
    /** The instance exactly as rtpengine.show lists it, e.g. "udp:127.0.0.1:22222". */
    url: z
      .string()
      .min(1)
      .max(255)
      .regex(/^(udp|udp6|tcp|tcp6):\S+$/, "an RTPEngine url as Kamailio lists it, e.g. udp:10.0.0.5:22222"),
    enabled: z.boolean(),
  }),
]);
export type ActionRequest = z.infer<typeof actionRequestSchema>;
export type ActionName = ActionRequest["action"];

/** The permission each action needs (lib/auth/permissions.ts holds who has it). */
export const ACTION_PERMISSION: Record<ActionName, Permission> = {
  "ws.close": "ws.close",
  "ws.ping": "ws.close",
  "dlg.end": "dlg.end",
  "rtpengine.enable": "rtpengine.write",
};
