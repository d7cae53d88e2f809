import type { Dialog } from "@/lib/kamailio/methods/dlg-list";
import type { NgQueryReply } from "@/lib/rtpengine/ng-schemas";
import { bridgeDirection } from "@/lib/troubleshoot/bridge-direction";
import { userPart } from "@/lib/troubleshoot/search";
import { callMediaLegs } from "./call-media";
import { answerCodec } from "./codec";
import {
  type CallMediaLeg,
  type CallMediaView,
  describeOneWay,
  dialogFlags,
  mediaState,
  partyOf,
} from "./media-view";
import { OneWayDetector } from "./one-way";

// Each poll cycle, the media of a node's confirmed calls: RTPEngine's NG `query` per Call-ID (bounded per cycle,
// rotating when there are more calls), judged for one-way audio, kept in memory for the pages, with an event when
// a call turns one-way and when it recovers.

/** NG `query` of one call on the media server at `address` ("host:port"); rejects with RTPEngine's error. */
export type NgQuery = (address: string, callId: string) => Promise<NgQueryReply>;

export type MediaEngine = { url: string; address: string };

export type NodeMedia = {
  /** When the last cycle asked (ISO); null before the first. */
  at: string | null;
  calls: Map<string, CallMediaView>;
  /** Why some or all calls could not be read in the last cycle; null when all were. */
  problem: string | null;
  /** Confirmed calls left for a later cycle by the per-cycle cap. */
  deferred: number;
};

export type MediaEvent = {
  kind: "one_way_audio" | "one_way_audio_ended";
  severity: "warning" | "info";
  /** Plain text; the SIP URIs in it are the users' (render as text). */
  message: string;
  detail: Record<string, string | number | null>;
};

type NodeState = NodeMedia & {
  silentS: number;
  detector: OneWayDetector;
  engineOf: Map<string, string>;
  previous: Map<string, { atMs: number; packets: Map<string, number> }>;
  oneWay: Set<string>;
  rotation: number;
};

const holder = globalThis as { __kamdashMedia?: Map<string, NodeState> };
holder.__kamdashMedia ??= new Map();
const store: Map<string, NodeState> = holder.__kamdashMedia;

export const isUnknownCall = (error: unknown) =>
  error instanceof Error && /unknown call-id/i.test(error.message);

const aorOf = (uri: string) => uri.replace(/^sips?:/i, "").split(/[;>?]/)[0] ?? uri;

function stateFor(node: string, silentS: number): NodeState {
  let state = store.get(node);
  if (!state || state.silentS !== silentS) {
    state = {
      silentS,
      at: null,
      calls: new Map(),
      problem: null,
      deferred: 0,
      detector: new OneWayDetector(silentS),
      engineOf: new Map(),
      previous: new Map(),
      oneWay: new Set(),
      rotation: 0,
    };
    store.set(node, state);
  }
  return state;
}

/** Asks the engine that held the call last time first. An engine that fails (timeout…) is not asked again this cycle. */
async function queryOnEngines(
  callId: string,
  engines: readonly MediaEngine[],
  first: string | undefined,
  query: NgQuery,
  failed: Map<string, string>,
): Promise<{ engine: MediaEngine; reply: NgQueryReply } | { error: string }> {
  const ordered = [...engines].sort((a, b) => Number(b.url === first) - Number(a.url === first));
  const errors: string[] = [];
  for (const engine of ordered) {
    const earlier = failed.get(engine.url);
    if (earlier) {
      errors.push(`${engine.url}: ${earlier}`);
      continue;
    }
    try {
      return { engine, reply: await query(engine.address, callId) };
    } catch (error) {
      if (isUnknownCall(error)) continue;
      failed.set(engine.url, (error as Error).message);
      errors.push(`${engine.url}: ${(error as Error).message}`);
    }
  }
  return { error: errors.length > 0 ? errors.join("; ") : "no RTPEngine holds this call" };
}

export type WatchInput = {
  node: string;
  /** The node's latest dlg.list (null: not read yet). */
  dialogs: readonly Dialog[] | null;
  /** Media servers that answered NG this cycle. */
  engines: readonly MediaEngine[];
  query: NgQuery;
  nowMs: number;
  /** At most this many NG queries per cycle. */
  maxCalls: number;
  /** Seconds without RTP from one party, while the other's flows, that make a call one-way. */
  silentS: number;
};

/**
 * Reads the media of up to `maxCalls` confirmed dialogs and returns the one_way_audio / one_way_audio_ended events
 * (one per episode, with the silent party). Calls no longer confirmed are forgotten. Never throws for one call.
 */
