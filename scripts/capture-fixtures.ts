// npx tsx scripts/capture-fixtures.ts [--ws N] [--wss M] [--many K]
// Captures REAL Kamailio JSON-RPC replies (and RTPEngine NG replies and /metrics) from the running lab into
// tests/fixtures/rpc/<method>.<variant>.json and tests/fixtures/rtpengine/. Needs `npm run lab:up` first.
// It only adds clients and calls of its own and removes them at the end; it never restarts the lab.
import { parseArgs } from "node:util";
import type { RpcParam } from "@/lib/kamailio/transport";
import { FixtureWriter, rawNg, rawRpc } from "./capture/raw";
import { type Dialog, SipWsClient } from "./capture/sip-ws-client";
import { type LabConfig, readLabConfig } from "./lab/lab";

const { values } = parseArgs({
  options: {
    ws: { type: "string", default: "4" },
    wss: { type: "string", default: "4" },
    many: { type: "string", default: "56" },
  },
});
const wsCount = Number(values.ws);
const wssCount = Number(values.wss);
const manyCount = Number(values.many);
if (!(wsCount >= 3 && wssCount >= 3)) throw new Error("--ws and --wss must be at least 3");

const lab: LabConfig = await readLabConfig();
const out = new FixtureWriter("tests/fixtures");
const timings: { variant: string; method: string; ms: number; bytes: number }[] = [];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function capture(method: string, variant: string, params: RpcParam[] = []): Promise<string> {
  const reply = await rawRpc(lab.rpc, method, params);
  timings.push({ variant, method: [method, ...params].join(" "), ms: reply.ms, bytes: reply.bytes });
  await out.save("rpc", `${method}.${variant}.json`, reply.body);
  return reply.body;
}

/** Saves a reply that is NOT a success (real error replies), with its HTTP status in the file name. */
async function captureFailure(name: string, url: string, body: string): Promise<void> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
  await out.save(
    "rpc",
    `${name}.http-${response.status}.${response.headers.get("content-type")?.includes("json") ? "json" : "txt"}`,
    await response.text(),
  );
}

async function captureNg(command: string, variant: string, args: Parameters<typeof rawNg>[2] = {}) {
  const { bytes, reply } = await rawNg(lab.rtpengine.ng, command, args);
  await out.save("rtpengine", `ng-${command}.${variant}.bencode`, bytes);
  return reply;
}

async function captureMetrics(variant: string): Promise<void> {
  const response = await fetch(new URL("/metrics", lab.rtpengine.http));
  if (!response.ok) throw new Error(`/metrics: HTTP ${response.status}`);
  await out.save("rtpengine", `metrics.${variant}.txt`, await response.text());
}

function resultOf(body: string): unknown {
  return (JSON.parse(body) as { result: unknown }).result;
}

