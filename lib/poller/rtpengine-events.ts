import type { RtpengineInstanceState } from "@/lib/kamailio/methods/rtpengine-show";
import type { NodeEvent, NodeTarget } from "./poll-node";
import type { RtpengineInstance } from "./probes/rtpengine";

// rtpengine_disabled / rtpengine_enabled: a media server Kamailio stops or starts using, seen by diffing two
// successive fresh `rtpengine.show all` readings of one node (lib/poller/probes/rtpengine.ts) by URL.

/** What the last fresh rtpengine.show reading said of each media server, by URL. */
export type RtpengineMemory = ReadonlyMap<string, Pick<RtpengineInstance, "state" | "label">>;

export type RtpengineEventKind = "rtpengine_disabled" | "rtpengine_enabled";

/**
 * The events between two readings of one node's media servers. Only a URL listed in both readings whose state
 * changed writes one: to `disabled` (by an operator or the DB) or `unreachable` (failed Kamailio's ping) →
 * `rtpengine_disabled`; to `up` → `rtpengine_enabled`. No events when `previous` is null: the first reading since
 * kamdash started, or the first after a Kamailio restart (which resets what an operator disabled). A URL that
 * appears in or leaves the list writes nothing. Detail: `{ rpcUrl, url, set, state, label, previousState,
 * previousLabel }` (`label` is Kamailio's state as an operator reads it, "unreachable, retry in 42 s").
 */
export function rtpengineEvents(
  target: Pick<NodeTarget, "name" | "rpcUrl">,
  previous: RtpengineMemory | null,
  current: readonly RtpengineInstance[],
): { memory: RtpengineMemory; events: NodeEvent[] } {
  const memory = new Map(current.map((i) => [i.url, { state: i.state, label: i.label }]));
  if (!previous) return { memory, events: [] };
  const events: NodeEvent[] = [];
  for (const instance of current) {
    const before = previous.get(instance.url);
    if (!before || before.state === instance.state) continue;
    events.push(changeEvent(target, instance, before));
  }
  return { memory, events };
}

const WHY: Record<Exclude<RtpengineInstanceState, "up">, string> = {
  disabled: "disabled by an operator or the database",
  unreachable: "it failed Kamailio's ping",
};

function changeEvent(
  target: Pick<NodeTarget, "name" | "rpcUrl">,
  instance: RtpengineInstance,
  before: Pick<RtpengineInstance, "state" | "label">,
): NodeEvent {
  const detail = {
    rpcUrl: target.rpcUrl,
    url: instance.url,
    set: instance.set,
    state: instance.state,
    label: instance.label,
    previousState: before.state,
    previousLabel: before.label,
  };
  if (instance.state === "up") {
    return {
      kind: "rtpengine_enabled",
      severity: "info",
      message: `${target.name}: Kamailio uses RTPEngine ${instance.url} (set ${instance.set}) again; it was ${before.label}`,
      detail,
    };
  }
  return {
    kind: "rtpengine_disabled",
    severity: "warning",
    message: `${target.name}: Kamailio does not use RTPEngine ${instance.url} (set ${instance.set}): ${instance.label} (${WHY[instance.state]}); it was ${before.label}`,
    detail,
  };
}
