import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { callMediaLegs } from "@/lib/media/call-media";
import { getNodeMedia } from "@/lib/media/media-watch";
import { createRtpengineNgClient, type RtpengineNgClient } from "@/lib/rtpengine/ng-client";
import type { NgQueryReply } from "@/lib/rtpengine/ng-schemas";
import { fleetDialogRows } from "@/lib/troubleshoot/fleet-rows";
import { getNodeLists } from "@/lib/troubleshoot/list-store";
import { type LabConfig, type LabOptions, labUp } from "../../scripts/lab/lab";
import { endDialog, removeRegistrations } from "../support/kamailio-rpc";
import { gatewaySuiteUsers } from "../support/lab";
import { playRtp } from "../support/rtp-stream";
import { type SippCallee, type SippCaller, startSippCallee, startSippCaller } from "../support/sipp-phones";
import { waitFor } from "../support/wait";
import { nextCycles, type PolledNodes, startPollingNodes } from "./poller-harness";

// One-way audio against the real lab: a UDP→UDP call through Kamailio and RTPEngine (SIPp caller and callee, which
// send no RTP themselves). The test plays the caller's RTP into RTPEngine at 50 packets/s (20 ms frames), so only
// the caller→callee direction carries media: kamdash must flag one-way audio naming the callee as silent within
// the window (KAMDASH_ONE_WAY_AFTER_S) plus a cycle, with one event. Then the callee's RTP starts too: the call
// turns two-way and the episode's end is one event. Lab users 84..85.

const ONE_WAY_AFTER_S = 3;
const labOptions: LabOptions = { stateDir: process.env.KAMDASH_TEST_LAB_STATE_DIR, users: gatewaySuiteUsers };
let lab: LabConfig;
let polled: PolledNodes;
let ng: RtpengineNgClient;
let callee: SippCallee | undefined;
let caller: SippCaller | undefined;
const stops: (() => void)[] = [];

async function query(callId: string): Promise<NgQueryReply> {
  return await ng.queryReply(callId);
}

beforeAll(async () => {
  lab = (await labUp(labOptions)).config;
  ng = createRtpengineNgClient({ address: lab.rtpengine.ng });
  for (const user of lab.users.slice(84, 86)) await removeRegistrations(lab.rpc, user.username);
  polled = await startPollingNodes("one_way_audio", [{ name: "lab", rpcUrl: lab.rpc, source: "lab" }], {
    heavyIntervalMs: 1000,
    media: { maxCalls: 50, oneWayAfterS: ONE_WAY_AFTER_S },
  });
});

afterAll(async () => {
  for (const stop of stops.splice(0)) stop();
  if (caller) await endDialog(lab.rpc, caller.callId).catch(() => undefined);
  await caller?.stop();
  await callee?.stop();
  await ng?.close();
  await polled?.stop();
});

describe("one-way audio on the lab", () => {
  it("flags the silent callee of a UDP→UDP call within the window, once; two-way again ends the episode", async () => {
    const [calleeUser, callerUser] = lab.users.slice(84, 86);
    if (!calleeUser || !callerUser) throw new Error("not enough lab users");
    callee = await startSippCallee(lab, calleeUser, "udp", "answer", 90_000);
    caller = await startSippCaller(lab, callerUser, calleeUser.username, "udp", 60_000);
    const callId = caller.callId;
    const legsOf = async () => callMediaLegs(await query(callId));
    const legs = await waitFor(
      async () => {
        const found = await legsOf().catch(() => []);
        return found.length === 2 && found.every((l) => l.localPort !== null) ? found : undefined;
      },
      { description: "RTPEngine holds both legs of the call", timeoutMs: 20_000 },
    );
    const rows = () => fleetDialogRows(Math.floor(Date.now() / 1000)).filter((r) => r.callId === callId);
    await waitFor(() => rows().some((r) => r.state === "confirmed"), {
      description: "the poller lists the confirmed dialog",
      timeoutMs: 20_000,
    });
    const dialog = getNodeLists("lab")?.dialogs?.list.find((d) => d.callId === callId);
    const callerLeg = legs.find((l) => l.tag === dialog?.caller.tag);
    const calleeLeg = legs.find((l) => l.tag === dialog?.callee.tag);
    if (!callerLeg?.localPort || !calleeLeg?.localPort) throw new Error("no RTPEngine ports");

    // media from the caller only; RTPEngine's port for the caller's leg receives what the caller sends
    const startedAt = Date.now();
    stops.push(playRtp(callerLeg.localPort, 0x11111111));
    const flagged = await waitFor(
      () => {
        const row = rows()[0];
        return row?.media?.state === "one_way" ? row : undefined;
      },
      { description: "one-way audio flagged", timeoutMs: 30_000 },
    );
    const tookS = (Date.now() - startedAt) / 1000;
    expect(flagged.media?.silentParty).toBe("callee");
    expect(flagged.media?.silentForS).toBeGreaterThanOrEqual(ONE_WAY_AFTER_S);
    // within the window plus the dlg.list and poll cycles it waits for (1 s each), with slack for a busy machine
    expect(tookS).toBeLessThan(ONE_WAY_AFTER_S + 8);
    const callerView = flagged.media?.legs.find((l) => l.party === "caller");
    const calleeView = flagged.media?.legs.find((l) => l.party === "callee");
    expect(callerView?.received.packets).toBeGreaterThan(0);
    expect(calleeView?.received.packets).toBe(0);
    expect(callerView?.protocol).toBe("RTP/AVP");
    expect(flagged.media?.flags?.offer).toBe("replace-origin replace-session-connection");
    // the callee (SIPp, "m=audio … RTP/AVP 0 8 101") answers PCMU first: the gateway's dialog variables say so
    expect(flagged.media?.codec).toEqual({ payloadType: 0, name: "PCMU/8000" });

    const db = await getDb();
    const events = async (kind: string) =>
      (await db.event.findMany({ where: { kind } })).filter(
        (e) => (e.detail as { callId?: string } | null)?.callId === callId,
      );
    await nextCycles("lab", 2);
    const oneWay = await events("one_way_audio");
    expect(oneWay).toHaveLength(1);
    expect(oneWay[0]?.severity).toBe("warning");
    expect(oneWay[0]?.message).toContain("no RTP from the callee (udp)");
    expect((oneWay[0]?.detail as { silentParty?: string } | undefined)?.silentParty).toBe("callee");

    // the callee starts sending: two-way, and the episode ends with one event
    stops.push(playRtp(calleeLeg.localPort, 0x22222222));
    const twoWay = await waitFor(
      () => {
        const row = rows()[0];
        return row?.media?.state === "two_way" ? row : undefined;
      },
      { description: "two-way again", timeoutMs: 30_000 },
    );
    for (const leg of twoWay.media?.legs ?? []) {
      // 50 packets/s from each side, read over about one poll interval: a band for timer and cycle jitter
      expect(leg.packetsPerS).toBeGreaterThan(35);
      expect(leg.packetsPerS).toBeLessThan(65);
    }
    await nextCycles("lab", 2);
    expect(await events("one_way_audio_ended")).toHaveLength(1);
    expect(await events("one_way_audio")).toHaveLength(1);
    expect(getNodeMedia("lab")?.problem).toBeNull();
  });
});
