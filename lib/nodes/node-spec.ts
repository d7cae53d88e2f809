import { z } from "zod";
import { maskEntryCredentials } from "./mask-credentials";

export const NODE_SOURCES = ["env", "lab", "cli", "ui", "api"] as const;
export type NodeSource = (typeof NODE_SOURCES)[number];

/** Node names appear in URLs (/nodes/<name>) and logs: keep them short and plain. */
export const nodeNameSchema = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/,
    "node name: 1-63 characters of letters, digits, '.', '_' or '-', starting with a letter or digit",
  );

/** Kamailio's JSON-RPC endpoint (xhttp + jsonrpcs), e.g. http://127.0.0.1:5080/RPC. */
export const rpcUrlSchema = z
  .string()
  .trim()
  .pipe(z.url({ protocol: /^https?$/, error: "RPC URL must be an http:// or https:// URL" }));

/**
 * The RPC URL as shown outside the poller (API, stream, pages, events): without the `user:password@` that the
 * RPC client sends as Basic auth, because viewers and wall kiosks see these fields.
 */
export function displayRpcUrl(rpcUrl: string): string {
  let url: URL;
  try {
    url = new URL(rpcUrl);
  } catch {
    return rpcUrl;
  }
  if (url.username === "" && url.password === "") return rpcUrl;
  url.username = "";
  url.password = "";
  return url.toString();
}

export const nodeSpecSchema = z.object({ name: nodeNameSchema, rpcUrl: rpcUrlSchema });
export type NodeSpec = z.infer<typeof nodeSpecSchema>;

export class NodeConfigError extends Error {
  override name = "NodeConfigError";
}

function firstIssue(error: z.ZodError): string {
  return error.issues[0]?.message ?? "invalid";
}

/**
 * Parses KAMAILIO_NODES: "name=url[,name=url…]". Whitespace around entries is ignored; an empty entry,
 * a missing "=", a bad name or URL, or a repeated name is an error that quotes the entry in full, with the
 * password of a `user:password@` masked.
 */
export function parseKamailioNodes(value: string): NodeSpec[] {
  const entries = value.split(",").map((entry) => entry.trim());
  if (entries.length === 1 && entries[0] === "") {
    throw new NodeConfigError("KAMAILIO_NODES is empty; expected name=url[,name=url…]");
  }
  const seen = new Set<string>();
  return entries.map((entry, index) => {
    const where = `KAMAILIO_NODES entry ${index + 1} "${maskEntryCredentials(entry)}"`;
    const separator = entry.indexOf("=");
    if (separator < 0) throw new NodeConfigError(`${where}: expected name=url`);
    const parsed = nodeSpecSchema.safeParse({
      name: entry.slice(0, separator),
      rpcUrl: entry.slice(separator + 1),
    });
    if (!parsed.success) throw new NodeConfigError(`${where}: ${firstIssue(parsed.error)}`);
    if (seen.has(parsed.data.name)) {
      throw new NodeConfigError(`${where}: node name "${parsed.data.name}" is listed twice`);
    }
    seen.add(parsed.data.name);
    return parsed.data;
  });
}

/** Validates a name and URL given on the command line or in a form; the error says which is wrong. */
export function parseNodeSpec(name: string, rpcUrl: string): NodeSpec {
  const parsed = nodeSpecSchema.safeParse({ name, rpcUrl });
  if (!parsed.success) throw new NodeConfigError(firstIssue(parsed.error));
  return parsed.data;
}
