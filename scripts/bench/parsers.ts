// npm run bench -- --parsers [--runs 7] [--zod]   (or: npx tsx scripts/bench/parsers.ts [--runs 7] [--zod])
// Times the two heavy Kamailio replies without a lab: a 100,000-entry core.tcp_list and 100,000-contact ul.dump
// replies, scaled up from the captured fixtures (tests/fixtures/rpc) with varied ids and addresses. Per reply:
// JSON.parse alone, and the client's full path (decodeRpcReply on the body, then the method's parse function);
// --zod adds the reference zod schemas the parse functions replaced. Prints medians and minimums; asserts nothing.
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { parseReply } from "@/lib/kamailio/errors";
import { CORE_TCP_LIST, coreTcpListSchema, parseCoreTcpList } from "@/lib/kamailio/methods/core-tcp-list";
import { parseUlDump, UL_DUMP, ulDumpSchema } from "@/lib/kamailio/methods/ul-dump";
import { decodeRpcReply } from "@/lib/kamailio/transport";
import { formatTable, median } from "./stats";

const ENTRIES = 100_000;
const TARGET_MS = { [CORE_TCP_LIST]: 150, [UL_DUMP]: 1500 } as const;
const NODE = "http://bench.invalid/RPC";

type Json = Record<string, unknown>;

const fixtureDir = path.resolve(import.meta.dirname, "../../tests/fixtures/rpc");
const fixtureResult = (name: string): unknown =>
  (JSON.parse(readFileSync(path.join(fixtureDir, name), "utf8")) as { result: unknown }).result;
const pick = <T>(list: readonly T[], i: number): T => list[i % list.length] as T;
const ipv4 = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
const hex = (i: number) => (i * 2654435761).toString(16).padStart(10, "0").slice(-10);
const body = (result: unknown) => JSON.stringify({ jsonrpc: "2.0", result, id: 1 });

/** `count` connections cycling through the captured ones (WS, WSS, TCP), each with its own id and client address. */
function tcpListBody(count: number): string {
  const templates = fixtureResult("core.tcp_list.clients.json") as Json[];
  const list = Array.from({ length: count }, (_, i) => ({
    ...pick(templates, i),
    id: 1000 + i,
    src_ip: ipv4(i),
    src_port: 1024 + (i % 64_000),
  }));
  return body(list);
}

/** ul.dump with `aors` AORs of `perAor` contacts each, cycling through the captured contacts. */
function ulDumpBody(aors: number, perAor: number): string {
  const reply = fixtureResult("ul.dump.registered.json") as { Domains: { Domain: Json }[] };
  const domain = reply.Domains[0]?.Domain;
  if (!domain) throw new Error("ul.dump.registered.json has no domain");
  const templates = (domain.AoRs as { Info: { Contacts: { Contact: Json }[] } }[]).flatMap((a) =>
    a.Info.Contacts.map((c) => c.Contact),
  );
  let n = 0;
  const contact = (user: string): Json => {
    const i = n++;
    const template = pick(templates, i);
    return {
      ...template,
      Address: `sip:${user}@${hex(i)}.invalid;transport=${String(template.Address).endsWith("wss") ? "wss" : "ws"}`,
      // a few of every kind Kamailio prints: permanent contacts, an Instance, no KA-Roundtrip (before 5.6)
      Expires: i % 97 === 0 ? "permanent" : 600 - (i % 600),
      "Call-ID": `${hex(i * 7)}${hex(i)}@kamdash`,
      Received: `sip:${ipv4(i)}:${1024 + (i % 64_000)};transport=ws`,
      Ruid: `uloc-6b081652-${i}-1`,
      Instance: i % 11 === 0 ? `<urn:uuid:00000000-0000-4000-8000-${hex(i).padStart(12, "0")}>` : "[not set]",
      "Tcpconn-Id": 1000 + i,
      ...(i % 13 === 0 ? { "KA-Roundtrip": undefined } : {}),
    };
  };
  const list = Array.from({ length: aors }, (_, a) => {
    const user = String(100_000 + a);
    const contacts = Array.from({ length: perAor }, () => ({ Contact: contact(user) }));
    return { Info: { AoR: user, HashID: 900_000_000 + a, Contacts: contacts } };
  });
  const stats = { Records: aors, "Max-Slots": 1 };
  return body({ Domains: [{ Domain: { ...domain, AoRs: list, Stats: stats } }] });
}

