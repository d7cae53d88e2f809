import { z } from "zod";

// Per-node probe settings an admin sets (admin nodes page, PATCH /api/v1/nodes/{name}/probes), stored on
// KamailioNode: the handshake probe's target and interval, and where kamdash reaches each media server when that
// differs from the URL Kamailio's rtpengine.show lists. Every value here is input: validated with these schemas.

/** A ws:// or wss:// URL without credentials (the handshake probe connects to it like a browser). */
export const handshakeUrlSchema = z
  .string()
  .trim()
  .max(500, "WS/WSS URL: at most 500 characters")
  .regex(/^wss?:\/\/[^\s|]+$/, "WS/WSS URL must be a ws:// or wss:// URL, e.g. wss://gw1.example.org:443")
  .refine((url) => URL.canParse(url), "WS/WSS URL is not a valid URL")
  .refine((url) => {
    const parsed = new URL(url);
    return parsed.username === "" && parsed.password === "";
  }, "WS/WSS URL must not carry a user or password");

/** What a browser sends as Origin: scheme, host and optional port, no path. */
export const originSchema = z
  .string()
  .trim()
  .max(300, "Origin: at most 300 characters")
  .regex(
    /^https?:\/\/[^/\s?#@]+$/,
    "Origin must be http(s)://host[:port] without a path, e.g. https://phone.example.org",
  )
  .refine((origin) => URL.canParse(origin), "Origin is not a valid URL");

/** Seconds between handshake attempts; checked at most once per poll cycle. */
export const HANDSHAKE_INTERVAL_MIN_S = 1;
export const HANDSHAKE_INTERVAL_MAX_S = 3600;
export const handshakeIntervalSchema = z
  .number({ error: "interval must be a whole number of seconds" })
  .int("interval must be a whole number of seconds")
  .min(HANDSHAKE_INTERVAL_MIN_S, `interval: at least ${HANDSHAKE_INTERVAL_MIN_S} s`)
  .max(HANDSHAKE_INTERVAL_MAX_S, `interval: at most ${HANDSHAKE_INTERVAL_MAX_S} s`);

/**
 * A node's handshake settings. `url` + `origin` (+ `verifyTls`) are one target: with `url` null the probe uses
 * KAMDASH_HANDSHAKE, then the lab's default; `intervalS` null uses KAMDASH_HANDSHAKE_INTERVAL_MS.
 * Errors: "origin" without a URL, or a URL without an origin.
 */
export const handshakeSettingsSchema = z
  .object({
    url: handshakeUrlSchema.nullable(),
    origin: originSchema.nullable(),
    intervalS: handshakeIntervalSchema.nullable(),
    verifyTls: z.boolean({ error: "verifyTls must be true or false" }).default(true),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.url !== null && value.origin === null) {
      ctx.addIssue({ code: "custom", path: ["origin"], message: "Origin is required with a WS/WSS URL" });
    }
    if (value.url === null && value.origin !== null) {
      ctx.addIssue({
        code: "custom",
        path: ["url"],
        message: "a WS/WSS URL is required with an Origin (leave both empty for the default)",
      });
    }
  });
export type HandshakeSettings = z.infer<typeof handshakeSettingsSchema>;

/** Kamailio's URL of a media server as rtpengine.show lists it, e.g. "udp:10.0.0.5:22222". */
const listedUrlSchema = z
  .string()
  .trim()
  .min(1, "the media server URL as rtpengine.show lists it is required")
  .max(300, "media server URL: at most 300 characters")
  .regex(/^\S+$/, "media server URL has no spaces");

/** Where kamdash sends NG: "udp:host:port" (IPv6 as "udp:[::1]:22222"). */
export const ngOverrideSchema = z
  .string()
  .trim()
  .regex(
    /^udp6?:(\[[0-9A-Fa-f:.]+\]|[^\s:[\]]+):\d{1,5}$/,
    "ng must be udp:host:port, e.g. udp:10.0.0.5:22222",
  )
  .refine((ng) => {
    const port = Number(ng.slice(ng.lastIndexOf(":") + 1));
    return port >= 1 && port <= 65535;
  }, "ng: port must be 1-65535");

/** RTPEngine's HTTP /metrics (--listen-http), e.g. "http://10.0.0.5:22223/metrics". */
export const metricsUrlSchema = z
  .string()
  .trim()
  .max(500, "metrics URL: at most 500 characters")
  .pipe(z.url({ protocol: /^https?$/, error: "metrics URL must be an http:// or https:// URL" }));

export const rtpengineAddressSchema = z
  .object({
    ng: ngOverrideSchema.nullable().default(null),
    metricsUrl: metricsUrlSchema.nullable().default(null),
  })
  .strict()
  .refine((a) => a.ng !== null || a.metricsUrl !== null, "give ng, metricsUrl or both");
export type RtpengineAddress = z.infer<typeof rtpengineAddressSchema>;

export const MAX_RTPENGINE_OVERRIDES = 64;
/** { "<rtpengine.show url>": { ng, metricsUrl } }; an empty object clears every override. */
export const rtpengineAddressesSchema = z
  .record(listedUrlSchema, rtpengineAddressSchema)
  .refine(
    (r) => Object.keys(r).length <= MAX_RTPENGINE_OVERRIDES,
    `at most ${MAX_RTPENGINE_OVERRIDES} media servers`,
  );
export type RtpengineAddresses = z.infer<typeof rtpengineAddressesSchema>;

/** What the API and the forms accept: either part may be left out (unchanged). */
export const probeSettingsInput = z
  .object({
    handshake: handshakeSettingsSchema.optional(),
    rtpengineAddresses: rtpengineAddressesSchema.optional(),
  })
  .strict();
export type ProbeSettingsInput = z.infer<typeof probeSettingsInput>;

/** The settings the poller applies to one node (from its KamailioNode row). */
export type NodeProbeSettings = {
  handshake: HandshakeSettings;
  rtpengineAddresses: RtpengineAddresses;
};

/** The row's columns as Prisma returns them; a stored JSON that no longer validates reads as no override. */
export function toNodeProbeSettings(row: {
  handshakeUrl: string | null;
  handshakeOrigin: string | null;
  handshakeIntervalS: number | null;
  handshakeVerifyTls: boolean;
  rtpengineAddresses: unknown;
}): NodeProbeSettings {
  const addresses = rtpengineAddressesSchema.safeParse(row.rtpengineAddresses ?? {});
  return {
    handshake: {
      url: row.handshakeUrl,
      origin: row.handshakeOrigin,
      intervalS: row.handshakeIntervalS,
      verifyTls: row.handshakeVerifyTls,
    },
    rtpengineAddresses: addresses.success ? addresses.data : {},
  };
}

/** Prisma `data` for the parts given (a part left out stays as it is). */
export function probeSettingsData(input: ProbeSettingsInput): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  if (input.handshake) {
    data.handshakeUrl = input.handshake.url;
    data.handshakeOrigin = input.handshake.origin;
    data.handshakeIntervalS = input.handshake.intervalS;
    data.handshakeVerifyTls = input.handshake.verifyTls;
  }
  if (input.rtpengineAddresses) data.rtpengineAddresses = input.rtpengineAddresses;
  return data;
}
