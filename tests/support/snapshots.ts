import type { NodeMeasurement } from "@/lib/poller/snapshot";

/** A measured node for view tests: 3 WS, 5 WSS, 7 registrations under 6 AORs, 2 + 1 dialogs, 1 of 1 RTPEngine. */
export function sampleMeasurement(overrides: Partial<NodeMeasurement> = {}): NodeMeasurement {
  return {
    ws: 3,
    wss: 5,
    registrations: 7,
    aors: 6,
    dialogsActive: 2,
    dialogsEarly: 1,
    rtpengineUp: 1,
    rtpengineTotal: 1,
    rtpengines: [],
    branches: [],
    stats: {},
    ...overrides,
  };
}
