import { createHmac, timingSafeEqual } from "node:crypto";

// Webhook signature, Stripe-style: header `X-Kamdash-Signature: t=<unix seconds>,v1=<hex>` where
// hex = HMAC-SHA256(secret, "<t>.<raw body>"). Receivers recompute it over the raw body they received, compare in
// constant time, and refuse a `t` older than their tolerance (replays). README "Alerts" has a snippet.

export const SIGNATURE_HEADER = "X-Kamdash-Signature";
/** Default tolerance of verifySignature between `t` and the receiver's clock, s. */
export const DEFAULT_TOLERANCE_S = 300;

function hmacHex(secret: string, timestampS: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestampS}.${body}`).digest("hex");
}

/** The header value for `body` sent at `timestampS` (unix seconds). */
export function signBody(secret: string, body: string, timestampS: number): string {
  return `t=${timestampS},v1=${hmacHex(secret, timestampS, body)}`;
}

/** True when `header` is a valid signature of `body` made no more than `toleranceS` from `nowS`. */
export function verifySignature(
  secret: string,
  body: string,
  header: string | null | undefined,
  nowS: number = Math.floor(Date.now() / 1000),
  toleranceS = DEFAULT_TOLERANCE_S,
): boolean {
  if (!header) return false;
  const parts = new Map(
    header.split(",").map((part) => {
      const at = part.indexOf("=");
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
  const t = Number(parts.get("t"));
  const v1 = parts.get("v1") ?? "";
  if (!Number.isInteger(t) || Math.abs(nowS - t) > toleranceS || !/^[0-9a-f]{64}$/.test(v1)) return false;
  return timingSafeEqual(Buffer.from(hmacHex(secret, t, body), "hex"), Buffer.from(v1, "hex"));
}
