// RTPEngine NG `query` for one call, sent from inside the test's namespace (see ng-query.ts).
import path from "node:path";
import { z } from "zod";
import type { Netns } from "../support/netns";
import { nodeArgsForTs } from "./ts-runner";

const NG_QUERY_SCRIPT = path.join(import.meta.dirname, "ng-query.ts");

const packetStats = z.looseObject({ packets: z.number(), bytes: z.number() });
const stream = z.looseObject({ "local port": z.number().optional(), stats: packetStats });
const media = z.looseObject({
  type: z.string().optional(),
  protocol: z.string().optional(),
  streams: z.array(stream),
});
const tag = z.looseObject({ tag: z.string(), medias: z.array(media) });

export const queryReplySchema = z.looseObject({
  result: z.literal("ok"),
  tags: z.record(z.string(), tag),
  totals: z.looseObject({ RTP: packetStats, RTCP: packetStats.optional() }).optional(),
});
export type QueryReply = z.infer<typeof queryReplySchema>;

export interface LegCounters {
  tag: string;
  protocol: string;
  /** Packets RTPEngine received from this party (RTP and, with rtcp-mux, RTCP on the same port). */
  packets: number;
}

export async function queryCall(netns: Netns, ngAddress: string, callId: string): Promise<QueryReply> {
  const command = JSON.stringify({ command: "query", "call-id": callId });
  const { stdout } = await netns.run(process.execPath, nodeArgsForTs(NG_QUERY_SCRIPT, ngAddress, command));
  const parsed: unknown = JSON.parse(stdout);
  const reply = queryReplySchema.safeParse(parsed);
  if (!reply.success) throw new Error(`unexpected NG query reply for ${callId}: ${stdout.slice(0, 2_000)}`);
  return reply.data;
}

/** Per party of the call: the packets RTPEngine received on its audio streams. */
export function legCounters(reply: QueryReply): LegCounters[] {
  return Object.values(reply.tags)
    .filter((leg) => leg.tag !== "")
    .map((leg) => {
      const audio = leg.medias.filter((m) => m.type === undefined || m.type === "audio");
      return {
        tag: leg.tag,
        protocol: audio.map((m) => m.protocol ?? "?").join(","),
        packets: audio.flatMap((m) => m.streams).reduce((sum, s) => sum + s.stats.packets, 0),
      };
    });
}