/** Polls an RPC until `ready` accepts its result (the lab acts asynchronously on closes and calls). */
async function waitFor(
  method: string,
  params: RpcParam[],
  ready: (result: unknown) => boolean,
  what: string,
) {
  for (let i = 0; i < 50; i++) {
    if (ready(resultOf((await rawRpc(lab.rpc, method, params)).body))) return;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}`);
}

const wsCountOf = (r: unknown) => (r as { info: { wscounter: number } }).info.wscounter;
const dialogsOf = (r: unknown) => r as { state: number; "call-id": string }[];
const aorCountOf = (r: unknown) =>
  (r as { Domains: { Domain: { AoRs: unknown[] } }[] }).Domains.reduce((n, d) => n + d.Domain.AoRs.length, 0);

async function isIdle(): Promise<boolean> {
  const ws = wsCountOf(resultOf((await rawRpc(lab.rpc, "ws.dump")).body));
  const aors = aorCountOf(resultOf((await rawRpc(lab.rpc, "ul.dump", ["brief"])).body));
  const dialogs = dialogsOf(resultOf((await rawRpc(lab.rpc, "dlg.list")).body)).length;
  return ws === 0 && aors === 0 && dialogs === 0;
}

async function captureIdle(): Promise<void> {
  for (let attempt = 0; attempt < 10 && !(await isIdle()); attempt++) await sleep(3_000);
  if (!(await isIdle())) {
    console.warn("lab is not idle (someone else has clients or calls): idle variants NOT captured this run");
    return;
  }
  await capture("core.tcp_list", "idle");
  await capture("ws.dump", "idle");
  await capture("ul.dump", "idle");
  await capture("ul.dump", "brief-idle", ["brief"]);
  await capture("dlg.list", "idle");
  await capture("stats.fetch", "idle", ["websocket:", "dialog:", "tmx:"]);
  await capture("cnt.grp_get_all", "bridge-idle", ["bridge"]);
  await captureNg("list", "idle");
  await captureMetrics("idle");
}

if (lab.users.length < 4)
  throw new Error("the capture needs at least 4 lab users (npm run lab:up -- --users 4)");
const [caller1, caller2, ringUser, answerUser] = lab.users.slice(-4) as [
  LabConfig["users"][number],
  LabConfig["users"][number],
  LabConfig["users"][number],
  LabConfig["users"][number],
];
const origin = lab.origins[0] ?? "https://127.0.0.1:8443";
const connect = (secure: boolean, user: LabConfig["users"][number], onInvite?: "ring" | "answer") =>
  SipWsClient.connect({
    url: secure ? lab.sip.wss : lab.sip.ws,
    origin,
    domain: lab.domain,
    username: user.username,
    password: user.password,
    userAgent: `kamdash-capture/1.0 (${secure ? "wss" : "ws"})`,
    onInvite,
  });

const clients: SipWsClient[] = [];
try {
  await captureIdle();
  await capture("core.version", "lab");
  await capture("core.uptime", "lab");
  await capture("rtpengine.show", "all-up", ["all"]);
  await captureNg("ping", "lab");
  const request = (method: string, params: string[]) =>
    JSON.stringify({ jsonrpc: "2.0", method, params, id: 7 });
  await captureFailure("error.method-not-found", lab.rpc, request("no.such.method", []));
  await captureFailure("error.bad-param", lab.rpc, request("ws.dump", ["sideways"]));
  await captureFailure(
    "error.wrong-path",
    new URL("/nothing-here", lab.rpc).toString(),
    request("core.version", []),
  );

  // Callees first: one answering over WS, one only ringing over WSS; each is the only contact of its AOR.
  const answerer = await connect(false, answerUser, "answer");
  const ringer = await connect(true, ringUser, "ring");
  clients.push(answerer, ringer);
  if ((await answerer.register()) !== 200 || (await ringer.register()) !== 200)
    throw new Error("callee REGISTER");
  // The rest alternate between caller1 and caller2; the last client of each transport stays unregistered.
  const registered: { ws: SipWsClient[]; wss: SipWsClient[] } = { ws: [], wss: [] };
  const specs = [
    ...Array.from({ length: wsCount - 1 }, (_, i) => ({ secure: false, i, last: i === wsCount - 2 })),
    ...Array.from({ length: wssCount - 1 }, (_, i) => ({ secure: true, i, last: i === wssCount - 2 })),
  ];
  for (const spec of specs) {
    const client = await connect(spec.secure, spec.i % 2 === 0 ? caller1 : caller2);
    clients.push(client);
    if (spec.last) continue;
    if ((await client.register()) !== 200) throw new Error("REGISTER failed");
    registered[spec.secure ? "wss" : "ws"].push(client);
  }
  await waitFor("ws.dump", [], (r) => wsCountOf(r) >= clients.length, "all WebSocket clients in ws.dump");

  await capture("core.tcp_list", "clients");
  await capture("ws.dump", "clients");
  await capture("ws.dump", "used-desc", ["used_desc"]);
  await capture("ul.dump", "registered");
  await capture("ul.dump", "brief-registered", ["brief"]);

  // One confirmed call (WSS caller → WS callee that answers) and one early one (WS caller → WSS callee ringing).
  const [wssCaller, wsCaller] = [registered.wss[0], registered.ws[0]];
  if (!wssCaller || !wsCaller) throw new Error("need at least one registered WS and one WSS caller");
  const confirmed = wssCaller.invite(answerUser.username);
  const confirmedResult = await confirmed.final;
  if (confirmedResult.status !== 200 || !confirmedResult.dialog)
    throw new Error(`call: ${confirmedResult.status}`);
  const early = wsCaller.invite(ringUser.username);
  await waitFor(
    "dlg.list",
    [],
    (r) => dialogsOf(r).some((d) => d["call-id"] === early.callId),
    "early dialog",
  );
  await waitFor("dlg.list", [], (r) => dialogsOf(r).some((d) => d.state === 4), "confirmed dialog");

  await capture("dlg.list", "calls");
  await capture("stats.fetch", "calls", ["websocket:", "dialog:", "tmx:"]);
  await capture("stats.fetch", "all", ["all"]);
  await capture("cnt.grp_get_all", "bridge-calls", ["bridge"]);
  await captureNg("list", "calls");
  await captureNg("query", "confirmed-call", { "call-id": confirmed.callId });
  await captureNg("query", "unknown-call", { "call-id": "no-such-call@kamdash" });
  await captureNg("statistics", "calls");
  await captureMetrics("calls");

  if ((await early.cancel()) !== 200) throw new Error("CANCEL was not accepted");
  const earlyFinal = await early.final;
  const dialog: Dialog = confirmedResult.dialog;
  if ((await wssCaller.bye(dialog)) !== 200) throw new Error("BYE was not accepted");
  console.log(`early call ended with ${earlyFinal.status}; confirmed call ended with BYE`);
  await capture("dlg.list", "after-bye");
  await capture("cnt.grp_get_all", "bridge-after-calls", ["bridge"]);

  // More than 50 WebSocket connections: ws.dump stops at 50 and says so; core.tcp_list lists all.
  for (let i = clients.length; i < manyCount; i++) clients.push(await connect(i % 2 === 1, caller1));
  await waitFor(
    "core.tcp_list",
    [],
    (r) => (r as unknown[]).length > manyCount,
    "all connections in core.tcp_list",
  );
  await capture("ws.dump", "truncated");
  await capture("core.tcp_list", "many");
} finally {
  await Promise.all(clients.map((client) => client.close()));
}

console.log(`wrote ${out.written.length} fixtures:`);
for (const file of out.written) console.log(`  ${file}`);
console.log("\nvariant              method                              ms      bytes");
for (const t of timings) {
  console.log(
    `${t.variant.padEnd(20)} ${t.method.padEnd(34)} ${t.ms.toFixed(1).padStart(6)} ${String(t.bytes).padStart(9)}`,
  );
}
