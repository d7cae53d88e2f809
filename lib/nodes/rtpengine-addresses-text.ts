import {
  MAX_RTPENGINE_OVERRIDES,
  type RtpengineAddresses,
  rtpengineAddressesSchema,
  rtpengineAddressSchema,
} from "./probe-settings";

// The admin form's text for per-instance RTPEngine addresses, one media server per line:
//   <url as rtpengine.show lists it> [ng=udp:host:port] [metrics=http://host:port/metrics]
// e.g. "udp:10.0.0.5:22222 ng=udp:127.0.0.1:22222 metrics=http://127.0.0.1:22223/metrics". Blank lines and
// lines starting with "#" are ignored; an empty text clears every override.

export class RtpengineAddressesTextError extends Error {
  override name = "RtpengineAddressesTextError";
}

/**
 * Parses the form text into the stored shape ({ "<listed url>": { ng, metricsUrl } }).
 * Throws RtpengineAddressesTextError naming the line (1-based) and what is wrong with it.
 */
export function parseRtpengineAddressesText(text: string): RtpengineAddresses {
  const out: Record<string, unknown> = {};
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const where = `line ${index + 1}`;
    const [listed, ...fields] = line.split(/\s+/);
    if (!listed || listed.includes("=")) {
      throw new RtpengineAddressesTextError(
        `${where}: start with the media server URL as rtpengine.show lists it`,
      );
    }
    if (listed in out) throw new RtpengineAddressesTextError(`${where}: ${listed} is listed twice`);
    const entry: { ng?: string; metricsUrl?: string } = {};
    for (const field of fields) {
      const eq = field.indexOf("=");
      const key = field.slice(0, eq);
      const value = field.slice(eq + 1);
      if (eq < 0 || (key !== "ng" && key !== "metrics")) {
        throw new RtpengineAddressesTextError(
          `${where}: "${field}" — expected ng=udp:host:port or metrics=http://…`,
        );
      }
      if (key === "ng") entry.ng = value;
      else entry.metricsUrl = value;
    }
    const parsed = rtpengineAddressSchema.safeParse(entry);
    if (!parsed.success) {
      throw new RtpengineAddressesTextError(`${where}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
    }
    out[listed] = parsed.data;
  });
  if (Object.keys(out).length > MAX_RTPENGINE_OVERRIDES) {
    throw new RtpengineAddressesTextError(`at most ${MAX_RTPENGINE_OVERRIDES} media servers`);
  }
  const checked = rtpengineAddressesSchema.safeParse(out);
  if (!checked.success) throw new RtpengineAddressesTextError(checked.error.issues[0]?.message ?? "invalid");
  return checked.data;
}

/** The stored overrides as the form shows them (the inverse of parseRtpengineAddressesText). */
export function formatRtpengineAddressesText(addresses: RtpengineAddresses): string {
  return Object.entries(addresses)
    .map(([listed, a]) =>
      [listed, a.ng ? `ng=${a.ng}` : null, a.metricsUrl ? `metrics=${a.metricsUrl}` : null]
        .filter(Boolean)
        .join(" "),
    )
    .join("\n");
}
