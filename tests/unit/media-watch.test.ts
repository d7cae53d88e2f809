import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseDlgList } from "@/lib/kamailio/methods/dlg-list";
import { getNodeMedia, watchCallMedia } from "@/lib/media/media-watch";
import { bencodeDecode } from "@/lib/rtpengine/bencode";
import { parseNgReply } from "@/lib/rtpengine/errors";
import { ngQueryReplySchema } from "@/lib/rtpengine/ng-schemas";

// The watcher over replies captured together from the lab (tests/fixtures): dlg.list with the confirmed WSS→WS call
// d6b472bc17cdea9f@kamdash and RTPEngine's NG query of that call (signalling only: no packets either way).

const fixtures = path.resolve(import.meta.dirname, "../fixtures");
const reply = parseNgReply(
  ngQueryReplySchema,
  bencodeDecode(readFileSync(path.join(fixtures, "rtpengine/ng-query.confirmed-call.bencode"))),
  "query",
);
const dialogs = parseDlgList(
  JSON.parse(readFileSync(path.join(fixtures, "rpc/dlg.list.calls.json"), "utf8")).result,
);
const engines = [{ url: "udp:127.0.0.1:22222", address: "127.0.0.1:22222" }];
const confirmed = dialogs.filter((d) => d.state === "confirmed");
// the same captured dialog under other Call-IDs: five confirmed calls
const five = [0, 1, 2, 3, 4].map((i) => ({ ...confirmed[0], callId: `call-${i}` })) as typeof dialogs;

describe("call media watcher", () => {
  it("names parties by the dialog's tags and calls a call without packets 'no media' once the window passed", async () => {
    const base = { node: "w1", dialogs, engines, maxCalls: 50, silentS: 2, query: async () => reply };
    expect(await watchCallMedia({ ...base, nowMs: 0 })).toEqual([]);
    expect(await watchCallMedia({ ...base, nowMs: 2_000 })).toEqual([]);
    const view = getNodeMedia("w1")?.calls.get("d6b472bc17cdea9f@kamdash");
    expect(view?.state).toBe("no_media");
    expect(view?.legs.map((l) => [l.tag, l.party, l.packetsPerS])).toEqual([
      ["c7f68fba", "caller", 0],
      ["bc0d7a06", "callee", 0],
    ]);
    expect(view?.flags?.offer).toContain("generate-mid"); // wss→ws: toward a WebRTC leg
    expect(getNodeMedia("w1")?.calls.size).toBe(1); // the early dialog is not asked about
  });

  it("a call RTPEngine does not know is 'unknown' without a node problem", async () => {
    const query = async () => {
      throw new Error("rtpengine query on 127.0.0.1:22222: RTPEngine answered error: Unknown call-id");
    };
    await watchCallMedia({ node: "w2", dialogs, engines, maxCalls: 50, silentS: 2, query, nowMs: 0 });
    const media = getNodeMedia("w2");
    expect(media?.problem).toBeNull();
    expect(media?.calls.get("d6b472bc17cdea9f@kamdash")?.reason).toBe("no RTPEngine holds this call");
  });

  it("an engine that times out is asked once per cycle, and says so", async () => {
    let asked = 0;
    const query = async () => {
      asked += 1;
      throw new Error("no NG reply within 1000 ms");
    };
    await watchCallMedia({ node: "w3", dialogs: five, engines, maxCalls: 50, silentS: 2, query, nowMs: 0 });
    expect(asked).toBe(1);
    expect(getNodeMedia("w3")?.problem).toBe("NG query to udp:127.0.0.1:22222: no NG reply within 1000 ms");
    expect([...(getNodeMedia("w3")?.calls.values() ?? [])].every((c) => c.state === "unknown")).toBe(true);
  });

  it("over the per-cycle cap, calls rotate: every call is read within two cycles", async () => {
    const seen: string[] = [];
    const query = async (_address: string, callId: string) => {
      seen.push(callId);
      return reply;
    };
    const base = { node: "w4", dialogs: five, engines, maxCalls: 3, silentS: 2, query };
    await watchCallMedia({ ...base, nowMs: 0 });
    expect(getNodeMedia("w4")?.deferred).toBe(2);
    await watchCallMedia({ ...base, nowMs: 1_000 });
    expect(seen).toHaveLength(6);
    expect(new Set(seen)).toEqual(new Set(five.map((d) => d.callId)));
  });
});
