import type { RtpengineState } from "@/lib/poller/snapshot";
import type { Probe } from "./types";

export type RtpengineResult = { up: number; total: number; engines: RtpengineState[] };

/** rtpengine.show all: the media servers Kamailio uses and whether it considers them usable. */
export const rtpengineProbe: Probe<RtpengineResult> = {
  name: "rtpengine",
  optional: true,
  async collect({ rpc }) {
    const nodes = await rpc.rtpengineShowAll();
    const engines = nodes.map((n) => ({ url: n.url, set: n.set, up: n.up, disabled: n.disabled }));
    return { up: engines.filter((e) => e.up).length, total: engines.length, engines };
  },
};
