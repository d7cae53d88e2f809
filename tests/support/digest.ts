import { createHash, randomBytes } from "node:crypto";

// RFC 2617 / 3261 digest (MD5, qop=auth) for the test UA.

export interface DigestChallenge {
  realm: string;
  nonce: string;
  opaque?: string;
  algorithm?: string;
  qop?: string[];
}

export interface DigestCredentials {
  username: string;
  password: string;
}

const md5 = (text: string): string => createHash("md5").update(text).digest("hex");

export function parseDigestChallenge(headerValue: string): DigestChallenge {
  const scheme = headerValue.trim().slice(0, 6);
  if (scheme.toLowerCase() !== "digest") throw new Error(`not a Digest challenge: ${headerValue}`);
  const params = new Map<string, string>();
  const paramPattern = /([a-zA-Z0-9_-]+)\s*=\s*(?:"([^"]*)"|([^\s,]+))/g;
  for (const match of headerValue.slice(6).matchAll(paramPattern)) {
    const key = match[1];
    if (key) params.set(key.toLowerCase(), match[2] ?? match[3] ?? "");
  }
  const realm = params.get("realm");
  const nonce = params.get("nonce");
  if (realm === undefined || nonce === undefined)
    throw new Error(`challenge without realm/nonce: ${headerValue}`);
  const qop = params.get("qop");
  return {
    realm,
    nonce,
    opaque: params.get("opaque"),
    algorithm: params.get("algorithm"),
    qop: qop?.split(",").map((q) => q.trim()),
  };
}

/** Builds the Authorization / Proxy-Authorization header value answering `challenge`. */
export function digestAuthorization(
  challenge: DigestChallenge,
  credentials: DigestCredentials,
  method: string,
  uri: string,
  nonceCount = 1,
): string {
  if (challenge.algorithm && challenge.algorithm.toUpperCase() !== "MD5") {
    throw new Error(`unsupported digest algorithm ${challenge.algorithm}`);
  }
  const ha1 = md5(`${credentials.username}:${challenge.realm}:${credentials.password}`);
  const ha2 = md5(`${method}:${uri}`);
  const useQop = challenge.qop?.includes("auth") ?? false;
  const nc = nonceCount.toString(16).padStart(8, "0");
  const cnonce = randomBytes(8).toString("hex");
  const response = useQop
    ? md5(`${ha1}:${challenge.nonce}:${nc}:${cnonce}:auth:${ha2}`)
    : md5(`${ha1}:${challenge.nonce}:${ha2}`);
  const parts = [
    `username="${credentials.username}"`,
    `realm="${challenge.realm}"`,
    `nonce="${challenge.nonce}"`,
    `uri="${uri}"`,
    `response="${response}"`,
    "algorithm=MD5",
  ];
  if (challenge.opaque !== undefined) parts.push(`opaque="${challenge.opaque}"`);
  if (useQop) parts.push("qop=auth", `nc=${nc}`, `cnonce="${cnonce}"`);
  return `Digest ${parts.join(", ")}`;
}
