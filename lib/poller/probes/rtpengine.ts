import { describeRtpengineState, type RtpengineInstanceState } from "@/lib/kamailio/methods/rtpengine-show";
import type { Probe } from "./types";

export type RtpengineInstance = {
  url: string;
  set: number;
  state: RtpengineInstanceState;
  /** Seconds until Kamailio re-checks an unreachable instance; null when not scheduled. */
  recheckSeconds: number | null;
  /** "up", "unreachable, retry in 42 s", "disabled (permanent)". */
  label: string;
};

/** rtpengine.show all: the media servers Kamailio uses and what it makes of each (5.x and 6.x reply shapes). */
export const rtpengineProbe: Probe<RtpengineInstance[]> = {
  name: "rtpengine",
  cadence: "cycle",
  async collect({ rpc }) {
    const nodes = await rpc.rtpengineShowAll();
    return nodes.map((n) => ({
      url: n.url,
      set: n.set,
      state: n.state,
      recheckSeconds: n.recheckTicks,
      label: describeRtpengineState(n),
    }));
  },
};