export async function watchCallMedia(input: WatchInput): Promise<MediaEvent[]> {
  const state = stateFor(input.node, input.silentS);
  const at = new Date(input.nowMs).toISOString();
  const confirmed = (input.dialogs ?? [])
    .filter((d) => d.stateCode === 3 || d.stateCode === 4)
    .sort((a, b) => a.callId.localeCompare(b.callId));
  const live = new Set(confirmed.map((d) => d.callId));
  state.detector.retain(live);
  for (const map of [state.calls, state.engineOf, state.previous] as Map<string, unknown>[])
    for (const callId of map.keys()) if (!live.has(callId)) map.delete(callId);
  for (const callId of state.oneWay) if (!live.has(callId)) state.oneWay.delete(callId);
  state.at = at;
  state.deferred = Math.max(0, confirmed.length - input.maxCalls);
  if (input.engines.length === 0) {
    state.problem = confirmed.length > 0 ? "no RTPEngine answered NG this cycle" : null;
    // the views read before would pass for current ones: each call's media is unknown now, with the reason
    for (const dialog of confirmed) {
      state.calls.set(dialog.callId, notOnEngine(dialog, at, "no RTPEngine answered NG this cycle"));
    }
    return [];
  }
  const start = confirmed.length > input.maxCalls ? state.rotation % confirmed.length : 0;
  const batch = [...confirmed.slice(start), ...confirmed.slice(0, start)].slice(0, input.maxCalls);
  state.rotation = start + batch.length;
  const failed = new Map<string, string>();
  const events: MediaEvent[] = [];
  for (const dialog of batch) {
    const found = await queryOnEngines(
      dialog.callId,
      input.engines,
      state.engineOf.get(dialog.callId),
      input.query,
      failed,
    );
    if ("error" in found) {
      state.calls.set(dialog.callId, notOnEngine(dialog, at, found.error));
      continue;
    }
    state.engineOf.set(dialog.callId, found.engine.url);
    const view = judge(state, dialog, found.engine.url, found.reply, input.nowMs, at);
    state.calls.set(dialog.callId, view);
    events.push(...episodeEvents(state, dialog, view));
  }
  state.problem =
    failed.size > 0 ? [...failed].map(([url, error]) => `NG query to ${url}: ${error}`).join("; ") : null;
  return events;
}

function notOnEngine(dialog: Dialog, at: string, error: string): CallMediaView {
  return {
    callId: dialog.callId,
    at,
    engine: "",
    state: "unknown",
    reason: error,
    silentParty: null,
    silentForS: null,
    legs: [],
    flags: dialogFlags(dialog),
    codec: answerCodec(dialog.variables),
  };
}

function judge(
  state: NodeState,
  dialog: Dialog,
  engine: string,
  reply: NgQueryReply,
  nowMs: number,
  at: string,
): CallMediaView {
  const raw = callMediaLegs(reply);
  const before = state.previous.get(dialog.callId);
  const elapsedS = before ? (nowMs - before.atMs) / 1000 : 0;
  const legs: CallMediaLeg[] = raw.map((leg) => {
    const earlier = before?.packets.get(leg.tag);
    const delta = earlier === undefined ? null : leg.received.packets - earlier;
    return {
      ...leg,
      party: partyOf(dialog, leg.tag),
      packetsPerS:
        delta === null || delta < 0 || elapsedS <= 0 ? null : Math.round((delta / elapsedS) * 10) / 10,
    };
  });
  state.previous.set(dialog.callId, {
    atMs: nowMs,
    packets: new Map(raw.map((l) => [l.tag, l.received.packets])),
  });
  const verdict = state.detector.add(dialog.callId, {
    atMs: nowMs,
    parties: raw.map((l) => ({ tag: l.tag, packets: l.received.packets })),
  });
  return {
    callId: dialog.callId,
    at,
    engine,
    ...mediaState(verdict, legs),
    legs,
    flags: dialogFlags(dialog),
    codec: answerCodec(dialog.variables),
  };
}

function episodeEvents(state: NodeState, dialog: Dialog, view: CallMediaView): MediaEvent[] {
  const direction = bridgeDirection(dialog);
  const silentUri =
    view.silentParty === "caller" ? dialog.fromUri : view.silentParty === "callee" ? dialog.toUri : null;
  const detail = {
    callId: dialog.callId,
    from: dialog.fromUri,
    to: dialog.toUri,
    direction,
    silentParty: view.silentParty,
    silentForS: view.silentForS,
    aor: silentUri ? aorOf(silentUri) : null,
    user: silentUri ? userPart(silentUri) : null,
    engine: view.engine,
  };
  if (view.state === "one_way" && !state.oneWay.has(dialog.callId)) {
    state.oneWay.add(dialog.callId);
    return [
      {
        kind: "one_way_audio",
        severity: "warning",
        message: `one-way audio on call ${dialog.fromUri} → ${dialog.toUri}: ${describeOneWay(view, direction)}`,
        detail,
      },
    ];
  }
  if (view.state === "two_way" && state.oneWay.delete(dialog.callId))
    return [
      {
        kind: "one_way_audio_ended",
        severity: "info",
        message: `audio flows both ways again on call ${dialog.fromUri} → ${dialog.toUri}`,
        detail: { ...detail, silentParty: null, silentForS: null },
      },
    ];
  return [];
}

/** The node's call media as last read, or undefined before its first cycle. */
export function getNodeMedia(node: string): NodeMedia | undefined {
  return store.get(node);
}

/** Drops nodes no longer polled. */
export function retainNodeMedia(names: ReadonlySet<string>): void {
  for (const name of store.keys()) if (!names.has(name)) store.delete(name);
}
