import type { Actor } from "@/lib/auth/actor";
import { getDb } from "@/lib/db";
import { createKamailioClient } from "@/lib/kamailio/client";
import { readPollerConfig } from "@/lib/poller/config";
import { type ActionRequest, actionRequestSchema } from "./action-schema";
import { type ActionOutcome, performAction } from "./perform-action";

/**
 * performAction with the app's database and an RPC client per node built like the poller's (same timeout and reply
 * budget). `input` is parsed with actionRequestSchema here (a ZodError maps to 422).
 */
export async function runActionAs(actor: Actor, input: ActionRequest | unknown): Promise<ActionOutcome> {
  const request = actionRequestSchema.parse(input);
  const config = readPollerConfig();
  return performAction(
    {
      db: await getDb(),
      clientFor: (node) =>
        createKamailioClient({
          url: node.rpcUrl,
          timeoutMs: config.rpcTimeoutMs,
          maxReplyBytes: config.rpcMaxReplyBytes,
        }),
    },
    actor,
    request,
  );
}
