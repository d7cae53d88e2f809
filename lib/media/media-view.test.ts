import { describe, expect, it } from "vitest";
import { answerCodec } from "./codec";
import { gatewayFlags } from "./gateway-flags";
import { type CallMediaLeg, describeOneWay, mediaState } from "./media-view";

const leg = (tag: string, party: "caller" | "callee", sending = true): CallMediaLeg => ({
  tag,
  party,
  sending,
  protocol: "RTP/AVP",
  rtcpMux: false,
  dtlsRole: null,
  srtp: null,
  ice: false,
  iceControlling: false,
  remote: null,
  localPort: 30000,
  received: { packets: 0, bytes: 0, errors: 0 },
  lastPacketS: null,
  packetsPerS: null,
});

describe("media state", () => {
  it("names the silent party of a one-way call", () => {
    const legs = [leg("a", "caller"), leg("b", "callee")];
    const state = mediaState({ state: "one_way", silentTag: "b", flowingTag: "a", silentForS: 6 }, legs);
    expect(state).toEqual({ state: "one_way", reason: null, silentParty: "callee", silentForS: 6 });
    const text = describeOneWay(
      { callId: "c", at: "", engine: "", legs, flags: null, codec: null, ...state },
      "wss→udp",
    );
    expect(text).toBe("no RTP from the callee (udp) for 6 s while the caller (wss) sends");
  });

  it("a party whose SDP does not send (hold) is on hold, not one-way", () => {
    const legs = [leg("a", "caller"), leg("b", "callee", false)];
    const state = mediaState({ state: "one_way", silentTag: "b", flowingTag: "a", silentForS: 6 }, legs);
    expect(state.state).toBe("on_hold");
    expect(state.reason).toBe("callee not sending (SDP direction)");
  });
});

describe("gateway flags (gateway/routes-media.cfg, the seed's table)", () => {
  it("WebRTC to plain: demux rtcp, drop DTLS/ICE, RTP/AVP", () => {
    expect(gatewayFlags("wss", "udp", true)).toBe(
      "replace-origin replace-session-connection rtcp-mux-demux DTLS=off SDES-off ICE=remove RTP/AVP",
    );
  });
  it("plain to WebRTC: offer rtcp-mux, mid, passive DTLS on offers, ICE, SAVPF", () => {
    expect(gatewayFlags("udp", "wss", true)).toBe(
      "replace-origin replace-session-connection rtcp-mux-offer generate-mid DTLS=passive SDES-off ICE=force UDP/TLS/RTP/SAVPF",
    );
    expect(gatewayFlags("udp", "ws", false)).not.toContain("DTLS=passive");
  });
  it("WebRTC to WebRTC keeps the profile; plain to plain only rewrites addresses", () => {
    expect(gatewayFlags("wss", "wss", true)).toBe(
      "replace-origin replace-session-connection generate-mid DTLS=passive SDES-off ICE=force",
    );
    expect(gatewayFlags("udp", "tls", true)).toBe("replace-origin replace-session-connection");
  });
});

describe("answer codec (gateway dialog variables)", () => {
  it("names the codec from the rtpmap, or from the static table, or says the payload type", () => {
    expect(answerCodec({ answer_pt: "111", answer_rtpmap: "a=rtpmap:111 opus/48000/2" })).toEqual({
      payloadType: 111,
      name: "opus/48000/2",
    });
    expect(answerCodec({ answer_pt: "8" })).toEqual({ payloadType: 8, name: "PCMA/8000" });
    expect(answerCodec({ answer_pt: "96", answer_rtpmap: "a=rtpmap:97 telephone-event/8000" })).toEqual({
      payloadType: 96,
      name: "payload type 96",
    });
    expect(answerCodec({ answer_pt: "<script>" })).toBeNull();
    expect(answerCodec({})).toBeNull();
  });
});
