import { afterEach, describe, expect, it } from "vitest";
import type { Db } from "@/lib/metrics/db";
import { getHealth } from "./health";
import { replicaId } from "./leases";
import { putNodeSnapshot, resetLiveStore, setPollIntervalMs } from "./live";
import { buildDownNodeSnapshot, buildUpNodeSnapshot } from "./snapshot";

const node = (name: string) => ({ name, rpcUrl: `http://${name}/RPC`, intervalMs: 1000 });
const numbers = {
  ws: 1,
  wss: 1,
  registrations: 1,
  aors: 1,
  dialogsActive: 0,
  dialogsEarly: 0,
  rtpengineUp: 1,
  rtpengineTotal: 1,
  rtpengines: [],
  branches: [],
  stats: {},
};
const now = new Date("2026-01-01T00:00:10.000Z");
const unreachable = () =>
  Promise.reject<Db>(new Error("connect ECONNREFUSED 127.0.0.1:5432 (secret detail)"));

afterEach(() => resetLiveStore());

describe("getHealth", () => {
  it("is down, without leaking the database error, when the database does not open", async () => {
    const health = await getHealth(unreachable, now);
    expect(health).toEqual({
      status: "down",
      database: { ok: false, error: "database unavailable" },
      nodes: [],
      // no DATABASE_URL in unit tests: the embedded database, one process polling every node
      replica: { id: replicaId(), polls: "all", leasedNodes: null },
    });
  });

  it("lists each node's state and age from the live snapshot", async () => {
    setPollIntervalMs(1000);
    putNodeSnapshot(
      buildUpNodeSnapshot(node("a"), { polledAt: new Date(now.getTime() - 500), durationMs: 3 }, numbers),
    );
    putNodeSnapshot(
      buildDownNodeSnapshot(
        node("b"),
        { polledAt: new Date(now.getTime() - 4000), durationMs: 3 },
        "x",
        undefined,
      ),
    );
    const health = await getHealth(unreachable, now);
    expect(health.nodes).toEqual([
      { name: "a", up: true, ageMs: 500 },
      { name: "b", up: false, ageMs: 4000 },
    ]);
  });
});
