import http from "node:http";
import { z } from "zod";

// Minimal JSON-RPC 2.0 client for the lab's Kamailio (one call per request: jsonrpcs has no batches).

const rpcReplySchema = z.union([
  z.object({ jsonrpc: z.literal("2.0"), id: z.number(), result: z.unknown() }),
  z.object({
    jsonrpc: z.literal("2.0"),
    id: z.number().nullable(),
    error: z.object({ code: z.number(), message: z.string() }),
  }),
]);

let nextId = 1;

export class KamailioRpcError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    message: string,
  ) {
    super(`${method}: RPC error ${code} ${message}`);
  }
}

/**
 * POST over a fresh connection each time: the gateway closes the connection after every reply, and a
 * pooled keep-alive socket (fetch's default) can be reused just as it closes ("other side closed").
 */
function postOnce(url: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: "POST",
        agent: false,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
        timeout: 5_000,
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          text += chunk;
        });
        response.on("end", () => resolve({ status: response.statusCode ?? 0, text }));
        response.on("error", reject);
      },
    );
    request.on("timeout", () => request.destroy(new Error(`no reply from ${url} within 5 s`)));
    request.on("error", reject);
    request.end(body);
  });
}

export async function kamailioRpc(
  rpcUrl: string,
  method: string,
  ...params: (string | number)[]
): Promise<unknown> {
  const id = nextId++;
  const { status, text } = await postOnce(rpcUrl, JSON.stringify({ jsonrpc: "2.0", method, params, id }));
  // jsonrpcs answers RPC errors with a matching HTTP status and a JSON-RPC error body
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${method}: HTTP ${status} from ${rpcUrl}, not JSON: ${text.slice(0, 200)}`);
  }
  const reply = rpcReplySchema.parse(body);
  if ("error" in reply) throw new KamailioRpcError(method, reply.error.code, reply.error.message);
  return reply.result;
}

const dialogSchema = z
  .object({
    h_entry: z.number(),
    h_id: z.number(),
    "call-id": z.string(),
    from_uri: z.string(),
    to_uri: z.string(),
    state: z.number(),
    // a leg Kamailio has not seen yet (the callee of a ringing or cancelled call) has null fields
    caller: z.object({ contact: z.string().nullable(), socket: z.string().nullable() }).passthrough(),
    callee: z.object({ contact: z.string().nullable(), socket: z.string().nullable() }).passthrough(),
  })
  .passthrough();

export type KamailioDialog = z.infer<typeof dialogSchema>;

export async function listDialogs(rpcUrl: string): Promise<KamailioDialog[]> {
  const result = await kamailioRpc(rpcUrl, "dlg.list");
  // an empty dialog table comes back as no result at all
  if (result === undefined || result === null) return [];
  return z.array(dialogSchema).parse(result);
}

export async function findDialog(rpcUrl: string, callId: string): Promise<KamailioDialog | undefined> {
  return (await listDialogs(rpcUrl)).find((dialog) => dialog["call-id"] === callId);
}

/**
 * Ends a live dialog the way an operator would (dlg.end_dlg: BYE to both parties), so a test that stops its SIPp
 * phones early leaves no confirmed dialog (3 h timeout) behind on the shared lab. No-op when it is gone already.
 */
export async function endDialog(rpcUrl: string, callId: string): Promise<void> {
  const dialog = await findDialog(rpcUrl, callId);
  if (!dialog || dialog.state === DIALOG_DELETED) return;
  await kamailioRpc(rpcUrl, "dlg.end_dlg", dialog.h_entry, dialog.h_id);
}

/** Dialog states: 1 unconfirmed, 2 early, 3 confirmed (no ACK yet), 4 confirmed, 5 deleted. */
export const DIALOG_CONFIRMED = 4;
export const DIALOG_DELETED = 5;

export async function bridgeCounters(rpcUrl: string): Promise<Record<string, number>> {
  const result = await kamailioRpc(rpcUrl, "cnt.grp_get_all", "bridge");
  return z.record(z.string(), z.number()).parse(result);
}

/** Removes every registered contact of `username` (test isolation; use_domain is off in the lab). */
export async function removeRegistrations(rpcUrl: string, username: string): Promise<void> {
  await kamailioRpc(rpcUrl, "ul.rm", "location", username);
}

const contactSchema = z.object({
  Contact: z.object({ Address: z.string(), Socket: z.string(), Received: z.string() }).passthrough(),
});
const lookupSchema = z.object({ AoR: z.string(), Contacts: z.array(contactSchema) }).passthrough();

export interface RegisteredContact {
  address: string;
  /** Local socket the registration came in on, e.g. "tls:127.0.0.1:5061". */
  socket: string;
  /** Source address recorded for NAT'ed / connection-oriented contacts, or "[not set]". */
  received: string;
}

/** Contacts usrloc holds for `username` (empty when none). */
export async function registeredContacts(rpcUrl: string, username: string): Promise<RegisteredContact[]> {
  try {
    const result = lookupSchema.parse(await kamailioRpc(rpcUrl, "ul.lookup", "location", username));
    return result.Contacts.map(({ Contact }) => ({
      address: Contact.Address,
      socket: Contact.Socket,
      received: Contact.Received,
    }));
  } catch (error) {
    if (error instanceof KamailioRpcError && /AOR not found/i.test(error.message)) return [];
    throw error;
  }
}
