import { z } from "zod";

// Only the fields kamdash uses are validated; everything else in a reply passes through untouched.

/** RTPEngine mixes numbers and decimal strings ("uptime": "7", "avgcallduration": "0.000000"). */
export const ngNumber = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/, "expected a number or a decimal string")
    .transform(Number),
]);

export const ngErrorReplySchema = z.object({
  result: z.literal("error"),
  "error-reason": z.string().optional(),
});

export const ngPingReplySchema = z.object({ result: z.literal("pong") });

export const ngListReplySchema = z.object({ result: z.literal("ok"), calls: z.array(z.string()) });

/**
 * A number RTPEngine may or may not send (fields of newer or older versions): a number or decimal string, else
 * undefined ("not reported"), so one odd value ("nan") never fails the whole reply.
 */
const softNumber = z
  .unknown()
  .optional()
  .transform((value): number | undefined => {
    const parsed = ngNumber.safeParse(value);
    return parsed.success && Number.isFinite(parsed.data) ? parsed.data : undefined;
  });

const counterSchema = z.object({ packets: ngNumber, bytes: ngNumber, errors: ngNumber });

export const ngStreamSchema = z.object({
  "local port": ngNumber.optional(),
  "local address": z.string().optional(),
  endpoint: z.object({ address: z.string(), port: ngNumber }).partial().optional(),
  flags: z.array(z.string()).optional(),
  "last packet": ngNumber.optional(),
  stats: counterSchema,
});

export const ngMediaSchema = z.object({
  index: ngNumber,
  type: z.string(),
  protocol: z.string().optional(),
  streams: z.array(ngStreamSchema),
  flags: z.array(z.string()).optional(),
});

export const ngQueryReplySchema = z.object({
  result: z.literal("ok"),
  created: ngNumber,
  "last signal": ngNumber.optional(),
  tags: z.record(
    z.string(),
    z.object({
      tag: z.string(),
      created: ngNumber.optional(),
      medias: z.array(ngMediaSchema).optional(),
    }),
  ),
  totals: z.object({ RTP: counterSchema, RTCP: counterSchema }),
});

export const ngStatisticsReplySchema = z.object({
  result: z.literal("ok"),
  statistics: z.object({
    currentstatistics: z.looseObject({
      sessionsown: ngNumber,
      sessionsforeign: ngNumber,
      sessionstotal: ngNumber,
      transcodedmedia: ngNumber,
      /** Packets, bytes and errors relayed per second (userspace + kernel), absent in a reply that lacks them. */
      packetrate: softNumber,
      byterate: softNumber,
      errorrate: softNumber,
    }),
    totalstatistics: z.looseObject({
      uptime: ngNumber,
      managedsessions: ngNumber,
      rejectedsessions: ngNumber,
      timeoutsessions: ngNumber,
      silenttimeoutsessions: ngNumber,
      regularterminatedsessions: ngNumber,
      forcedterminatedsessions: ngNumber,
      relayedpackets: ngNumber,
      relayedpacketerrors: ngNumber,
      relayedbytes: ngNumber,
      zerowaystreams: ngNumber,
      onewaystreams: ngNumber,
      avgcallduration: ngNumber,
    }),
    /** MOS over every sample since RTPEngine started (mos_average, mos_samples_total); from RTCP reports. */
    mos: z
      .looseObject({ mos_average: softNumber, mos_samples_total: softNumber })
      .optional()
      .catch(undefined),
    /**
     * Newer RTPEngine (not 10.5): averages since start of what RTCP reports say, jitter in ms (jitter_average,
     * jitter_samples_total) and packet loss in % (packetloss_average, packetloss_samples_total).
     */
    voip_metrics: z
      .looseObject({
        jitter_average: softNumber,
        jitter_samples_total: softNumber,
        packetloss_average: softNumber,
        packetloss_samples_total: softNumber,
      })
      .optional()
      .catch(undefined),
    interfaces: z
      .array(
        z.object({
          name: z.string(),
          address: z.string(),
          ports: z.object({ used: ngNumber, free: ngNumber, totals: ngNumber }),
        }),
      )
      .optional(),
  }),
});

export type NgQueryReply = z.infer<typeof ngQueryReplySchema>;
export type NgStatisticsReply = z.infer<typeof ngStatisticsReplySchema>;

export interface StreamCounters {
  tag: string;
  mediaIndex: number;
  mediaType: string;
  /** From the stream flags: an rtcp-mux RTP stream carries both RTP and RTCP and counts as "RTP". */
  kind: "RTP" | "RTCP" | "unknown";
  /** RTP and RTCP share this stream (rtcp-mux, as WebRTC legs do). */
  rtcpMuxed: boolean;
  localPort: number | null;
  packets: number;
  bytes: number;
  errors: number;
}

export interface CallQuery {
  created: number;
  lastSignal: number | null;
  /** One entry per stream of every media of every tag (call leg). */
  streams: StreamCounters[];
  totals: {
    rtp: { packets: number; bytes: number; errors: number };
    rtcp: { packets: number; bytes: number; errors: number };
  };
}

export function toCallQuery(reply: NgQueryReply): CallQuery {
  const streams: StreamCounters[] = [];
  for (const [tagKey, tag] of Object.entries(reply.tags)) {
    for (const media of tag.medias ?? []) {
      for (const stream of media.streams) {
        const flags = stream.flags ?? [];
        streams.push({
          tag: tag.tag || tagKey,
          mediaIndex: media.index,
          mediaType: media.type,
          kind: flags.includes("RTP") ? "RTP" : flags.includes("RTCP") ? "RTCP" : "unknown",
          rtcpMuxed: flags.includes("RTP") && flags.includes("RTCP"),
          localPort: stream["local port"] ?? null,
          packets: stream.stats.packets,
          bytes: stream.stats.bytes,
          errors: stream.stats.errors,
        });
      }
    }
  }
  return {
    created: reply.created,
    lastSignal: reply["last signal"] ?? null,
    streams,
    totals: { rtp: reply.totals.RTP, rtcp: reply.totals.RTCP },
  };
}
