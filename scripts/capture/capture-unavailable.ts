// npx tsx scripts/capture/capture-unavailable.ts
// Captures what a Kamailio that is not our gateway answers to the poller's probe methods, byte for byte, into
// tests/fixtures/rpc/: a bare Kamailio (xhttp + jsonrpcs only) for "module not loaded", a plain proxy (tm, tmx,
// kex, counters) for stats.fetch without the websocket/dialog groups, and the shared lab for a counters group
// that does not exist. Starts and stops its own Kamailio instances (free 127.0.0.1 ports); reads the lab only.
import type { RpcParam } from "@/lib/kamailio/transport";
import { startMinimalKamailio } from "../../tests/support/minimal-kamailio";
import { readLabConfig } from "../lab/lab";
import { FixtureWriter } from "./raw";

const out = new FixtureWriter("tests/fixtures");

/** Saves the reply body as received; success replies as `<method>.<variant>.json`, others with the HTTP status. */
async function capture(url: string, method: string, params: RpcParam[], variant: string): Promise<void> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", method, params, id: 7 }),
  });
  const body = await response.text();
  const status = response.ok ? "" : `.http-${response.status}`;
  await out.save("rpc", `${method}.${variant}${status}.json`, body);
}

// The methods and parameters the poller's probes send (lib/poller/probes).
const probeCalls: [string, RpcParam[]][] = [
  ["ws.dump", []],
  ["ul.dump", []],
  ["dlg.list", []],
  ["rtpengine.show", ["all"]],
  ["stats.fetch", ["websocket:", "dialog:", "tmx:"]],
  ["cnt.grp_get_all", ["bridge"]],
];

const bare = await startMinimalKamailio();
try {
  for (const [method, params] of probeCalls) await capture(bare.rpcUrl, method, params, "module-not-loaded");
} finally {
  await bare.stop();
}

const proxy = await startMinimalKamailio({ extraModules: ["tm", "tmx", "kex", "counters"] });
try {
  await capture(proxy.rpcUrl, "stats.fetch", ["websocket:", "dialog:", "tmx:"], "no-websocket-dialog");
} finally {
  await proxy.stop();
}

const lab = await readLabConfig();
await capture(lab.rpc, "cnt.grp_get_all", ["nosuchgroup"], "no-such-group");

console.log(out.written.join("\n"));
