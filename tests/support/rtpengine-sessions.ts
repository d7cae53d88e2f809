import { z } from "zod";
import { createNgTransport, type NgTransport } from "@/lib/rtpengine/ng-transport";

// RTPEngine sessions seen through the NG control protocol (the RPC helper's transport in lib/rtpengine).

const listReplySchema = z.object({ result: z.literal("ok"), calls: z.array(z.string()) });
const queryReplySchema = z
  .object({ result: z.string(), "error-reason": z.string().optional() })
  .passthrough();

export class RtpengineSessions {
  private readonly transport: NgTransport;

  constructor(ngAddress: string) {
    this.transport = createNgTransport({ address: ngAddress, timeoutMs: 2_000 });
  }

  /** Call-ids of the calls RTPEngine currently holds. */
  async callIds(): Promise<string[]> {
    const reply = listReplySchema.parse(await this.transport.send("list", { limit: 10_000 }));
    return reply.calls;
  }

  async has(callId: string): Promise<boolean> {
    return (await this.callIds()).includes(callId);
  }

  /** NG `query` for one call; undefined when RTPEngine does not know the call-id. */
  async query(callId: string): Promise<Record<string, unknown> | undefined> {
    const reply = queryReplySchema.parse(await this.transport.send("query", { "call-id": callId }));
    if (reply.result !== "ok") return undefined;
    return reply;
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}
