import type { Dialog } from "@/lib/kamailio/methods/dlg-list";
import { legTransport } from "@/lib/troubleshoot/bridge-direction";
import type { MediaLeg } from "./call-media";
import type { CallCodec } from "./codec";
import { callFlags } from "./gateway-flags";
import type { OneWayVerdict } from "./one-way";

// What a page or the API shows of one live call's media: RTPEngine's per-leg counters (NG `query`), named by SIP
// party, with packet rates and the one-way-audio verdict. Plain data (JSON-safe).

export type Party = "caller" | "callee";

export type CallMediaLeg = MediaLeg & {
  /** caller: the leg whose tag is the dialog's From-tag; callee: the To-tag; null: neither (a fork, a re-INVITE). */
  party: Party | null;
  /** RTP packets/s received from the party between the last two readings; null after a single reading. */
  packetsPerS: number | null;
  /** The party's SDP lets it send (RTPEngine media flag "send"): false while it holds the call or is recvonly. */
  sending: boolean;
};

export type MediaState =
  | "two_way"
  | "one_way"
  /** Neither party sent RTP over the window. */
  | "no_media"
  /** A party's SDP says it does not send (hold, recvonly): its silence is expected. */
  | "on_hold"
  /** Too few readings yet, parties changed, counters went back. */
  | "unknown";

export type CallMediaView = {
  callId: string;
  /** When RTPEngine was last asked (ISO). */
  at: string;
  /** The media server holding the call, as Kamailio lists it (rtpengine.show URL). */
  engine: string;
  state: MediaState;
  /** Why the state is unknown or on hold; null otherwise. */
  reason: string | null;
  /** For one_way: the party RTPEngine got no RTP from, and for how long (s). */
  silentParty: Party | null;
  silentForS: number | null;
  legs: CallMediaLeg[];
  /** The gateway's RTPEngine flags for this bridge direction (gateway/routes-media.cfg); null: direction unknown. */
  flags: { offer: string; answer: string } | null;
  /** The answering side's codec (dialog variables the gateway sets; lib/media/codec.ts); null: not recorded. */
  codec: CallCodec | null;
};

/** Which party a leg's tag belongs to. */
export function partyOf(dialog: Pick<Dialog, "caller" | "callee">, tag: string): Party | null {
  if (tag === dialog.caller.tag) return "caller";
  if (tag !== "" && tag === dialog.callee.tag) return "callee";
  return null;
}

/** The gateway's flags for the dialog's bridge direction, or null while a leg's transport is unknown. */
export function dialogFlags(dialog: Pick<Dialog, "caller" | "callee">): CallMediaView["flags"] {
  const from = legTransport(dialog.caller);
  const to = legTransport(dialog.callee);
  return from && to ? callFlags(from, to) : null;
}

/** The view's state and reason from the detector's verdict and the legs' SDP directions. */
export function mediaState(
  verdict: OneWayVerdict,
  legs: readonly CallMediaLeg[],
): Pick<CallMediaView, "state" | "reason" | "silentParty" | "silentForS"> {
  const held = legs.filter((l) => !l.sending);
  if (held.length > 0 && verdict.state !== "two_way")
    return {
      state: "on_hold",
      reason: `${held.map((l) => l.party ?? l.tag).join(" and ")} not sending (SDP direction)`,
      silentParty: null,
      silentForS: null,
    };
  switch (verdict.state) {
    case "two_way":
      return { state: "two_way", reason: null, silentParty: null, silentForS: null };
    case "unknown":
      return { state: "unknown", reason: verdict.reason, silentParty: null, silentForS: null };
    case "no_media":
      return {
        state: "no_media",
        reason: `no RTP from either party for ${verdict.silentForS} s`,
        silentParty: null,
        silentForS: verdict.silentForS,
      };
    case "one_way": {
      const silent = legs.find((l) => l.tag === verdict.silentTag);
      return {
        state: "one_way",
        reason: null,
        silentParty: silent?.party ?? null,
        silentForS: verdict.silentForS,
      };
    }
  }
}

/** "no RTP from the callee (udp) for 6 s while the caller (wss) sends" (SIP text left to the caller to escape). */
export function describeOneWay(view: CallMediaView, direction: string | null): string {
  const [from, to] = direction?.split("→") ?? [];
  const name = (party: Party | null) => {
    if (party === null) return "one party";
    const transport = party === "caller" ? from : to;
    return transport ? `the ${party} (${transport})` : `the ${party}`;
  };
  const other: Party | null =
    view.silentParty === "caller" ? "callee" : view.silentParty === "callee" ? "caller" : null;
  return `no RTP from ${name(view.silentParty)} for ${view.silentForS ?? "?"} s while ${name(other)} sends`;
}
