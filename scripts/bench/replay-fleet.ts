import {
  type ReplayKamailio,
  type ReplayRoutes,
  startReplayKamailio,
} from "../../tests/support/replay-kamailio";

// A fleet without a lab: one replay Kamailio (tests/support/replay-kamailio.ts) answering every JSON-RPC call with
// replies captured from the lab gateway (tests/fixtures/rpc: WS/WSS clients registered, one call up, one ringing),
// listed under `count` node names (edge-1 … edge-N) for the app's KAMAILIO_NODES. Used by the store, API and wall
// benches, so their numbers do not move with what the shared lab holds at the time.

/** Our gateway as captured on the lab (as tests/support/poll-replay.ts replays it). */
export const LAB_ROUTES: ReplayRoutes = {
  "core.uptime": { file: "rpc/core.uptime.lab.json" },
  "core.version": { file: "rpc/core.version.lab.json" },
  "core.tcp_list": { file: "rpc/core.tcp_list.clients.json" },
  "ws.dump": { file: "rpc/ws.dump.clients.json" },
  "stats.fetch usrloc:": { file: "rpc/stats.fetch.usrloc-registered.json" },
  "ul.dump": { file: "rpc/ul.dump.registered.json" },
  "dlg.stats_active": { file: "rpc/dlg.stats_active.calls.json" },
  "dlg.list": { file: "rpc/dlg.list.calls.json" },
  "rtpengine.show all": { file: "rpc/rtpengine.show.all-up.json" },
  "stats.fetch websocket: dialog: tmx:": { file: "rpc/stats.fetch.calls.json" },
  "cnt.grp_get_all bridge": { file: "rpc/cnt.grp_get_all.bridge-calls.json" },
};

/** The node names of a fleet of `count`: edge-1 … edge-N (the names scripts/bench/history.ts loads history for). */
export const fleetNames = (count: number) => Array.from({ length: count }, (_u, i) => `edge-${i + 1}`);

export type ReplayFleet = {
  server: ReplayKamailio;
  names: string[];
  kamailioNodes: string;
  close: () => Promise<void>;
};

/** Starts the replay server; `kamailioNodes` is the KAMAILIO_NODES value naming it `count` times. */
export async function startReplayFleet(count: number): Promise<ReplayFleet> {
  const server = await startReplayKamailio(LAB_ROUTES);
  const names = fleetNames(count);
  return {
    server,
    names,
    kamailioNodes: names.map((n) => `${n}=${server.url}`).join(","),
    close: () => server.close(),
  };
}