interface Case {
  label: string;
  method: typeof CORE_TCP_LIST | typeof UL_DUMP;
  body: string;
  parse: (result: unknown) => unknown;
  zod: (result: unknown) => unknown;
}

/** The first run (cold: JIT, first big allocations) and `runs` more. */
function time(runs: number, run: () => unknown): { first: number; times: number[] } {
  const times: number[] = [];
  for (let r = 0; r <= runs; r++) {
    const started = performance.now();
    run();
    times.push(performance.now() - started);
  }
  const [first = Number.NaN, ...rest] = times;
  return { first, times: rest };
}

export function runParserBench(argv: readonly string[]): void {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      parsers: { type: "boolean", default: false },
      runs: { type: "string", default: "7" },
      zod: { type: "boolean", default: false },
    },
  });
  const runs = Math.max(1, Number(values.runs) || 7);
  const log = (line: string) => console.log(line);

  log(`building replies (${ENTRIES.toLocaleString("en")} entries each)…`);
  const tcp = tcpListBody(ENTRIES);
  const cases: Case[] = [
    {
      label: "core.tcp_list 100k connections",
      method: CORE_TCP_LIST,
      body: tcp,
      parse: (r) => parseCoreTcpList(r, NODE),
      zod: (r) => parseReply(coreTcpListSchema, r, CORE_TCP_LIST, NODE),
    },
    ...(
      [
        [ENTRIES, 1],
        [ENTRIES / 4, 4],
      ] as const
    ).map(
      ([aors, perAor]): Case => ({
        label: `ul.dump ${aors / 1000}k AORs x ${perAor} contact${perAor > 1 ? "s" : ""}`,
        method: UL_DUMP,
        body: ulDumpBody(aors, perAor),
        parse: (r) => parseUlDump(r, NODE),
        zod: (r) => parseReply(ulDumpSchema, r, UL_DUMP, NODE),
      }),
    ),
  ];

  const ms = (value: number) => value.toFixed(1);
  const rows: string[][] = [["reply", "MB", "step", "median ms", "min ms", "first ms", "target (median)"]];
  for (const c of cases) {
    const decode = () => decodeRpcReply(c.body, { method: c.method, nodeUrl: NODE });
    const steps = [
      { step: "JSON.parse", run: () => JSON.parse(c.body), judged: false },
      { step: "decode + parse", run: () => c.parse(decode()), judged: true },
      ...(values.zod ? [{ step: "decode + zod (before)", run: () => c.zod(decode()), judged: false }] : []),
    ];
    for (const { step, run, judged } of steps) {
      log(`  ${c.label}: ${step}…`);
      const { first, times } = time(runs, run);
      const target = TARGET_MS[c.method];
      const verdict = judged ? `≤${target} ${median(times) <= target ? "pass" : "OVER"}` : "";
      const mb = (Buffer.byteLength(c.body) / 1e6).toFixed(1);
      rows.push([c.label, mb, step, ms(median(times)), ms(Math.min(...times)), ms(first), verdict]);
    }
  }
  log("");
  log(formatTable(rows));
  log("");
  log(`median and min of ${runs} runs after a first (cold) one. "decode + parse" is the client's path:`);
  log("decodeRpcReply on the body (JSON.parse included), then parseCoreTcpList / parseUlDump.");
}

// Also runnable on its own: poll-cycle.ts, which dispatches --parsers here, first loads the whole poller.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  runParserBench(process.argv.slice(2));
