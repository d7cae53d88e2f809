import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PATCH as patchProbesRoute } from "@/app/api/v1/nodes/[name]/probes/route";
import type { NodeSnapshot } from "@/lib/poller/snapshot";
import { createRtpengineNgClient, type RtpengineNgClient } from "@/lib/rtpengine/ng-client";
import { type LabConfig, labUp } from "../../scripts/lab/lab";
import { type MinimalKamailio, startMinimalKamailio } from "../support/minimal-kamailio";
import { callRoute, closedPort } from "./admin-support";
import { bearerFor, nextCycles, type PolledNodes, startPollingNodes } from "./poller-harness";

// A per-instance RTPEngine address against the real lab RTPEngine. A Kamailio of our own (not the gateway: tm,
// dialog, rtpengine, jsonrpcs) lists a media server at an address where nothing answers, as a node behind NAT or
// on another network would list one kamdash cannot reach. The admin's override sends NG to the lab's real
// RTPEngine instead; then, with NG pointed nowhere, a metricsUrl makes kamdash read RTPEngine's HTTP /metrics.
// A session offered straight to RTPEngine (no dialog) proves the sessions come from that engine.

const NODE = "foreign-rtp";
let lab: LabConfig;
let kamailio: MinimalKamailio;
let polled: PolledNodes;
let ng: RtpengineNgClient;
let listed: string;
let deadNg: string;
const strayCallId = `kamdash-override-${randomBytes(6).toString("hex")}`;

async function settled(what: (s: NodeSnapshot) => boolean, description: string): Promise<NodeSnapshot> {
  let last: NodeSnapshot | undefined;
  for (let i = 0; i < 10; i++) {
    last = await nextCycles(NODE, 1);
    if (what(last)) return last;
  }
  throw new Error(`${description}: not within 10 poll cycles; last: ${JSON.stringify(last?.rtpengines)}`);
}

async function setOverride(addresses: Record<string, { ng: string | null; metricsUrl: string | null }>) {
  const headers = await bearerFor("admin");
  const response = await callRoute(
    patchProbesRoute,
    "PATCH",
    `/api/v1/nodes/${NODE}/probes`,
    { name: NODE },
    {
      headers,
      body: { rtpengineAddresses: addresses },
    },
  );
  expect(response.status).toBe(200);
  await polled.poller.notify(); // what the service does for the process's own poller
}

beforeAll(async () => {
  lab = (await labUp({ stateDir: process.env.KAMDASH_TEST_LAB_STATE_DIR })).config;
  ng = createRtpengineNgClient({ address: lab.rtpengine.ng });
  deadNg = `udp:127.0.0.1:${await closedPort()}`;
  listed = `udp:127.0.0.1:${await closedPort()}`;
  kamailio = await startMinimalKamailio({
    extraModules: ["tm", "tmx", "kex", "pv", "rr", "dialog", "rtpengine"],
    extraConfig: [`modparam("rtpengine", "rtpengine_sock", "${listed}")`],
  });
  polled = await startPollingNodes("rtpengine_override", [
    { name: NODE, rpcUrl: kamailio.rpcUrl, source: "cli" },
  ]);
});

afterAll(async () => {
  await ng?.command("delete", { "call-id": strayCallId, "from-tag": "stray" }).catch(() => undefined);
  await ng?.close();
  await polled?.stop();
  await kamailio?.stop();
});

const engine = (s: NodeSnapshot) => s.rtpengines?.find((e) => e.url === listed);

describe("per-instance RTPEngine address on the lab's RTPEngine", () => {
  it("the listed address is silent; the override reaches the real engine over NG, then over /metrics", async () => {
    const silent = await settled((s) => engine(s)?.ngAnswered === false, "the listed address pinged");
    expect(engine(silent)?.label).toContain("no NG pong");
    expect(silent.sessionsVsCalls).toBeNull(); // sessions unknown, not 0

    await setOverride({ [listed]: { ng: `udp:${lab.rtpengine.ng}`, metricsUrl: null } });
    const viaNg = await settled(
      (s) => engine(s)?.ngAnswered === true && s.sessionsVsCalls?.sessions === 0,
      "NG through the override on an idle engine",
    );
    expect(viaNg.sessionsVsCalls).toEqual({ sessions: 0, calls: 0, gap: 0, engines: 1 });

    const sdp =
      "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n";
    await ng.command("offer", { "call-id": strayCallId, "from-tag": "stray", sdp });
    const leak = await settled((s) => s.sessionsVsCalls?.gap === 1, "the offered session over NG");
    expect(leak.sessionsVsCalls).toEqual({ sessions: 1, calls: 0, gap: 1, engines: 1 });

    // NG pointed where nothing answers, /metrics at the lab's HTTP listener: whichever answers
    await setOverride({ [listed]: { ng: deadNg, metricsUrl: `${lab.rtpengine.http}/metrics` } });
    const viaMetrics = await settled(
      (s) => engine(s)?.label.includes("sessions from /metrics") === true,
      "sessions read over /metrics",
    );
    expect(engine(viaMetrics)).toMatchObject({ ngAnswered: false, state: "unreachable" }); // as Kamailio sees it
    expect(viaMetrics.sessionsVsCalls).toEqual({ sessions: 1, calls: 0, gap: 1, engines: 1 });

    await ng.command("delete", { "call-id": strayCallId, "from-tag": "stray" });
    const gone = await settled(
      (s) => s.sessionsVsCalls?.sessions === 0,
      "the deleted session gone from /metrics",
    );
    expect(gone.sessionsVsCalls).toEqual({ sessions: 0, calls: 0, gap: 0, engines: 1 });

    // a /metrics URL where nothing listens: unknown again, never 0
    await setOverride({
      [listed]: { ng: deadNg, metricsUrl: `http://127.0.0.1:${await closedPort()}/metrics` },
    });
    const none = await settled(
      (s) => engine(s)?.ngAnswered === false && s.sessionsVsCalls === null,
      "nothing answers",
    );
    expect(engine(none)?.label).toMatch(/no NG pong: NG: .*; \/metrics: /);
    expect(polled.pollErrors).toEqual([]);
  });
});
