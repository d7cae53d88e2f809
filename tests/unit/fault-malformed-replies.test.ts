// Fault: Kamailio's replies truncated or malformed. 10,000 seeded corruptions of the captured replies
// (tests/support/reply-fuzz.ts) are served by a local HTTP server and read through the real client
// (lib/kamailio/client.ts: transport, JSON-RPC decoding, parsers) and the poller's number helpers on top of it.
// Every case must end in a value or a typed KamailioRpcError (no other throw), and a value may hold only numbers
// written in the reply it came from (no NaN, no Infinity, no default 0 for a missing field).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKamailioClient, type KamailioClient } from "@/lib/kamailio/client";
import { KamailioRpcError } from "@/lib/kamailio/errors";
import { parseBridgeCounters } from "@/lib/kamailio/methods/cnt-grp-get-all";
import { getStatsGroup } from "@/lib/kamailio/methods/stats-fetch";
import { parseUlDbCount, UL_DB_USERS } from "@/lib/kamailio/methods/ul-db-count";
import {
  type CapturedReply,
  capturedReplies,
  type FuzzCase,
  fuzzCase,
  inventedNumbers,
  MUTATIONS,
  numbersInText,
} from "../support/reply-fuzz";

const SEED = 20261201;
const CASES = 10_000;

/** What the dashboard reads from each captured method, by file-name prefix (longest first). */
const READERS: readonly [prefix: string, read: (c: KamailioClient) => Promise<unknown>][] = [
  ["ul.dump.brief-", (c) => c.ulDumpBrief()],
  ["ul.dump.", (c) => c.ulDump()],
  ["ul.db_contacts.", (c) => c.ulDbContacts("location")],
  ["ul.db_users.", async (c) => parseUlDbCount(await c.call(UL_DB_USERS, ["location"]), UL_DB_USERS)],
  ["core.tcp_list.", (c) => c.tcpList()],
  ["core.uptime.", (c) => c.coreUptime()],
  ["core.version.", (c) => c.coreVersion()],
  ["ws.dump.", (c) => c.wsDump()],
  ["dlg.list.", (c) => c.dlgList()],
  ["dlg.stats_active.", (c) => c.dlgStatsActive()],
  ["rtpengine.show.", (c) => c.rtpengineShowAll()],
  [
    "stats.fetch.",
    async (c) => {
      const stats = await c.statsFetch(["all"]);
      const groups = new Set(Object.keys(stats).map((key) => key.split(".")[0] ?? ""));
      return [...groups].map((group) => getStatsGroup(stats, group));
    },
  ],
  ["cnt.grp_get_all.", async (c) => parseBridgeCounters(await c.cntGrpGetAll("bridge"))],
  ["error.", (c) => c.coreUptime()],
];

const readerFor = (file: string) => READERS.find(([prefix]) => file.startsWith(prefix))?.[1];

let server: Server;
let client: KamailioClient;
/** What the server answers next: the case and the exact bytes it wrote (for the invented-number check). */
let current: { reply: CapturedReply; fuzz: FuzzCase | null; sent: string } | null = null;

function answer(requestId: number, res: import("node:http").ServerResponse): void {
  if (!current) throw new Error("no case set");
  const { reply, fuzz } = current;
  const full = fuzz
    ? fuzz.body(requestId)
    : Buffer.from(JSON.stringify({ ...reply.envelope, id: requestId }));
  const cut = fuzz?.cut;
  const sent = cut ? full.subarray(0, Math.floor(full.length * cut.fraction)) : full;
  current.sent = sent.toString("utf8");
  res.writeHead(reply.status, reply.reason, {
    "content-type": "application/json",
    "content-length": String(cut?.dropConnection ? full.length : sent.length),
  });
  if (cut?.dropConnection) {
    res.write(sent, () => res.socket?.destroy());
    return;
  }
  res.end(sent);
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: KamailioRpcError };

async function run(reply: CapturedReply, fuzz: FuzzCase | null): Promise<Outcome> {
  const read = readerFor(reply.file);
  if (!read) throw new Error(`no reader for ${reply.file}`);
  current = { reply, fuzz, sent: "" };
  try {
    return { ok: true, value: await read(client) };
  } catch (error) {
    if (error instanceof KamailioRpcError) return { ok: false, error };
    throw error;
  }
}

const replies = capturedReplies().filter((reply) => readerFor(reply.file) !== undefined);

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => answer((JSON.parse(Buffer.concat(chunks).toString()) as { id: number }).id, res));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  client = createKamailioClient({ url: `http://127.0.0.1:${port}/RPC`, timeoutMs: 5000 });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("fault: truncated or malformed Kamailio replies", () => {
  it("reads every captured reply untouched with only numbers the reply contains", async () => {
    expect(replies.length).toBeGreaterThan(40);
    for (const reply of replies) {
      const outcome = await run(reply, null);
      const invented = outcome.ok ? inventedNumbers(outcome.value, numbersInText(current?.sent ?? "")) : [];
      expect({ file: reply.file, invented }).toEqual({ file: reply.file, invented: [] });
    }
  });

  it("10,000 fuzzed replies through the real client: typed errors only, no invented number, wrong ids refused", async () => {
    const failures: string[] = [];
    const outcomes = new Map<string, number>();
    const count = (key: string) => outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    for (let index = 0; index < CASES; index++) {
      const fuzz = fuzzCase(SEED, index, replies);
      const what = () =>
        `case ${index} (${fuzz.source.file}; ${fuzz.steps.join("; ")}; cut ${JSON.stringify(fuzz.cut)})`;
      let outcome: Outcome;
      try {
        outcome = await run(fuzz.source, fuzz);
      } catch (error) {
        failures.push(`${what()}: untyped ${error instanceof Error ? error.stack : String(error)}`);
        continue;
      }
      const kind = MUTATIONS[index % MUTATIONS.length];
      count(`${kind}:${outcome.ok ? "value" : outcome.error.kind}`);
      if (!outcome.ok) continue;
      const invented = inventedNumbers(outcome.value, numbersInText(current?.sent ?? ""));
      if (invented.length > 0) failures.push(`${what()}: invented ${invented.slice(0, 3).join(", ")}`);
      if (fuzz.wrongId) failures.push(`${what()}: a reply for another request id was accepted`);
      if (fuzz.cut?.dropConnection) failures.push(`${what()}: a reply cut off mid-body was accepted`);
    }
    expect(failures.slice(0, 15)).toEqual([]);
    // the corruptions reached the parsers: each kind gave both accepted values and invalid_reply errors somewhere
    for (const kind of MUTATIONS.filter((k) => k !== "wrong_id")) {
      expect(outcomes.get(`${kind}:invalid_reply`), `${kind} rejected`).toBeGreaterThan(0);
    }
    expect(outcomes.get("wrong_id:value")).toBeUndefined();
    expect(outcomes.get("drop_field:value"), "drop_field accepted (optional fields)").toBeGreaterThan(0);
  }, 180_000);
});
