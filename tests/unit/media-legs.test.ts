import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { callMediaLegs } from "@/lib/media/call-media";
import { OneWayDetector } from "@/lib/media/one-way";
import { bencodeDecode } from "@/lib/rtpengine/bencode";
import { parseNgReply } from "@/lib/rtpengine/errors";
import { ngQueryReplySchema } from "@/lib/rtpengine/ng-schemas";

// NG query of the lab's confirmed WSS→WS call (tests/fixtures/rtpengine: signalling only, so no packets yet).

const fixture = path.resolve(import.meta.dirname, "../fixtures/rtpengine/ng-query.confirmed-call.bencode");
const reply = parseNgReply(ngQueryReplySchema, bencodeDecode(readFileSync(fixture)), "query");

describe("media legs from NG query", () => {
  it("name each party's profile, rtcp-mux, DTLS role and ICE, and count no packet as 0 with no last packet", () => {
    const legs = callMediaLegs(reply);
    expect(
      legs.map((l) => [l.tag, l.protocol, l.rtcpMux, l.dtlsRole, l.srtp, l.ice, l.iceControlling]),
    ).toEqual([
      ["c7f68fba", "UDP/TLS/RTP/SAVPF", true, "active", "DTLS-SRTP", true, false],
      ["bc0d7a06", "UDP/TLS/RTP/SAVPF", true, "passive", "DTLS-SRTP", true, true],
    ]);
    for (const leg of legs) {
      expect(leg.received).toEqual({ packets: 0, bytes: 0, errors: 0 });
      expect(leg.lastPacketS).toBeNull(); // "last packet" is only the stream's creation time here
      expect(leg.localPort).toBeGreaterThan(0);
    }
  });
});

describe("one-way audio", () => {
  const at = (s: number, a: number, b: number) => ({
    atMs: s * 1000,
    parties: [
      { tag: "caller", packets: a },
      { tag: "callee", packets: b },
    ],
  });

  it("needs a full window of readings before it judges", () => {
    const d = new OneWayDetector(5);
    expect(d.add("c", at(0, 0, 0)).state).toBe("unknown");
    expect(d.add("c", at(3, 150, 0)).state).toBe("unknown");
  });

  it("flags the silent party when the other flows for the whole window, and clears when both flow", () => {
    const d = new OneWayDetector(5);
    d.add("c", at(0, 0, 100));
    d.add("c", at(3, 150, 100));
    expect(d.add("c", at(6, 300, 100))).toEqual({
      state: "one_way",
      silentTag: "callee",
      flowingTag: "caller",
      silentForS: 6,
    });
    d.add("c", at(9, 450, 250));
    expect(d.add("c", at(12, 600, 400))).toEqual({ state: "two_way" });
  });

  it("tells a call with no media at all from one-way audio, and distrusts a counter that went back", () => {
    const d = new OneWayDetector(5);
    d.add("c", at(0, 10, 10));
    expect(d.add("c", at(6, 10, 10))).toEqual({ state: "no_media", silentForS: 6 });
    expect(d.add("c", at(12, 5, 10)).state).toBe("unknown");
  });
});
