import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { calleeDirection, judgeLeg, judgeSdp, type SdpSeen } from "./sdp-checks";

// SDP captured from real lab calls (tests/fixtures/canary), then broken one line at a time the way a gateway
// without the right RTPEngine flags would break it.

const fixture = (name: string): SdpSeen & { offerReceived: string | null } => {
  const raw = JSON.parse(
    readFileSync(path.join(import.meta.dirname, "../../tests/fixtures/canary", name), "utf8"),
  );
  return { ...raw, calleeIsProbe: raw.offerReceived !== null };
};
const wssWss = fixture("wss-wss-call.json");
const wssUdp = fixture("wss-udp-call.json");

const failing = (seen: SdpSeen) =>
  judgeSdp(seen)
    .checks.filter((c) => !c.ok)
    .map((c) => `${c.leg} ${c.name}`);

describe("judgeSdp on SDP captured from the lab", () => {
  it("a wss→wss call: both legs pass every check", () => {
    const result = judgeSdp(wssWss);
    expect(result.direction).toBe("wss_wss");
    expect(result.checks).toHaveLength(18);
    expect(failing(wssWss)).toEqual([]);
  });

  it("a wss→udp call (SIPp answered plain RTP): the answer to the caller was turned into WebRTC", () => {
    const result = judgeSdp(wssUdp);
    expect(result.checks.map((c) => c.leg)).toEqual(Array(9).fill("answer_to_caller"));
    expect(failing(wssUdp)).toEqual([]);
  });

  it("SDP passed through untouched (no RTPEngine) fails the rewrite, ICE and fingerprint checks", () => {
    const seen = { ...wssWss, offerReceived: wssWss.offerSent, answerReceived: wssWss.answerSent };
    expect(failing(seen)).toEqual([
      "offer_to_callee media_rewritten",
      "offer_to_callee ice",
      "offer_to_callee fingerprint",
      "answer_to_caller media_rewritten",
      "answer_to_caller ice",
      "answer_to_caller fingerprint",
    ]);
  });

  it("a plain RTP/AVP answer (the WebRTC flags not applied) fails profile, ICE, fingerprint, rtcp-mux", () => {
    const plain = [
      "v=0",
      "o=callee 1 1 IN IP4 127.0.0.1",
      "s=-",
      "c=IN IP4 127.0.0.1",
      "t=0 0",
      "m=audio 40000 RTP/AVP 0",
      "a=rtpmap:0 PCMU/8000",
      "a=sendrecv",
      "",
    ].join("\r\n");
    const checks = judgeLeg("answer_to_caller", null, plain);
    expect(checks.filter((c) => !c.ok).map((c) => c.name)).toEqual([
      "profile",
      "media_rewritten",
      "ice",
      "fingerprint",
      "rtcp_mux",
      "mid",
      "setup",
    ]);
    expect(checks.find((c) => c.name === "profile")).toMatchObject({
      expected: "UDP/TLS/RTP/SAVPF",
      actual: "RTP/AVP",
    });
  });

  it("an SDES a=crypto line or a codec the caller never offered is reported", () => {
    const answer = (wssWss.answerReceived as string)
      .replace(
        "a=rtcp-mux\r\n",
        "a=rtcp-mux\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:abcdefghijklmnopqrstuvwxyz0123456789ABCD\r\n",
      )
      .replaceAll("opus/48000/2", "G722/8000");
    expect(failing({ ...wssWss, answerReceived: answer })).toEqual([
      "answer_to_caller no_sdes",
      "answer_to_caller codec",
    ]);
  });

  it("a missing or unreadable SDP is one failed check, not a crash", () => {
    expect(judgeLeg("offer_to_callee", wssWss.offerSent, null)).toEqual([
      {
        leg: "offer_to_callee",
        name: "audio",
        ok: false,
        expected: "an SDP with an audio m-line",
        actual: null,
      },
    ]);
    expect(judgeLeg("answer_to_caller", null, "not sdp")[0]).toMatchObject({ name: "audio", ok: false });
  });
});

describe("calleeDirection", () => {
  it("names the bridge direction from the WebSocket scheme and the callee's transport", () => {
    expect(calleeDirection("wss://gw:443", null)).toBe("wss_wss");
    expect(calleeDirection("ws://gw:80", null)).toBe("ws_ws");
    expect(calleeDirection("wss://gw:443", "sip:echo@10.0.0.9:5060")).toBe("wss_udp");
    expect(calleeDirection("wss://gw:443", "sip:echo@10.0.0.9;transport=TCP")).toBe("wss_tcp");
    expect(calleeDirection("wss://gw:443", "sips:echo@example.org")).toBe("wss_tls");
  });
});
